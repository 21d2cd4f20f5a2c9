import { Type } from '@sinclair/typebox';
import { CreatePollRequest, Poll, Routes, VoteRequest } from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { Polls } from '../chat/polls.js';
import { identityOf, membershipOf, type RouteContext, requireAllowed, routePath } from './context.js';
import { answers, ConversationToken, TokenParams, typed } from './schemas.js';

/** Path parameters of the routes under a poll. */
const PollParams = Type.Object({ token: ConversationToken, pollId: Type.Integer({ minimum: 1 }) });

/** Polls: posted, read and voted on by those who may chat, closed by their author or a moderator. */
export async function pollRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { store } = context;
  const api = typed(app);
  const polls = new Polls(context);

  // 201 with a new poll, 200 with the first one again when a retry repeats its reference id.
  api.post(
    routePath(Routes.polls),
    { schema: { params: TokenParams, body: CreatePollRequest, response: answers({ 200: Poll, 201: Poll }) } },
    async (request, reply) => {
      const { token } = request.params;
      const me = identityOf(request);
      requireAllowed(await membershipOf(store, token, me), 'chat');
      const { poll, created } = await polls.create(me, token, request.body);
      return reply.code(created ? 201 : 200).send(poll);
    },
  );

  api.get(
    routePath(Routes.poll),
    { schema: { params: PollParams, response: answers({ 200: Poll }) } },
    async (request) => {
      const { token, pollId } = request.params;
      const me = identityOf(request);
      requireAllowed(await membershipOf(store, token, me), 'read');
      return polls.get(me, token, pollId);
    },
  );

  api.post(
    routePath(Routes.pollVotes),
    { schema: { params: PollParams, body: VoteRequest, response: answers({ 200: Poll }) } },
    async (request) => {
      const { token, pollId } = request.params;
      const me = identityOf(request);
      requireAllowed(await membershipOf(store, token, me), 'chat');
      return polls.vote(me, token, pollId, request.body.optionIds);
    },
  );

  api.post(
    routePath(Routes.pollClose),
    { schema: { params: PollParams, response: answers({ 200: Poll }) } },
    async (request) => {
      const { token, pollId } = request.params;
      const me = identityOf(request);
      const membership = await membershipOf(store, token, me);
      requireAllowed(membership, 'read');
      return polls.close(membership.participant, me, token, pollId);
    },
  );
}
