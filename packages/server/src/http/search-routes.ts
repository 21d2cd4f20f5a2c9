import { MessagePage, Routes, SearchMessagesQuery } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { MessageSearch } from '../chat/search.js';
import { identityOf, membershipOf, type RouteContext, requireAllowed, routePath } from './context.js';
import { answers, TokenParams, typed } from './schemas.js';

/** Message search in one conversation and across the caller's. */
export async function searchRoutes(app: FastifyInstance, { store }: RouteContext): Promise<void> {
  const api = typed(app);
  const search = new MessageSearch(store);

  api.get(
    routePath(Routes.conversationSearch),
    { schema: { params: TokenParams, querystring: SearchMessagesQuery, response: answers({ 200: MessagePage }) } },
    async (request) => {
      const membership = await membershipOf(store, request.params.token, identityOf(request));
      requireAllowed(membership, 'read');
      return search.inConversation(membership, request.query);
    },
  );

  api.get(
    Routes.search,
    { schema: { querystring: SearchMessagesQuery, response: answers({ 200: MessagePage }) } },
    async (request) => search.everywhere(identityOf(request), request.query),
  );
}
