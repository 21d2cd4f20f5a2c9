import { MessagePage, Routes, SharedItemsQuery, SharedOverview, SharedOverviewQuery } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { SharedItems } from '../chat/shared-items.js';
import { identityOf, membershipOf, type RouteContext, requireAllowed, routePath } from './context.js';
import { answers, TokenParams, typed } from './schemas.js';

/** How many items of each type the overview shows unless asked. */
const DEFAULT_OVERVIEW_LIMIT = 7;

/** A conversation's shared images, files, links and polls. */
export async function sharedItemRoutes(app: FastifyInstance, { store }: RouteContext): Promise<void> {
  const api = typed(app);
  const shared = new SharedItems(store);

  api.get(
    routePath(Routes.sharedItems),
    { schema: { params: TokenParams, querystring: SharedItemsQuery, response: answers({ 200: MessagePage }) } },
    async (request) => {
      const { token } = request.params;
      requireAllowed(await membershipOf(store, token, identityOf(request)), 'read');
      return shared.list(token, request.query);
    },
  );

  api.get(
    routePath(Routes.sharedOverview),
    {
      schema: { params: TokenParams, querystring: SharedOverviewQuery, response: answers({ 200: SharedOverview }) },
    },
    async (request) => {
      const { token } = request.params;
      requireAllowed(await membershipOf(store, token, identityOf(request)), 'read');
      return shared.overview(token, request.query.limit ?? DEFAULT_OVERVIEW_LIMIT);
    },
  );
}
