import {
  AddParticipantRequest,
  Ban,
  BanList,
  BanRequest,
  ErrorCode,
  type JoinConversationRequest,
  Participant,
  ParticipantList,
  Routes,
  UpdateParticipantRequest,
} from '@talk/protocol';
import type { FastifyInstance } from 'fastify';
import { Members } from '../conversations/members.js';
import { TalkServerError } from '../errors.js';
import { identityOf, membershipOf, type RouteContext, requireAllowed, routePath } from './context.js';
import { answers, NoContent, ParticipantParams, TokenParams, typed } from './schemas.js';

/** Who is in a conversation: listing, adding, changing, removing and banning participants, joining and leaving. */
export async function participantRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { store } = context;
  const api = typed(app);
  const members = new Members(context);

  api.get(
    routePath(Routes.participants),
    { schema: { params: TokenParams, response: answers({ 200: ParticipantList }) } },
    async (request) => {
      await membershipOf(store, request.params.token, identityOf(request));
      return members.list(request.params.token);
    },
  );

  // 201 when the user was added, 200 when they were there already.
  api.post(
    routePath(Routes.participants),
    {
      schema: {
        params: TokenParams,
        body: AddParticipantRequest,
        response: answers({ 200: Participant, 201: Participant }),
      },
    },
    async (request, reply) => {
      const me = identityOf(request);
      const membership = await membershipOf(store, request.params.token, me);
      requireAllowed(membership, 'moderate');
      const added = await members.add(me, membership.conversation, request.body);
      return reply.code(added.created ? 201 : 200).send(added.participant);
    },
  );

  api.patch(
    routePath(Routes.participant),
    { schema: { params: ParticipantParams, body: UpdateParticipantRequest, response: answers({ 200: Participant }) } },
    async (request) => {
      const me = identityOf(request);
      const { token, userId } = request.params;
      requireAllowed(await membershipOf(store, token, me), 'moderate');
      return members.change(me, token, userId, request.body);
    },
  );

  api.delete(
    routePath(Routes.participant),
    { schema: { params: ParticipantParams, response: answers({ 204: NoContent }) } },
    async (request, reply) => {
      const me = identityOf(request);
      const { token, userId } = request.params;
      const membership = await membershipOf(store, token, me);
      requireAllowed(membership, 'moderate');
      await members.remove(me, membership.conversation, userId);
      return reply.code(204).send();
    },
  );

  api.delete(
    routePath(Routes.participantSelf),
    { schema: { params: TokenParams, response: answers({ 204: NoContent }) } },
    async (request, reply) => {
      const me = identityOf(request);
      const { token } = request.params;
      await membershipOf(store, token, me);
      await members.leave(me, token);
      return reply.code(204).send();
    },
  );

  api.get(
    routePath(Routes.bans),
    { schema: { params: TokenParams, response: answers({ 200: BanList }) } },
    async (request) => {
      requireAllowed(await membershipOf(store, request.params.token, identityOf(request)), 'moderate');
      return members.bans(request.params.token);
    },
  );

  api.post(
    routePath(Routes.bans),
    { schema: { params: TokenParams, body: BanRequest, response: answers({ 201: Ban }) } },
    async (request, reply) => {
      const me = identityOf(request);
      const membership = await membershipOf(store, request.params.token, me);
      requireAllowed(membership, 'moderate');
      return reply.code(201).send(await members.ban(me, membership.conversation, request.body.userId));
    },
  );

  // Lifting a ban that is not there is no error: the user may join either way.
  api.delete(
    routePath(Routes.ban),
    { schema: { params: ParticipantParams, response: answers({ 204: NoContent }) } },
    async (request, reply) => {
      const { token, userId } = request.params;
      requireAllowed(await membershipOf(store, token, identityOf(request)), 'moderate');
      await members.unban(token, userId);
      return reply.code(204).send();
    },
  );

  // The body is optional (version-1 clients send none), so it is checked here rather than by a schema.
  api.post(
    routePath(Routes.participantSelf),
    { schema: { params: TokenParams, response: answers({ 200: Participant, 201: Participant }) } },
    async (request, reply) => {
      const password = (request.body as JoinConversationRequest | undefined)?.password;
      if (password !== undefined && typeof password !== 'string') {
        throw new TalkServerError(ErrorCode.InvalidRequest, 'password must be a string');
      }
      const joined = await members.join(identityOf(request), request.params.token, password, request.ip);
      return reply.code(joined.created ? 201 : 200).send(joined.participant);
    },
  );
}
