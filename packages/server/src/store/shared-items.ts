import type { ChatMessage, SharedItemType } from '@talk/protocol';
import { sql } from 'kysely';
import type { Executor } from './database.js';
import type { MessageRepository } from './messages.js';
import { pageOf } from './search.js';

/** What a web link in a message looks like to the shared-items overview (the clients linkify the same). */
const LINK = 'https?://[^[:space:]]';

/** A conversation's shared items by type: files and images by their sniffed type, links, polls. */
export class SharedItemRepository {
  constructor(
    private readonly db: Executor,
    /** For the messages as clients see them. */
    private readonly messages: MessageRepository,
  ) {}

  /** One page of a type's items, newest first, and the id to page on from (null after the last page). */
  async list(
    conversation: string,
    type: SharedItemType,
    page: { before?: number; limit: number },
  ): Promise<{ messages: ChatMessage[]; nextBefore: number | null }> {
    let query = this.db
      .selectFrom('messages')
      .leftJoin('attachments', 'attachments.id', 'messages.attachment_id')
      .select('messages.id')
      .where('messages.conversation', '=', conversation)
      .where('messages.deleted_at', 'is', null)
      .orderBy('messages.id', 'desc')
      .limit(page.limit + 1);
    if (type === 'poll') query = query.where('messages.kind', '=', 'poll');
    if (type === 'link') {
      query = query.where('messages.kind', '=', 'comment').where(sql<boolean>`messages.message ~* ${LINK}`);
    }
    if (type === 'image' || type === 'file') {
      query = query
        .where('messages.kind', '=', 'file')
        .where('attachments.content_type', type === 'image' ? 'like' : 'not like', 'image/%');
    }
    if (page.before !== undefined) query = query.where('messages.id', '<', page.before);
    return pageOf(
      this.messages,
      (await query.execute()).map((row) => Number(row.id)),
      page.limit,
    );
  }
}
