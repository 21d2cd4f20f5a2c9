import type { PinnedMessage } from '@talk/protocol';
import type { Executor } from './database.js';
import type { MessageRepository } from './messages.js';
import type { Actor } from './participants.js';

/** Pinned messages: which message of a conversation a moderator pinned, by whom and when. */
export class PinRepository {
  constructor(
    private readonly db: Executor,
    /** For the pinned messages as clients see them. */
    private readonly messages: MessageRepository,
  ) {}

  /** Pins a message; false when it was pinned already. */
  async pin(conversation: string, messageId: number, by: Actor): Promise<boolean> {
    const row = await this.db
      .insertInto('pinned_messages')
      .values({ conversation, message_id: messageId, pinned_by_id: by.userId, pinned_by_name: by.displayName })
      .onConflict((oc) => oc.columns(['conversation', 'message_id']).doNothing())
      .returning('message_id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Unpins a message; false when it was not pinned. */
  async unpin(conversation: string, messageId: number): Promise<boolean> {
    const result = await this.db
      .deleteFrom('pinned_messages')
      .where('conversation', '=', conversation)
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The conversation's pinned messages that still exist (a deleted message drops out), latest pin first. */
  async list(conversation: string): Promise<PinnedMessage[]> {
    const rows = await this.db
      .selectFrom('pinned_messages')
      .innerJoin('messages', 'messages.id', 'pinned_messages.message_id')
      .select(['pinned_messages.message_id', 'pinned_by_id', 'pinned_by_name', 'pinned_at'])
      .where('pinned_messages.conversation', '=', conversation)
      .where('messages.deleted_at', 'is', null)
      .orderBy('pinned_at', 'desc')
      .orderBy('pinned_messages.message_id', 'desc')
      .execute();
    const byId = new Map((await this.messages.byIds(rows.map((r) => Number(r.message_id)))).map((m) => [m.id, m]));
    return rows.flatMap((row) => {
      const message = byId.get(Number(row.message_id));
      return message
        ? [
            {
              message,
              pinnedBy: { id: row.pinned_by_id, displayName: row.pinned_by_name },
              pinnedAt: row.pinned_at.toISOString(),
            },
          ]
        : [];
    });
  }

  /** Whether a message is pinned. */
  async isPinned(conversation: string, messageId: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('pinned_messages')
      .select('message_id')
      .where('conversation', '=', conversation)
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return row !== undefined;
  }
}
