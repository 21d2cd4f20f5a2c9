import type { ChatMessage } from '@talk/protocol';
import { sql } from 'kysely';
import type { Membership } from '../access/rules.js';
import type { Executor } from './database.js';
import type { MessageRepository } from './messages.js';
import { JOINED_PARTICIPANT_COLUMNS, toConversation, toJoinedParticipant } from './rows.js';

/** A search of messages: the words, the conversations to look in, and where the previous page stopped. */
export interface MessageSearch {
  /** The words as the user typed them. */
  text: string;
  /** The conversations to search; the caller decides which they may read. */
  conversations: readonly string[];
  before?: number;
  limit: number;
}

/** The kinds of message a search finds: what people wrote, not what the server noted. */
const SEARCHED_KINDS = ['comment', 'file', 'poll'] as const;

/**
 * Full-text search of messages, the same SQL on PGlite and PostgreSQL: the built-in `simple` configuration
 * (no stemming, no extension) over the stored `search_document` column and its GIN index, every word of the
 * query matched as a word prefix.
 */
export class SearchRepository {
  constructor(
    private readonly db: Executor,
    /** For the found messages as clients see them. */
    private readonly messages: MessageRepository,
  ) {}

  /**
   * The query as a tsquery: the words' lexemes (as the configuration reads them) each as a prefix, all required.
   * PostgreSQL parses the user's text itself, so no character of it reaches the tsquery syntax unquoted; null when
   * the text has no word at all.
   */
  async #tsquery(text: string): Promise<string | null> {
    const { rows } = await sql<{ q: string | null }>`
      select string_agg(quote_literal(lexeme) || ':*', ' & ') as q from unnest(to_tsvector('simple', ${text}))
    `.execute(this.db);
    return rows[0]?.q ?? null;
  }

  /** One page of matching messages, newest first, and the id to page on from (null after the last page). */
  async search({
    text,
    conversations,
    before,
    limit,
  }: MessageSearch): Promise<{ messages: ChatMessage[]; nextBefore: number | null }> {
    if (conversations.length === 0) return { messages: [], nextBefore: null };
    const tsquery = await this.#tsquery(text);
    if (tsquery === null) return { messages: [], nextBefore: null };
    let query = this.db
      .selectFrom('messages')
      .select('id')
      .where('conversation', 'in', conversations)
      .where('kind', 'in', SEARCHED_KINDS)
      .where('deleted_at', 'is', null)
      .where(sql<boolean>`search_document @@ to_tsquery('simple', ${tsquery})`)
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (before !== undefined) query = query.where('id', '<', before);
    return pageOf(
      this.messages,
      (await query.execute()).map((row) => Number(row.id)),
      limit,
    );
  }

  /** Every conversation `userId` takes part in, as memberships the access rules can judge. */
  async membershipsOf(userId: string): Promise<Membership[]> {
    const rows = await this.db
      .selectFrom('participants')
      .innerJoin('conversations', 'conversations.token', 'participants.conversation')
      .selectAll('conversations')
      .select(JOINED_PARTICIPANT_COLUMNS)
      .where('participants.user_id', '=', userId)
      .execute();
    return rows.map((row) => ({
      participant: toJoinedParticipant(row.token, row),
      conversation: toConversation(row),
    }));
  }
}

/**
 * A page from up to `limit + 1` ids, newest first: the extra one only says that another page follows. The
 * messages are read as clients see them, in the order of the ids.
 */
export async function pageOf(
  messages: MessageRepository,
  ids: number[],
  limit: number,
): Promise<{ messages: ChatMessage[]; nextBefore: number | null }> {
  const page = ids.slice(0, limit);
  const byId = new Map((await messages.byIds(page)).map((message) => [message.id, message]));
  return {
    messages: page.map((id) => byId.get(id)).filter((message) => message !== undefined),
    nextBefore: ids.length > limit ? page[page.length - 1]! : null,
  };
}
