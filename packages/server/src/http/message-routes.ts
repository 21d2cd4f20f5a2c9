import {
  type ChatMessage,
  ErrorCode,
  ListMessagesQuery,
  MAX_MESSAGE_LENGTH,
  PostMessageRequest,
  Routes,
} from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { TalkServerError } from '../errors.js';
import { identityOf, participantOf, type RouteContext, routePath, TokenParams } from './context.js';

/** Posting and reading chat messages. */
export async function messageRoutes(app: FastifyInstance, { store, hub }: RouteContext): Promise<void> {
  app.post<{ Params: TokenParams; Body: PostMessageRequest }>(
    routePath(Routes.messages),
    { schema: { params: TokenParams, body: PostMessageRequest } },
    async (request, reply): Promise<ChatMessage> => {
      const me = identityOf(request);
      const { token } = request.params;
      await participantOf(store, token, me);
      const { message: text, referenceId } = request.body;
      // Counted in code points, as people count characters; the cheap length check spares most messages that.
      if (text.length > MAX_MESSAGE_LENGTH && [...text].length > MAX_MESSAGE_LENGTH) {
        throw new TalkServerError(ErrorCode.TooLarge, `Messages may be at most ${MAX_MESSAGE_LENGTH} characters`);
      }
      const { message, created } = await store.postMessage(token, me, text, referenceId);
      if (!created) return message; // A retry: the first answer again, and nobody is told twice.
      hub.broadcast(token, { type: 'chat-message', conversation: token, message });
      return reply.code(201).send(message);
    },
  );

  app.get<{ Params: TokenParams; Querystring: ListMessagesQuery }>(
    routePath(Routes.messages),
    { schema: { params: TokenParams, querystring: ListMessagesQuery } },
    async (request): Promise<ChatMessage[]> => {
      await participantOf(store, request.params.token, identityOf(request));
      const { after, limit = 100 } = request.query;
      return store.listMessages(request.params.token, { after, limit });
    },
  );
}
