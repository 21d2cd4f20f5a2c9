import {
  ChatMessage,
  ChatMessageList,
  EditMessageRequest,
  ListMessagesQuery,
  PostMessageRequest,
  ReactionRequest,
  ReactionsResponse,
  ReadMarkerRequest,
  Routes,
} from '@talk/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Chat } from '../chat/chat.js';
import { identityOf, type Membership, membershipOf, type RouteContext, requireAllowed, routePath } from './context.js';
import { answers, MessageParams, NoContent, TokenParams, typed } from './schemas.js';

/** Posting, reading, editing, deleting and reacting to chat messages, and the read marker. */
export async function messageRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { store } = context;
  const api = typed(app);
  const chat = new Chat(context);

  /** A member who may chat (lobby open, chat permission). */
  async function chatter(token: string, request: FastifyRequest): Promise<Membership> {
    const membership = await membershipOf(store, token, identityOf(request));
    requireAllowed(membership, 'chat');
    return membership;
  }

  // 201 with a new message, 200 with the first one again when a retry repeats its reference id.
  api.post(
    routePath(Routes.messages),
    {
      schema: {
        params: TokenParams,
        body: PostMessageRequest,
        response: answers({ 200: ChatMessage, 201: ChatMessage }),
      },
    },
    async (request, reply) => {
      const { token } = request.params;
      await chatter(token, request);
      const { message, created } = await chat.post(identityOf(request), token, request.body);
      return reply.code(created ? 201 : 200).send(message);
    },
  );

  api.get(
    routePath(Routes.messages),
    { schema: { params: TokenParams, querystring: ListMessagesQuery, response: answers({ 200: ChatMessageList }) } },
    async (request) => {
      const { token } = request.params;
      requireAllowed(await membershipOf(store, token, identityOf(request)), 'read');
      return chat.list(token, request.query);
    },
  );

  api.patch(
    routePath(Routes.message),
    { schema: { params: MessageParams, body: EditMessageRequest, response: answers({ 200: ChatMessage }) } },
    async (request) => {
      const { token, messageId } = request.params;
      const { participant } = await chatter(token, request);
      return chat.edit(participant, token, messageId, request.body.message);
    },
  );

  api.delete(
    routePath(Routes.message),
    { schema: { params: MessageParams, response: answers({ 200: ChatMessage }) } },
    async (request) => {
      const { token, messageId } = request.params;
      const { participant } = await chatter(token, request);
      return chat.delete(participant, token, messageId);
    },
  );

  api.get(
    routePath(Routes.reactions),
    { schema: { params: MessageParams, response: answers({ 200: ReactionsResponse }) } },
    async (request) => {
      const { token, messageId } = request.params;
      requireAllowed(await membershipOf(store, token, identityOf(request)), 'read');
      return chat.reactions(token, messageId);
    },
  );

  // 201 when a reaction was given, 200 when it was there already.
  api.post(
    routePath(Routes.reactions),
    {
      schema: {
        params: MessageParams,
        body: ReactionRequest,
        response: answers({ 200: ReactionsResponse, 201: ReactionsResponse }),
      },
    },
    async (request, reply) => {
      const { token, messageId } = request.params;
      await chatter(token, request);
      const me = identityOf(request);
      const { reactions, changed } = await chat.react(me, token, messageId, request.body.reaction, true);
      return reply.code(changed ? 201 : 200).send(reactions);
    },
  );

  api.delete(
    routePath(Routes.reactions),
    { schema: { params: MessageParams, body: ReactionRequest, response: answers({ 200: ReactionsResponse }) } },
    async (request) => {
      const { token, messageId } = request.params;
      await chatter(token, request);
      const me = identityOf(request);
      return (await chat.react(me, token, messageId, request.body.reaction, false)).reactions;
    },
  );

  api.post(
    routePath(Routes.readMarker),
    { schema: { params: TokenParams, body: ReadMarkerRequest, response: answers({ 204: NoContent }) } },
    async (request, reply) => {
      const me = identityOf(request);
      await membershipOf(store, request.params.token, me);
      await chat.markRead(me, request.params.token, request.body.lastReadMessageId);
      return reply.code(204).send();
    },
  );
}
