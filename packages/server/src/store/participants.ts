import type { Ban, Conversation, Participant, ParticipantRole } from '@talk/protocol';
import type { Selectable, Updateable } from 'kysely';
import type { Executor } from './database.js';
import { JOINED_PARTICIPANT_COLUMNS, toConversation, toJoinedParticipant, toParticipant } from './rows.js';
import type { BanTable, ParticipantTable } from './schema.js';

/** A user as the store records them on participants and messages. */
export interface Actor {
  userId: string;
  displayName: string;
}

/** A participant with the conversation it belongs to. */
export interface Membership {
  participant: Participant;
  conversation: Conversation;
}

/** Participants: who belongs to a conversation, with which role and permissions, and how far they have read. */
export class ParticipantRepository {
  constructor(private readonly db: Executor) {}

  /** `userId`'s membership of a conversation, if any. */
  async get(conversation: string, userId: string): Promise<Participant | undefined> {
    const row = await this.db
      .selectFrom('participants')
      .innerJoin('conversations', 'conversations.token', 'participants.conversation')
      .selectAll('participants')
      .select('conversations.default_permissions')
      .where('conversation', '=', conversation)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && toParticipant(row, row.default_permissions);
  }

  /** A participant with the conversation it belongs to, in one query: what every route checks first. */
  async membership(conversation: string, userId: string): Promise<Membership | undefined> {
    const row = await this.db
      .selectFrom('participants')
      .innerJoin('conversations', 'conversations.token', 'participants.conversation')
      .selectAll('conversations')
      .select(JOINED_PARTICIPANT_COLUMNS)
      .where('participants.conversation', '=', conversation)
      .where('participants.user_id', '=', userId)
      .executeTakeFirst();
    if (!row) return undefined;
    const participant = toJoinedParticipant(conversation, row);
    return { participant, conversation: toConversation(row) };
  }

  /** Adds `actor` to a conversation unless already there; `created` says which happened. */
  async add(
    conversation: string,
    actor: Actor,
    role: ParticipantRole,
  ): Promise<{ participant: Participant; created: boolean }> {
    const inserted = await this.db
      .insertInto('participants')
      .values({ conversation, user_id: actor.userId, display_name: actor.displayName, role })
      .onConflict((oc) => oc.columns(['conversation', 'user_id']).doNothing())
      .returning('user_id')
      .executeTakeFirst();
    const participant = await this.get(conversation, actor.userId);
    if (!participant) throw new Error(`participant ${actor.userId} of ${conversation} vanished`);
    return { participant, created: inserted !== undefined };
  }

  /** Changes a participant's role or permission override. */
  async update(
    conversation: string,
    userId: string,
    changes: { role?: ParticipantRole; permissions?: number | null },
  ): Promise<Participant | undefined> {
    const set: Updateable<ParticipantTable> = {};
    if (changes.role !== undefined) set.role = changes.role;
    if (changes.permissions !== undefined) set.permissions = changes.permissions;
    if (Object.keys(set).length > 0) {
      await this.db
        .updateTable('participants')
        .set(set)
        .where('conversation', '=', conversation)
        .where('user_id', '=', userId)
        .execute();
    }
    return this.get(conversation, userId);
  }

  /** Removes a participant; true if there was one. */
  async remove(conversation: string, userId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('participants')
      .where('conversation', '=', conversation)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Everyone in a conversation, in the order they joined. */
  async list(conversation: string): Promise<Participant[]> {
    const rows = await this.db
      .selectFrom('participants')
      .innerJoin('conversations', 'conversations.token', 'participants.conversation')
      .selectAll('participants')
      .select('conversations.default_permissions')
      .where('conversation', '=', conversation)
      .orderBy('joined_at')
      .orderBy('user_id')
      .execute();
    return rows.map((row) => toParticipant(row, row.default_permissions));
  }

  /**
   * The user ids of everyone in a conversation, and nothing else: every chat message tells each participant's
   * conversation list, and on PGlite turning whole rows into objects was a tenth of the server's time at 200 posts
   * a second.
   */
  async userIds(conversation: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('participants')
      .select('user_id')
      .where('conversation', '=', conversation)
      .execute();
    return rows.map((row) => row.user_id);
  }

  /** Bans `actor` from joining the conversation by themselves; a second ban keeps the first. */
  async ban(conversation: string, actor: Actor, bannedBy: string): Promise<Ban> {
    await this.db
      .insertInto('bans')
      .values({ conversation, user_id: actor.userId, display_name: actor.displayName, banned_by: bannedBy })
      .onConflict((oc) => oc.columns(['conversation', 'user_id']).doNothing())
      .execute();
    const row = await this.db
      .selectFrom('bans')
      .selectAll()
      .where('conversation', '=', conversation)
      .where('user_id', '=', actor.userId)
      .executeTakeFirstOrThrow();
    return toBan(row);
  }

  /** Lifts a ban; true if there was one. */
  async unban(conversation: string, userId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('bans')
      .where('conversation', '=', conversation)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Whether `userId` is banned from the conversation. */
  async isBanned(conversation: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('bans')
      .select('user_id')
      .where('conversation', '=', conversation)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The conversation's bans, oldest first. */
  async bans(conversation: string): Promise<Ban[]> {
    const rows = await this.db
      .selectFrom('bans')
      .selectAll()
      .where('conversation', '=', conversation)
      .orderBy('created_at')
      .orderBy('user_id')
      .execute();
    return rows.map(toBan);
  }

  /**
   * Records the name the user's latest token gave them, on the user and on each of their participants, so that
   * whoever adds them later cannot name them otherwise; writes only when the name changed.
   */
  async recordName(userId: string, displayName: string): Promise<void> {
    // One round trip: the user's row is written in a data-modifying CTE, which runs whether or not it is read.
    await this.db
      .with('recorded', (db) =>
        db
          .insertInto('users')
          .values({ user_id: userId, display_name: displayName })
          .onConflict((oc) =>
            oc
              .column('user_id')
              .doUpdateSet({ display_name: displayName, seen_at: new Date() })
              .where('users.display_name', '<>', displayName),
          )
          .returning('user_id'),
      )
      .updateTable('participants')
      .set({ display_name: displayName })
      .where('user_id', '=', userId)
      .where('display_name', '<>', displayName)
      .execute();
  }

  /** The names their own tokens gave these users, for those the server has seen. */
  async knownNames(userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('users')
      .select(['user_id', 'display_name'])
      .where('user_id', 'in', [...userIds])
      .execute();
    return new Map(rows.map((row) => [row.user_id, row.display_name]));
  }

  /** Moves a participant's read marker forward (never back). */
  async markRead(conversation: string, userId: string, messageId: number): Promise<void> {
    await this.db
      .updateTable('participants')
      .set({ last_read_message_id: messageId })
      .where('conversation', '=', conversation)
      .where('user_id', '=', userId)
      .where('last_read_message_id', '<', messageId)
      .execute();
  }
}

/** A ban as the API shows it. */
function toBan(row: Selectable<BanTable>): Ban {
  return {
    userId: row.user_id,
    displayName: row.display_name,
    bannedBy: row.banned_by,
    createdAt: row.created_at.toISOString(),
  };
}
