import { type Static, Type } from '@sinclair/typebox';
import {
  AddParticipantRequest,
  type Conversation,
  CreateConversationRequest,
  ErrorCode,
  type JoinConversationRequest,
  type Participant,
  Routes,
  UpdateConversationRequest,
  UpdateParticipantRequest,
} from '@talk/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { passwordAttemptKeys } from '../auth/throttle.js';
import { postSystemMessage, type SystemMessageType } from '../chat/system-messages.js';
import { TalkServerError } from '../errors.js';
import type { Actor } from '../store/store.js';
import {
  identityOf,
  type Membership,
  membershipOf,
  type RouteContext,
  reaches,
  requireAllowed,
  requireJoinableByObject,
  requireOpenToAdditions,
  requireRemovable,
  requireRoleChangeable,
  requireSelfJoinable,
  requireUser,
  routePath,
  TokenParams,
} from './context.js';

const ParticipantParams = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 64 }),
  userId: Type.String({ minLength: 1, maxLength: 80 }),
});

/** The conversation as the caller sees it: with their role and permissions. */
function asSeenBy({ conversation, participant }: Membership): Conversation {
  return { ...conversation, role: participant.role, permissions: participant.permissions };
}

/** Listing, creating, changing and deleting conversations, and managing who is in them. */
export async function conversationRoutes(app: FastifyInstance, context: RouteContext): Promise<void> {
  const { store, hub } = context;
  const system = (conversation: string, actor: Actor, type: SystemMessageType, text: string) =>
    postSystemMessage(store, (c, m) => hub.broadcast(c, m), conversation, actor, type, text);

  app.get(Routes.conversations, async (request): Promise<Conversation[]> => {
    return store.conversations.listOf(identityOf(request).userId);
  });

  app.post<{ Body: CreateConversationRequest }>(
    Routes.conversations,
    { schema: { body: CreateConversationRequest } },
    async (request, reply): Promise<Conversation> => {
      const me = identityOf(request);
      requireUser(me);
      const { type, participants = [], password, object } = request.body;
      const others = participants.filter((p) => p.userId !== me.userId);
      if (type === 'one-to-one' && others.length > 1) {
        throw new TalkServerError(ErrorCode.InvalidRequest, 'A one-to-one conversation has one other participant');
      }
      if (type === 'note-to-self' && others.length > 0) {
        throw new TalkServerError(ErrorCode.InvalidRequest, 'A note-to-self conversation has nobody else in it');
      }
      if (password !== undefined && type !== 'public') {
        throw new TalkServerError(ErrorCode.InvalidRequest, 'Only public conversations have a password');
      }
      if (!object) {
        // One-to-one and note-to-self are create-or-get too: there is one per pair, one per user.
        const existing =
          type === 'one-to-one' && others[0]
            ? await store.conversations.findOneToOne(me.userId, others[0]!.userId)
            : type === 'note-to-self'
              ? await store.conversations.findNoteToSelf(me.userId)
              : undefined;
        if (existing) return existing;
      }
      const passwordHash = password === undefined ? undefined : await hashPassword(password);
      const { conversation, created } = await store.conversations.create({ ...request.body, passwordHash }, me, others);
      if (created) {
        await system(conversation.token, me, 'conversation-created', `${me.displayName} created the conversation`);
        return reply.code(201).send(conversation);
      }
      // The object's conversation exists already: the caller gets it, joining it if it is open to them.
      if (!(await store.participants.get(conversation.token, me.userId))) {
        requireJoinableByObject(conversation);
        await store.participants.add(conversation.token, me, 'user');
        await system(conversation.token, me, 'user-joined', `${me.displayName} joined`);
      }
      return conversation;
    },
  );

  app.get<{ Params: TokenParams }>(
    routePath(Routes.conversation),
    { schema: { params: TokenParams } },
    async (request): Promise<Conversation> =>
      asSeenBy(await membershipOf(store, request.params.token, identityOf(request))),
  );

  app.patch<{ Params: TokenParams; Body: UpdateConversationRequest }>(
    routePath(Routes.conversation),
    { schema: { params: TokenParams, body: UpdateConversationRequest } },
    async (request): Promise<Conversation> => {
      const me = identityOf(request);
      const { token } = request.params;
      const membership = await membershipOf(store, token, me);
      requireAllowed(membership, 'moderate');
      const { password, ...rest } = request.body;
      const before = membership.conversation;
      if (password !== undefined && password !== null && before.type !== 'public') {
        throw new TalkServerError(ErrorCode.InvalidRequest, 'Only public conversations have a password');
      }
      const passwordHash = password === undefined ? undefined : password === null ? null : await hashPassword(password);
      const after = await store.conversations.update(token, { ...rest, passwordHash });
      if (!after) throw new TalkServerError(ErrorCode.NotFound, 'No such conversation');
      if (rest.name !== undefined && rest.name !== before.name) {
        await system(token, me, 'conversation-renamed', `${me.displayName} renamed the conversation to ${rest.name}`);
      }
      if (rest.description !== undefined && rest.description !== before.description) {
        await system(token, me, 'description-changed', `${me.displayName} changed the description`);
      }
      if (passwordHash !== undefined) {
        await system(
          token,
          me,
          passwordHash ? 'password-set' : 'password-removed',
          `${me.displayName} ${passwordHash ? 'set' : 'removed'} the password`,
        );
      }
      if (rest.lobby !== undefined && rest.lobby !== before.lobby) {
        await hub.control(token, { kind: 'lobby', enabled: rest.lobby });
        await system(
          token,
          me,
          rest.lobby ? 'lobby-enabled' : 'lobby-disabled',
          `${me.displayName} ${rest.lobby ? 'closed' : 'opened'} the lobby`,
        );
      }
      await hub.broadcast(token, { type: 'conversation-updated', conversation: token });
      return asSeenBy({ conversation: after, participant: membership.participant });
    },
  );

  app.delete<{ Params: TokenParams }>(
    routePath(Routes.conversation),
    { schema: { params: TokenParams } },
    async (request, reply) => {
      const { token } = request.params;
      requireAllowed(await membershipOf(store, token, identityOf(request)), 'moderate');
      await hub.control(token, { kind: 'evict', reason: 'deleted' });
      await store.conversations.delete(token);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: TokenParams }>(
    routePath(Routes.participants),
    { schema: { params: TokenParams } },
    async (request): Promise<Participant[]> => {
      await membershipOf(store, request.params.token, identityOf(request));
      return store.participants.list(request.params.token);
    },
  );

  app.post<{ Params: TokenParams; Body: AddParticipantRequest }>(
    routePath(Routes.participants),
    { schema: { params: TokenParams, body: AddParticipantRequest } },
    async (request, reply): Promise<Participant> => {
      const me = identityOf(request);
      const { token } = request.params;
      const membership = await membershipOf(store, token, me);
      requireAllowed(membership, 'moderate');
      requireOpenToAdditions(membership.conversation);
      const { userId, displayName, role = 'user' } = request.body;
      const added = await store.participants.add(token, { userId, displayName }, role);
      if (!added.created) return added.participant;
      await system(token, me, 'user-added', `${me.displayName} added ${displayName}`);
      await hub.broadcast(token, { type: 'conversation-updated', conversation: token });
      return reply.code(201).send(added.participant);
    },
  );

  app.patch<{ Params: Static<typeof ParticipantParams>; Body: UpdateParticipantRequest }>(
    routePath(Routes.participant),
    { schema: { params: ParticipantParams, body: UpdateParticipantRequest } },
    async (request): Promise<Participant> => {
      const me = identityOf(request);
      const { token, userId } = request.params;
      requireAllowed(await membershipOf(store, token, me), 'moderate');
      const target = await store.participants.get(token, userId);
      if (!target) throw new TalkServerError(ErrorCode.NotFound, 'No such participant');
      const { role, permissions } = request.body;
      if (role !== undefined) requireRoleChangeable(target);
      const updated = await store.participants.update(token, userId, { role, permissions });
      if (!updated) throw new TalkServerError(ErrorCode.NotFound, 'No such participant');
      if (role !== undefined && role !== target.role) {
        await hub.control(token, { kind: 'role', userId, role });
        const promoted = role === 'moderator';
        await system(
          token,
          me,
          promoted ? 'moderator-promoted' : 'moderator-demoted',
          `${me.displayName} made ${target.displayName} ${promoted ? 'a moderator' : 'a user'}`,
        );
      }
      if (permissions !== undefined)
        await system(
          token,
          me,
          'permissions-changed',
          `${me.displayName} changed the permissions of ${target.displayName}`,
        );
      await hub.broadcast(token, { type: 'conversation-updated', conversation: token });
      return updated;
    },
  );

  app.delete<{ Params: Static<typeof ParticipantParams> }>(
    routePath(Routes.participant),
    { schema: { params: ParticipantParams } },
    async (request, reply) => {
      const me = identityOf(request);
      const { token, userId } = request.params;
      requireAllowed(await membershipOf(store, token, me), 'moderate');
      const target = await store.participants.get(token, userId);
      if (!target) throw new TalkServerError(ErrorCode.NotFound, 'No such participant');
      requireRemovable(target);
      await store.participants.remove(token, userId);
      await hub.control(token, { kind: 'evict', userId, reason: 'removed' });
      await system(token, me, 'user-removed', `${me.displayName} removed ${target.displayName}`);
      return reply.code(204).send();
    },
  );

  // The caller leaves; the last one out deletes the conversation.
  app.delete<{ Params: TokenParams }>(
    routePath(Routes.participantSelf),
    { schema: { params: TokenParams } },
    async (request, reply) => {
      const me = identityOf(request);
      const { token } = request.params;
      await membershipOf(store, token, me);
      await store.participants.remove(token, me.userId);
      await hub.control(token, { kind: 'evict', userId: me.userId, reason: 'left' });
      if ((await store.participants.list(token)).length === 0) await store.conversations.delete(token);
      else await system(token, me, 'user-left', `${me.displayName} left`);
      return reply.code(204).send();
    },
  );

  // The body is optional (version-1 clients send none), so it is checked here rather than by a schema.
  app.post<{ Params: TokenParams; Body: JoinConversationRequest | undefined }>(
    routePath(Routes.participantSelf),
    { schema: { params: TokenParams } },
    async (request, reply): Promise<Participant> => {
      const me = identityOf(request);
      const { token } = request.params;
      const conversation = await store.conversations.get(token);
      if (!conversation || !reaches(me, token)) throw new TalkServerError(ErrorCode.NotFound, 'No such conversation');
      const existing = await store.participants.get(conversation.token, me.userId);
      if (existing) return existing;
      requireSelfJoinable(conversation);
      const password = request.body?.password;
      if (password !== undefined && typeof password !== 'string') {
        throw new TalkServerError(ErrorCode.InvalidRequest, 'password must be a string');
      }
      await checkPassword(context, request, token, password);
      const { participant } = await store.participants.add(conversation.token, me, 'user');
      await system(token, me, 'user-joined', `${me.displayName} joined`);
      return reply.code(201).send(participant);
    },
  );
}

/** Checks a public conversation's password, throttling attempts per client address and per conversation. */
export async function checkPassword(
  { store, passwordThrottle }: RouteContext,
  request: FastifyRequest,
  token: string,
  password: string | undefined,
): Promise<void> {
  const hash = await store.conversations.passwordHashOf(token);
  if (hash === null) return;
  // Counted before the slow hash, so that guesses fired in parallel cannot all pass.
  const attempt = passwordThrottle.begin(passwordAttemptKeys(request.ip, token));
  if (password === undefined || !(await verifyPassword(password, hash))) {
    throw new TalkServerError(ErrorCode.WrongPassword, 'This conversation needs its password');
  }
  attempt.succeeded();
}
