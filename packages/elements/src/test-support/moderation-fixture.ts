// A fixture client for the stories of <talk-join> and <talk-participants>: the seeded conversations, plus an
// in-memory membership (participants, roles, permissions, lobby, password) that the moderation methods change.
import { ClientEvent, TalkError, TalkErrorCode } from '@talk/call-core';
import { FixtureClient, type FixtureClientOptions, people } from '@talk/call-core/testing';
import {
  ALL_PERMISSIONS,
  type Ban,
  type Conversation,
  type Participant,
  Permission,
  type UpdateConversationRequest,
  type UpdateParticipantRequest,
} from '@talk/protocol';

/** How the membership starts. */
export interface ModerationFixtureOptions extends FixtureClientOptions {
  /** The signed-in user's role; `owner` unless set. */
  role?: Participant['role'];
  /** Whether the lobby is closed. */
  lobby?: boolean;
  /** The conversation's password, if it has one. */
  password?: string;
}

/** The seeded people of a public conversation: Alice owns it, Ben moderates, Layla came as a guest. */
function seedParticipants(selfRole: Participant['role']): Participant[] {
  const defaults = ALL_PERMISSIONS;
  const row = (person: { userId: string; displayName: string }, role: Participant['role'], override?: number) => ({
    userId: person.userId,
    displayName: person.displayName,
    role,
    permissions: role === 'owner' || role === 'moderator' ? ALL_PERMISSIONS : (override ?? defaults),
    permissionOverride: override ?? null,
  });
  return [
    row(people.alice, selfRole),
    row(people.ben, selfRole === 'owner' ? 'moderator' : 'owner'),
    row(people.chloe, 'user'),
    row(people.daniel, 'user', Permission.JoinCall | Permission.PublishAudio | Permission.Chat),
    row(people.layla, 'guest'),
  ];
}

/** A FixtureClient whose conversations are public, with a membership the moderation methods change. */
export class ModerationFixture extends FixtureClient {
  /** Everyone in every conversation (one list: the stories use one conversation each). */
  participants: Participant[];
  lobby: boolean;
  password: string | null;
  readonly #role: Participant['role'];
  #names = new Map<string, string>();
  #descriptions = new Map<string, string>();
  #defaults = ALL_PERMISSIONS;

  constructor(options: ModerationFixtureOptions = {}) {
    super(options);
    this.#role = options.role ?? 'owner';
    this.lobby = options.lobby ?? false;
    this.password = options.password ?? null;
    this.participants = seedParticipants(this.#role);
  }

  /** Joins with the password, if there is one; `wrong-password` otherwise. */
  async joinConversation(_token: string, password?: string): Promise<Participant> {
    await new Promise((resolve) => setTimeout(resolve, 40));
    if (this.password !== null && password !== this.password) {
      throw new TalkError(TalkErrorCode.Server, 'This conversation needs its password', {
        status: 403,
        serverCode: 'wrong-password',
      });
    }
    return this.participants[0]!;
  }

  override async getConversation(token: string): Promise<Conversation> {
    const seen = await super.getConversation(token);
    const self = this.participants.find((p) => p.userId === this.user.userId);
    return {
      ...seen,
      type: 'public',
      name: this.#names.get(token) ?? seen.name,
      description: this.#descriptions.get(token) ?? 'The place to ask anything about the spring release.',
      role: self?.role ?? this.#role,
      permissions: self?.permissions ?? ALL_PERMISSIONS,
      lobby: this.lobby,
      hasPassword: this.password !== null,
      defaultPermissions: this.#defaults,
    };
  }

  /** Applies the changes and tells every listener, as the server's `conversation-updated` does. */
  async updateConversation(token: string, changes: UpdateConversationRequest): Promise<Conversation> {
    if (changes.name !== undefined) this.#names.set(token, changes.name);
    if (changes.description !== undefined) this.#descriptions.set(token, changes.description);
    if (changes.password !== undefined) this.password = changes.password;
    if (changes.lobby !== undefined) this.lobby = changes.lobby;
    if (changes.defaultPermissions !== undefined) {
      this.#defaults = changes.defaultPermissions;
      this.participants = this.participants.map((p) =>
        p.permissionOverride === null && (p.role === 'user' || p.role === 'guest')
          ? { ...p, permissions: this.#defaults }
          : p,
      );
    }
    this.emit(ClientEvent.ConversationUpdated, token);
    return this.getConversation(token);
  }

  async listParticipants(): Promise<Participant[]> {
    return this.participants;
  }

  async updateParticipant(token: string, userId: string, changes: UpdateParticipantRequest): Promise<Participant> {
    let updated: Participant | undefined;
    this.participants = this.participants.map((p) => {
      if (p.userId !== userId) return p;
      const role = changes.role ?? p.role;
      const override = changes.permissions === undefined ? (p.permissionOverride ?? null) : changes.permissions;
      const moderator = role === 'owner' || role === 'moderator';
      updated = {
        ...p,
        role,
        permissionOverride: override,
        permissions: moderator ? 63 : (override ?? this.#defaults),
      };
      return updated;
    });
    if (!updated) throw new TalkError(TalkErrorCode.Server, 'No such participant', { status: 404 });
    this.emit(ClientEvent.ConversationUpdated, token);
    return updated;
  }

  async removeParticipant(token: string, userId: string): Promise<void> {
    this.participants = this.participants.filter((p) => p.userId !== userId);
    this.emit(ClientEvent.ConversationUpdated, token);
  }

  async banParticipant(token: string, userId: string): Promise<Ban> {
    const banned = this.participants.find((p) => p.userId === userId);
    await this.removeParticipant(token, userId);
    return {
      userId,
      displayName: banned?.displayName ?? userId,
      bannedBy: this.user.userId,
      createdAt: new Date().toISOString(),
    };
  }

  /** A moderator elsewhere opens (or closes) the lobby. */
  setLobby(token: string, closed: boolean): void {
    this.lobby = closed;
    this.emit(ClientEvent.ConversationUpdated, token);
  }

  /** The server ends the signed-in user's membership, saying why. */
  endMembership(token: string, reason: string): void {
    this.emit(ClientEvent.ConversationLeft, token, reason);
  }
}
