import type { Conversation, Participant, ParticipantRole } from '@talk/protocol';
import type { Updateable } from 'kysely';
import type { Executor } from './database.js';
import { JOINED_PARTICIPANT_COLUMNS, toConversation, toJoinedParticipant, toParticipant } from './rows.js';
import type { ParticipantTable } from './schema.js';

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
