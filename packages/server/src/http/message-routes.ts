import { type Static, Type } from '@sinclair/typebox';
import {
  type ChatMessage,
  EditMessageRequest,
  ErrorCode,
  ListMessagesQuery,
  MAX_MESSAGE_LENGTH,
  PostMessageRequest,
  ReactionRequest,
  type ReactionsResponse,
  ReadMarkerRequest,
  Routes,
} from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { parseMentions } from '../chat/mentions.js';
import { TalkServerError } from '../errors.js';
import {
  identityOf,
  type Membership,
  membershipOf,
  type RouteContext,
  requireAllowed,
  requireAuthor,
  requireAuthorOrModerator,
  routePath,
  TokenParams,
} from './context.js';

const MessageParams = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 64 }),
  messageId: Type.Integer({ minimum: 1 }),
});
type MessageParams = Static<typeof MessageParams>;

/** Counted in code points, as people count characters; the cheap length check spares most messages that. */
function checkLength(text: string): void {
  if (text.length > MAX_MESSAGE_LENGTH && [...text].length > MAX_MESSAGE_LENGTH) {
    throw new TalkServerError(ErrorCode.TooLarge, `Messages may be at most ${MAX_MESSAGE_LENGTH} characters`);
  }
}

/** Posting, reading, editing, deleting and reacting to chat messages, and the read marker. */
export async function messageRoutes(app: FastifyInstance, { store, hub, metrics }: RouteContext): Promise<void> {
  /** A member who may chat (lobby open, chat permission). */
  async function chatter(token: string, request: Parameters<typeof identityOf>[0]): Promise<Membership> {
    const membership = await membershipOf(store, token, identityOf(request));
    requireAllowed(membership, 'chat');
    return membership;
  }

  /** A message of the conversation that is still a comment or file (not deleted, not a system message). */
  async function ownMessageTarget(token: string, id: number): Promise<ChatMessage> {
    const message = await store.messages.get(token, id);
    if (!message) throw new TalkServerError(ErrorCode.NotFound, 'No such message');
    if (message.kind === 'system' || message.deletedAt) {
      throw new TalkServerError(ErrorCode.Forbidden, 'System and deleted messages cannot be changed');
    }
    return message;
  }

  app.post<{ Params: TokenParams; Body: PostMessageRequest }>(
    routePath(Routes.messages),
    { schema: { params: TokenParams, body: PostMessageRequest } },
    async (request, reply): Promise<ChatMessage> => {
      const me = identityOf(request);
      const { token } = request.params;
      await chatter(token, request);
      const { message: text, referenceId, replyTo, silent, attachmentId } = request.body;
      checkLength(text);
      if (replyTo !== undefined && !(await store.messages.get(token, replyTo))) {
        throw new TalkServerError(ErrorCode.InvalidRequest, 'replyTo names no message of this conversation');
      }
      if (attachmentId !== undefined) {
        const attachment = await store.attachments.get(token, attachmentId);
        if (attachment?.uploaderId !== me.userId) {
          throw new TalkServerError(
            ErrorCode.InvalidRequest,
            'attachmentId names no upload of yours in this conversation',
          );
        }
      }
      const mentions = text.includes('@') ? parseMentions(text, await store.participants.list(token)) : [];
      const { message, created } = await store.messages.post(token, me, text, {
        referenceId,
        replyTo,
        silent,
        mentions,
        attachmentId,
      });
      if (!created) return message; // A retry: the first answer again, and nobody is told twice.
      metrics.chatMessages.inc({ kind: message.kind ?? 'comment' });
      await hub.broadcast(token, { type: 'chat-message', conversation: token, message });
      return reply.code(201).send(message);
    },
  );

  app.get<{ Params: TokenParams; Querystring: ListMessagesQuery }>(
    routePath(Routes.messages),
    { schema: { params: TokenParams, querystring: ListMessagesQuery } },
    async (request): Promise<ChatMessage[]> => {
      const membership = await membershipOf(store, request.params.token, identityOf(request));
      requireAllowed(membership, 'read');
      const { after, before, limit = 100, system } = request.query;
      if (after !== undefined && before !== undefined) {
        throw new TalkServerError(ErrorCode.InvalidRequest, 'Page with after or before, not both');
      }
      return store.messages.list(request.params.token, { after, before, limit, system });
    },
  );

  app.patch<{ Params: MessageParams; Body: EditMessageRequest }>(
    routePath(Routes.message),
    { schema: { params: MessageParams, body: EditMessageRequest } },
    async (request): Promise<ChatMessage> => {
      const { token, messageId } = request.params;
      const { participant } = await chatter(token, request);
      requireAuthor(participant, (await ownMessageTarget(token, messageId)).actorId);
      checkLength(request.body.message);
      const text = request.body.message;
      const mentions = text.includes('@') ? parseMentions(text, await store.participants.list(token)) : [];
      const message = (await store.messages.edit(token, messageId, text, mentions))!;
      await hub.broadcast(token, { type: 'chat-message-updated', conversation: token, message });
      return message;
    },
  );

  app.delete<{ Params: MessageParams }>(
    routePath(Routes.message),
    { schema: { params: MessageParams } },
    async (request): Promise<ChatMessage> => {
      const { token, messageId } = request.params;
      const { participant } = await chatter(token, request);
      requireAuthorOrModerator(participant, (await ownMessageTarget(token, messageId)).actorId);
      const message = (await store.messages.delete(token, messageId))!;
      await hub.broadcast(token, { type: 'chat-message-updated', conversation: token, message });
      return message;
    },
  );

  app.get<{ Params: MessageParams }>(
    routePath(Routes.reactions),
    { schema: { params: MessageParams } },
    async (request): Promise<ReactionsResponse> => {
      const { token, messageId } = request.params;
      requireAllowed(await membershipOf(store, token, identityOf(request)), 'read');
      if (!(await store.messages.get(token, messageId)))
        throw new TalkServerError(ErrorCode.NotFound, 'No such message');
      return store.reactions.list(messageId);
    },
  );

  for (const method of ['post', 'delete'] as const) {
    app[method]<{ Params: MessageParams; Body: ReactionRequest }>(
      routePath(Routes.reactions),
      { schema: { params: MessageParams, body: ReactionRequest } },
      async (request, reply): Promise<ReactionsResponse> => {
        const me = identityOf(request);
        const { token, messageId } = request.params;
        await chatter(token, request);
        await ownMessageTarget(token, messageId);
        const { reaction } = request.body;
        const added = method === 'post';
        const changed = await store.reactions.set(messageId, me, reaction, added);
        const reactions = await store.reactions.list(messageId);
        if (changed) {
          const tally = Object.fromEntries(Object.entries(reactions).map(([r, actors]) => [r, actors.length]));
          await hub.broadcast(token, {
            type: 'reaction',
            conversation: token,
            messageId,
            actorId: me.userId,
            actorDisplayName: me.displayName,
            reaction,
            added,
            reactions: tally,
          });
        }
        if (added && changed) reply.code(201);
        return reactions;
      },
    );
  }

  app.post<{ Params: TokenParams; Body: ReadMarkerRequest }>(
    routePath(Routes.readMarker),
    { schema: { params: TokenParams, body: ReadMarkerRequest } },
    async (request, reply) => {
      const me = identityOf(request);
      await membershipOf(store, request.params.token, me);
      await store.participants.markRead(request.params.token, me.userId, request.body.lastReadMessageId);
      return reply.code(204).send();
    },
  );
}
