import { type Conversation, CreateConversationRequest, ErrorCode, type Participant, Routes } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { TalkServerError } from '../errors.js';
import { identityOf, participantOf, type RouteContext, routePath, TokenParams } from './context.js';

/** Conversations that anyone signed in may join by themselves. */
const joinable = new Set<Conversation['type']>(['public', 'group']);

/** Listing, creating and joining conversations. */
export async function conversationRoutes(app: FastifyInstance, { store }: RouteContext): Promise<void> {
  app.get(Routes.conversations, async (request): Promise<Conversation[]> => {
    return store.listConversationsOf(identityOf(request).userId);
  });

  app.post<{ Body: CreateConversationRequest }>(
    Routes.conversations,
    { schema: { body: CreateConversationRequest } },
    async (request, reply): Promise<Conversation> => {
      const me = identityOf(request);
      const { conversation, created } = await store.createConversation(request.body, me);
      if (created) return reply.code(201).send(conversation);
      // The object's conversation exists already: the caller gets it, joining it if it is open to them.
      if (!(await store.getParticipant(conversation.token, me.userId))) {
        if (!joinable.has(conversation.type)) {
          throw new TalkServerError(ErrorCode.Forbidden, 'The conversation of this object is not open to you');
        }
        await store.addParticipant(conversation.token, me, 'user');
      }
      return conversation;
    },
  );

  app.get<{ Params: TokenParams }>(
    routePath(Routes.conversation),
    { schema: { params: TokenParams } },
    async (request): Promise<Conversation> => {
      await participantOf(store, request.params.token, identityOf(request));
      const conversation = await store.getConversation(request.params.token);
      if (!conversation) throw new TalkServerError(ErrorCode.NotFound, 'No such conversation');
      return conversation;
    },
  );

  app.get<{ Params: TokenParams }>(
    routePath(Routes.participants),
    { schema: { params: TokenParams } },
    async (request): Promise<Participant[]> => {
      await participantOf(store, request.params.token, identityOf(request));
      return store.listParticipants(request.params.token);
    },
  );

  app.post<{ Params: TokenParams }>(
    routePath(Routes.participantSelf),
    { schema: { params: TokenParams } },
    async (request, reply): Promise<Participant> => {
      const me = identityOf(request);
      const conversation = await store.getConversation(request.params.token);
      if (!conversation) throw new TalkServerError(ErrorCode.NotFound, 'No such conversation');
      const existing = await store.getParticipant(conversation.token, me.userId);
      if (existing) return existing;
      if (conversation.type !== 'public') {
        throw new TalkServerError(ErrorCode.Forbidden, 'Only public conversations can be joined without an invitation');
      }
      const { participant } = await store.addParticipant(conversation.token, me, 'user');
      return reply.code(201).send(participant);
    },
  );
}
