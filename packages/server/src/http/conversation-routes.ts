import {
  Conversation,
  ConversationList,
  CreateConversationRequest,
  Routes,
  UpdateConversationRequest,
} from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { asSeenBy, Conversations } from '../conversations/conversations.js';
import {
  identityOf,
  membershipOf,
  type RouteContext,
  requireAllowed,
  requireObjectAccess,
  requireUser,
  routePath,
} from './context.js';
import { answers, NoContent, TokenParams, typed } from './schemas.js';

/** Listing, creating, changing and deleting conversations. */
export async function conversationRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { store } = context;
  const api = typed(app);
  const conversations = new Conversations(context);

  api.get(Routes.conversations, { schema: { response: answers({ 200: ConversationList }) } }, async (request) =>
    conversations.listOf(identityOf(request).userId),
  );

  // Create-or-get: 201 with a new conversation, 200 with the one that already stands for the same thing.
  api.post(
    Routes.conversations,
    { schema: { body: CreateConversationRequest, response: answers({ 200: Conversation, 201: Conversation }) } },
    async (request, reply) => {
      const me = identityOf(request);
      requireUser(me);
      const { conversation, created } = await conversations.create(me, request.body);
      return reply.code(created ? 201 : 200).send(conversation);
    },
  );

  api.get(
    routePath(Routes.conversation),
    { schema: { params: TokenParams, response: answers({ 200: Conversation }) } },
    async (request) => {
      const me = identityOf(request);
      const membership = await membershipOf(store, request.params.token, me);
      requireObjectAccess(me, membership.conversation);
      // As the list shows it (last message, unread counts), so that a list can fetch one entry again.
      const [listed] = await store.conversations.listOf(me.userId, request.params.token);
      return listed ?? asSeenBy(membership);
    },
  );

  api.patch(
    routePath(Routes.conversation),
    { schema: { params: TokenParams, body: UpdateConversationRequest, response: answers({ 200: Conversation }) } },
    async (request) => {
      const me = identityOf(request);
      const membership = await membershipOf(store, request.params.token, me);
      requireAllowed(membership, 'moderate');
      return conversations.update(me, membership, request.body);
    },
  );

  api.delete(
    routePath(Routes.conversation),
    { schema: { params: TokenParams, response: answers({ 204: NoContent }) } },
    async (request, reply) => {
      const { token } = request.params;
      requireAllowed(await membershipOf(store, token, identityOf(request)), 'moderate');
      await conversations.delete(token);
      return reply.code(204).send();
    },
  );
}
