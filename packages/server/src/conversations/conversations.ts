import {
  type Conversation,
  type CreateConversationRequest,
  ErrorCode,
  type UpdateConversationRequest,
} from '@talk/protocol';
import {
  type Membership,
  requireJoinableByObject,
  requireNotBanned,
  requireObjectCreatable,
  requireObjectGrant,
} from '../access/rules.js';
import type { NameBook } from '../auth/names.js';
import { hashPassword } from '../auth/passwords.js';
import type { Identity } from '../auth/tokens.js';
import { SystemMessages } from '../chat/system-messages.js';
import { TalkServerError } from '../errors.js';
import type { SignalingHub } from '../signaling/hub.js';
import type { Store } from '../store/store.js';

/** What the conversation rules need: the data, and the hub to tell who is connected. */
export interface ConversationDeps {
  store: Store;
  /** Whose names the people added get: their own. */
  names: Pick<NameBook, 'of'>;
  hub: Pick<SignalingHub, 'broadcast' | 'control' | 'tellUsers'>;
}

/** The conversation as the caller sees it: with their role and permissions. */
export function asSeenBy({ conversation, participant }: Membership): Conversation {
  return { ...conversation, role: participant.role, permissions: participant.permissions };
}

/**
 * Creating, changing and deleting conversations: what each type of conversation allows, create-or-get for
 * one-to-ones, notes and objects, and the system messages that record each change.
 */
export class Conversations {
  readonly #store: Store;
  readonly #hub: ConversationDeps['hub'];
  readonly #names: ConversationDeps['names'];
  readonly #system: SystemMessages;

  constructor({ store, hub, names }: ConversationDeps) {
    this.#store = store;
    this.#names = names;
    this.#hub = hub;
    this.#system = new SystemMessages(store, hub);
  }

  /** The conversations `userId` takes part in, most recently active first. */
  listOf(userId: string): Promise<Conversation[]> {
    return this.#store.conversations.listOf(userId);
  }

  /**
   * Creates a conversation owned by `me`, or returns the one that already stands for the same thing: the
   * one-to-one of the pair, the caller's note-to-self, or the object's conversation (which the caller joins
   * if it is open to them). `created` says which.
   */
  async create(
    me: Identity,
    request: CreateConversationRequest,
  ): Promise<{ conversation: Conversation; created: boolean }> {
    const { type, participants = [], password, object } = request;
    // Each added user is named by their own token, never by the caller.
    const named = await this.#names.of(participants.map((p) => p.userId));
    const others = participants
      .filter((p) => p.userId !== me.userId)
      .map((p) => ({ userId: p.userId, displayName: named.get(p.userId) ?? p.userId }));
    if (type === 'one-to-one' && others.length > 1) {
      throw new TalkServerError(ErrorCode.InvalidRequest, 'A one-to-one conversation has one other participant');
    }
    if (type === 'note-to-self' && others.length > 0) {
      throw new TalkServerError(ErrorCode.InvalidRequest, 'A note-to-self conversation has nobody else in it');
    }
    if (password !== undefined && type !== 'public') {
      throw new TalkServerError(ErrorCode.InvalidRequest, 'Only public conversations have a password');
    }
    // The host vouches for objects: without a grant in the caller's token, the object's conversation stays shut.
    const grant = object ? requireObjectGrant(me, object) : undefined;
    if (grant && object && !(await this.#store.conversations.findByObject(object))) {
      requireObjectCreatable(grant, type);
    }
    if (!object) {
      // One-to-one and note-to-self are create-or-get too: there is one per pair, one per user.
      const existing =
        type === 'one-to-one' && others[0]
          ? await this.#store.conversations.findOneToOne(me.userId, others[0].userId)
          : type === 'note-to-self'
            ? await this.#store.conversations.findNoteToSelf(me.userId)
            : undefined;
      if (existing) return { conversation: existing, created: false };
    }
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    const { conversation, created } = await this.#store.conversations.create({ ...request, passwordHash }, me, others);
    if (created) {
      await this.#system.post(
        conversation.token,
        me,
        'conversation-created',
        `${me.displayName} created the conversation`,
      );
      return { conversation, created };
    }
    // The object's conversation exists already: the caller gets it, joining it if it is open to them.
    if (!(await this.#store.participants.get(conversation.token, me.userId))) {
      requireJoinableByObject(conversation);
      requireNotBanned(await this.#store.participants.isBanned(conversation.token, me.userId));
      await this.#store.participants.add(conversation.token, me, 'user');
      await this.#system.post(conversation.token, me, 'user-joined', `${me.displayName} joined`);
    }
    return { conversation, created: false };
  }

  /**
   * Changes a conversation's settings on behalf of `me`, a moderator of it; each change that took effect gets
   * its system message, a lobby change reaches the connected sessions at once.
   */
  async update(me: Identity, membership: Membership, changes: UpdateConversationRequest): Promise<Conversation> {
    const { password, ...rest } = changes;
    const before = membership.conversation;
    const token = before.token;
    if (password !== undefined && password !== null && before.type !== 'public') {
      throw new TalkServerError(ErrorCode.InvalidRequest, 'Only public conversations have a password');
    }
    const passwordHash = password === undefined ? undefined : password === null ? null : await hashPassword(password);
    const after = await this.#store.conversations.update(token, { ...rest, passwordHash });
    if (!after) throw new TalkServerError(ErrorCode.NotFound, 'No such conversation');
    const who = me.displayName;
    if (rest.name !== undefined && rest.name !== before.name) {
      await this.#system.post(token, me, 'conversation-renamed', `${who} renamed the conversation to ${rest.name}`, {
        oldName: before.name,
        newName: rest.name,
      });
    }
    if (rest.description !== undefined && rest.description !== before.description) {
      await this.#system.post(token, me, 'description-changed', `${who} changed the description`);
    }
    if (passwordHash !== undefined) {
      const set = passwordHash !== null;
      await this.#system.post(
        token,
        me,
        set ? 'password-set' : 'password-removed',
        `${who} ${set ? 'set' : 'removed'} the password`,
      );
    }
    if (rest.lobby !== undefined && rest.lobby !== before.lobby) {
      await this.#hub.control(token, { kind: 'lobby', enabled: rest.lobby });
      await this.#system.post(
        token,
        me,
        rest.lobby ? 'lobby-enabled' : 'lobby-disabled',
        `${who} ${rest.lobby ? 'closed' : 'opened'} the lobby`,
      );
    }
    await this.#hub.broadcast(token, { type: 'conversation-updated', conversation: token });
    return asSeenBy({ conversation: after, participant: membership.participant });
  }

  /** Deletes a conversation with everything in it, after telling its connected sessions why they go. */
  async delete(token: string): Promise<void> {
    const participants = await this.#store.participants.list(token);
    await this.#hub.control(token, { kind: 'evict', reason: 'deleted' });
    await this.#store.conversations.delete(token);
    await this.#hub.tellUsers(
      participants.map((p) => p.userId),
      token,
      'deleted',
    );
  }
}
