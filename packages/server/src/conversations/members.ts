import { randomBytes } from 'node:crypto';
import {
  type AddParticipantRequest,
  type Ban,
  type Conversation,
  ErrorCode,
  type GuestJoinResponse,
  type Participant,
  type UpdateParticipantRequest,
} from '@talk/protocol';
import {
  reaches,
  requireNotBanned,
  requireOpenToAdditions,
  requireRemovable,
  requireRoleChangeable,
  requireSelfJoinable,
} from '../access/rules.js';
import type { NameBook } from '../auth/names.js';
import type { Throttle } from '../auth/throttle.js';
import type { Identity, TokenService } from '../auth/tokens.js';
import { SystemMessages } from '../chat/system-messages.js';
import { TalkServerError } from '../errors.js';
import type { SignalingHub } from '../signaling/hub.js';
import type { Store } from '../store/store.js';
import { PasswordGate } from './password-gate.js';

/** How long a guest's token lasts. */
const GUEST_TOKEN_SECONDS = 8 * 60 * 60;

/** What the membership rules need. */
export interface MemberDeps {
  store: Store;
  /** Whose names the people added get: their own. */
  names: Pick<NameBook, 'of'>;
  hub: Pick<SignalingHub, 'broadcast' | 'control' | 'tellUsers'>;
  tokens: Pick<TokenService, 'issue'>;
  passwordThrottle: Throttle;
}

/**
 * Who is in a conversation and how they got there: added by a moderator, joined by themselves or as a guest
 * through a public link, promoted, removed, or gone of their own accord; each with its system message.
 */
export class Members {
  readonly #store: Store;
  readonly #hub: MemberDeps['hub'];
  readonly #tokens: MemberDeps['tokens'];
  readonly #names: MemberDeps['names'];
  readonly #system: SystemMessages;
  readonly #passwords: PasswordGate;

  constructor({ store, hub, tokens, names, passwordThrottle }: MemberDeps) {
    this.#store = store;
    this.#names = names;
    this.#hub = hub;
    this.#tokens = tokens;
    this.#system = new SystemMessages(store, hub);
    this.#passwords = new PasswordGate(store, passwordThrottle);
  }

  /** Everyone in a conversation, in the order they joined. */
  list(token: string): Promise<Participant[]> {
    return this.#store.participants.list(token);
  }

  /**
   * `me`, a moderator, adds a user under the name their own token gives them (the request's is not used); one
   * already there comes back with `created: false` and nobody is told. Adding lifts a ban: a moderator chose to.
   */
  async add(
    me: Identity,
    conversation: Conversation,
    { userId, role = 'user' }: AddParticipantRequest,
  ): Promise<{ participant: Participant; created: boolean }> {
    const token = conversation.token;
    requireOpenToAdditions(conversation);
    const displayName = (await this.#names.of([userId])).get(userId) ?? userId;
    const added = await this.#store.participants.add(token, { userId, displayName }, role);
    if (!added.created) return added;
    await this.#store.participants.unban(token, userId);
    await this.#system.post(token, me, 'user-added', `${me.displayName} added ${displayName}`, {
      user: { id: userId, displayName: added.participant.displayName },
    });
    await this.#hub.broadcast(token, { type: 'conversation-updated', conversation: token });
    return added;
  }

  /** `me`, a moderator, changes a participant's role or permission override; owners and guests keep their role. */
  async change(
    me: Identity,
    token: string,
    userId: string,
    { role, permissions }: UpdateParticipantRequest,
  ): Promise<Participant> {
    const target = await this.#target(token, userId);
    if (role !== undefined) requireRoleChangeable(target);
    const updated = await this.#store.participants.update(token, userId, { role, permissions });
    if (!updated) throw new TalkServerError(ErrorCode.NotFound, 'No such participant');
    if (role !== undefined && role !== target.role) {
      await this.#hub.control(token, { kind: 'role', userId, role });
      const promoted = role === 'moderator';
      await this.#system.post(
        token,
        me,
        promoted ? 'moderator-promoted' : 'moderator-demoted',
        `${me.displayName} made ${target.displayName} ${promoted ? 'a moderator' : 'a user'}`,
        { user: { id: userId, displayName: target.displayName } },
      );
    }
    if (permissions !== undefined) {
      await this.#system.post(
        token,
        me,
        'permissions-changed',
        `${me.displayName} changed the permissions of ${target.displayName}`,
        { user: { id: userId, displayName: target.displayName }, permissions },
      );
    }
    await this.#hub.broadcast(token, { type: 'conversation-updated', conversation: token });
    return updated;
  }

  /**
   * `me`, a moderator, removes a participant other than the owner, whose sessions are closed. From a conversation
   * anyone may join by themselves (public, or an object's), removal is a ban, or they would be back at once.
   * `reason` is what the removed sessions are told: `banned` when a ban removed them.
   */
  async remove(
    me: Identity,
    conversation: Conversation,
    userId: string,
    reason: 'removed' | 'banned' = 'removed',
  ): Promise<void> {
    const token = conversation.token;
    const target = await this.#target(token, userId);
    requireRemovable(target);
    if (conversation.type === 'public' || conversation.object !== null) {
      await this.#store.participants.ban(token, target, me.userId);
    }
    await this.#store.participants.remove(token, userId);
    await this.#hub.control(token, { kind: 'evict', userId, reason });
    await this.#hub.tellUsers([userId], token, 'removed');
    await this.#system.post(token, me, 'user-removed', `${me.displayName} removed ${target.displayName}`, {
      user: { id: userId, displayName: target.displayName },
    });
  }

  /** `me`, a moderator, bans a user from joining by themselves, removing them if they are in. */
  async ban(me: Identity, conversation: Conversation, userId: string): Promise<Ban> {
    const token = conversation.token;
    const present = await this.#store.participants.get(token, userId);
    if (present) requireRemovable(present);
    const displayName = present?.displayName ?? (await this.#names.of([userId])).get(userId) ?? userId;
    const ban = await this.#store.participants.ban(token, { userId, displayName }, me.userId);
    if (present) await this.remove(me, conversation, userId, 'banned');
    return ban;
  }

  /** Lifts a ban, if there is one. */
  async unban(token: string, userId: string): Promise<void> {
    await this.#store.participants.unban(token, userId);
  }

  /** Who is banned from a conversation. */
  bans(token: string): Promise<Ban[]> {
    return this.#store.participants.bans(token);
  }

  /** `me` leaves; the last one out deletes the conversation. */
  async leave(me: Identity, token: string): Promise<void> {
    await this.#store.participants.remove(token, me.userId);
    await this.#hub.control(token, { kind: 'evict', userId: me.userId, reason: 'left' });
    await this.#hub.tellUsers([me.userId], token, 'removed');
    if ((await this.#store.participants.list(token)).length === 0) {
      await this.#store.conversations.delete(token);
      return;
    }
    await this.#system.post(token, me, 'user-left', `${me.displayName} left`).catch(async (error: unknown) => {
      // The last others may have left meanwhile, and the conversation went with them: nobody is left to tell.
      if (await this.#store.conversations.get(token)) throw error;
    });
  }

  /**
   * `me` joins a public conversation without an invitation, with its password if it has one; a participant
   * already there comes back with `created: false`. A guest's token is good for its own conversation only, and a
   * guest who left comes back as a guest. A banned user is refused.
   */
  async join(
    me: Identity,
    token: string,
    password: string | undefined,
    clientAddress: string,
  ): Promise<{ participant: Participant; created: boolean }> {
    const conversation = await this.#store.conversations.get(token);
    if (!conversation || !reaches(me, token)) throw new TalkServerError(ErrorCode.NotFound, 'No such conversation');
    const existing = await this.#store.participants.get(conversation.token, me.userId);
    if (existing) return { participant: existing, created: false };
    requireSelfJoinable(conversation);
    requireNotBanned(await this.#store.participants.isBanned(token, me.userId));
    await this.#passwords.check(token, password, clientAddress);
    const role = me.guestOf === undefined ? 'user' : 'guest';
    const { participant } = await this.#store.participants.add(conversation.token, me, role);
    await this.#system.post(token, me, 'user-joined', `${me.displayName} joined`);
    return { participant, created: true };
  }

  /**
   * Anyone with a public conversation's link joins it as a guest under a name they choose, and gets a token
   * good for this conversation only. Any other conversation looks like none to them.
   */
  async joinAsGuest(
    token: string,
    displayName: string,
    password: string | undefined,
    clientAddress: string,
  ): Promise<GuestJoinResponse> {
    const conversation = await this.#store.conversations.get(token);
    if (conversation?.type !== 'public') throw new TalkServerError(ErrorCode.NotFound, 'No such conversation');
    await this.#passwords.check(token, password, clientAddress);
    const guest = { userId: `guest-${randomBytes(8).toString('hex')}`, displayName: displayName.trim() };
    const { participant } = await this.#store.participants.add(token, guest, 'guest');
    await this.#system.post(token, guest, 'guest-joined', `${guest.displayName} joined as a guest`);
    const issued = await this.#tokens.issue({ ...guest, guestOf: token }, GUEST_TOKEN_SECONDS);
    return { ...issued, participant };
  }

  /** A participant that a moderator acts on; 404 when there is none. */
  async #target(token: string, userId: string): Promise<Participant> {
    const target = await this.#store.participants.get(token, userId);
    if (!target) throw new TalkServerError(ErrorCode.NotFound, 'No such participant');
    return target;
  }
}
