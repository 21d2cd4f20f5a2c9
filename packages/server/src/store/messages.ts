import type { ChatMessage, Mention, MessageKind, SystemParameters } from '@talk/protocol';
import { sql } from 'kysely';
import type { AttachmentRepository } from './attachments.js';
import { type Executor, inTransaction } from './database.js';
import type { Actor } from './participants.js';
import type { ReactionRepository } from './reactions.js';
import { type MessageExtras, type MessageRow, toChatMessage } from './rows.js';

/** What a message is posted with besides its text. */
export interface MessageOptions {
  referenceId?: string | null;
  replyTo?: number;
  silent?: boolean;
  mentions?: Mention[];
  attachmentId?: string;
  kind?: MessageKind;
  systemType?: string;
  /** What a system message's wording needs besides its actor. */
  systemParameters?: SystemParameters;
}

/** A page of a conversation's history; see {@link MessageRepository.list}. */
export interface MessagePage {
  after?: number;
  before?: number;
  limit: number;
  system?: boolean;
}

/** Messages: posting (idempotent per reference id), paging, editing and deleting, each with its mentions. */
export class MessageRepository {
  constructor(
    private readonly db: Executor,
    /** For each message's reaction counts. */
    private readonly reactions: ReactionRepository,
    /** For each file message's attachment. */
    private readonly attachments: AttachmentRepository,
  ) {}

  /**
   * Stores a message unless `actor` already sent one with this reference id to this conversation, in which
   * case that first message comes back with `created: false`. This makes a client's retry safe. The author's
   * read marker moves to their own message.
   */
  async post(
    conversation: string,
    actor: Actor,
    message: string,
    referenceIdOrOptions: string | MessageOptions = {},
  ): Promise<{ message: ChatMessage; created: boolean }> {
    const options =
      typeof referenceIdOrOptions === 'string' ? { referenceId: referenceIdOrOptions } : referenceIdOrOptions;
    const referenceId = options.referenceId ?? null;
    const mentions = options.mentions ?? [];
    const inserted = await inTransaction(this.db, async (tx) => {
      // The conversation's row stays locked until commit, so posts to one conversation commit one after another,
      // each with the next number (and, since the id is drawn after the lock, a higher id): a client that caught up
      // to a message cannot later meet one that sorts before it.
      const numbered = await tx
        .updateTable('conversations')
        .set({ last_seq: sql<number>`last_seq + 1` })
        .where('token', '=', conversation)
        .returning('last_seq')
        .executeTakeFirst();
      if (!numbered) throw new Error(`No conversation ${conversation}`);
      // The message, the conversation's last activity and the author's read marker in one statement: on PGlite
      // every round trip is time on the thread that serves every socket. The updates see the new row through the
      // `added` CTE, and find nothing to change when a repeated reference id inserted none.
      const row = await tx
        .with('added', (db) =>
          db
            .insertInto('messages')
            .values({
              conversation,
              seq: numbered.last_seq,
              actor_id: actor.userId,
              actor_display_name: actor.displayName,
              message,
              reference_id: referenceId,
              kind: options.kind ?? (options.attachmentId ? 'file' : 'comment'),
              system_type: options.systemType ?? null,
              system_parameters: options.systemParameters ? JSON.stringify(options.systemParameters) : null,
              mentions: JSON.stringify(mentions),
              reply_to: options.replyTo ?? null,
              silent: options.silent ?? false,
              attachment_id: options.attachmentId ?? null,
            })
            .onConflict((oc) => oc.columns(['conversation', 'actor_id', 'reference_id']).doNothing())
            .returningAll(),
        )
        .with('touched', (db) =>
          db
            .updateTable('conversations')
            .from('added')
            .set((eb) => ({
              last_activity: eb.ref('added.created_at'),
              last_message_id: eb.ref('added.id').$castTo<number>(),
            }))
            .whereRef('conversations.token', '=', 'added.conversation')
            .returning('conversations.token'),
        )
        .with('read', (db) =>
          db
            .updateTable('participants')
            .from('added')
            .set((eb) => ({ last_read_message_id: eb.ref('added.id').$castTo<number>() }))
            .whereRef('participants.conversation', '=', 'added.conversation')
            .whereRef('participants.user_id', '=', 'added.actor_id')
            // A system message is no reading of the actor's.
            .where('added.kind', '<>', 'system')
            .returning('participants.user_id'),
        )
        .selectFrom('added')
        .selectAll()
        .executeTakeFirst();
      if (!row) return undefined;
      if (mentions.length > 0) {
        const ids = [...new Set(mentions.map((m) => m.id))];
        await tx
          .insertInto('message_mentions')
          .values(ids.map((mentioned_id) => ({ message_id: Number(row.id), conversation, mentioned_id })))
          .execute();
      }
      return row;
    });
    // A message just made has no reactions yet: nobody else knew its id before the commit.
    if (inserted) return { message: (await this.#hydrate([inserted], false))[0]!, created: true };
    const existing = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation', '=', conversation)
      .where('actor_id', '=', actor.userId)
      .where('reference_id', '=', referenceId)
      .executeTakeFirstOrThrow();
    return { message: (await this.#hydrate([existing]))[0]!, created: false };
  }

  /**
   * A page of a conversation's messages, oldest first: with `after`, the `limit` messages that follow that id;
   * with `before`, the `limit` messages that precede it; with neither, the newest `limit`. System messages only
   * with `system`. "Follow" is commit order (the conversation's `seq`), so catching up after the last message a
   * client has seen never skips one that committed after it.
   */
  async list(conversation: string, page: MessagePage): Promise<ChatMessage[]> {
    let query = this.db.selectFrom('messages').selectAll().where('conversation', '=', conversation).limit(page.limit);
    if (!page.system) query = query.where('kind', '<>', 'system');
    // A client names a message by id; its place is the seq of the newest message up to that id (the id itself
    // when it is in this conversation, which a client may not know of a message deleted or never seen).
    const placeOf = (id: number) =>
      sql<number>`coalesce((select max(m.seq) from messages m where m.conversation = ${conversation} and m.id <= ${id}), 0)`;
    if (page.after !== undefined) {
      return this.#hydrate(await query.where('seq', '>', placeOf(page.after)).orderBy('seq', 'asc').execute());
    }
    if (page.before !== undefined) query = query.where('seq', '<=', placeOf(page.before - 1));
    return this.#hydrate((await query.orderBy('seq', 'desc').execute()).reverse());
  }

  /** One message of a conversation. */
  async get(conversation: string, id: number): Promise<ChatMessage | undefined> {
    const row = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation', '=', conversation)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && (await this.#hydrate([row]))[0];
  }

  /** Messages by id, whichever conversations they are in (the last message of each listed conversation). */
  async byIds(ids: number[]): Promise<ChatMessage[]> {
    if (ids.length === 0) return [];
    return this.#hydrate(await this.db.selectFrom('messages').selectAll().where('id', 'in', ids).execute());
  }

  /** Replaces a message's text (and its mentions), marking it edited. */
  async edit(conversation: string, id: number, text: string, mentions: Mention[]): Promise<ChatMessage | undefined> {
    await inTransaction(this.db, async (tx) => {
      await tx
        .updateTable('messages')
        .set({ message: text, mentions: JSON.stringify(mentions), edited_at: new Date() })
        .where('conversation', '=', conversation)
        .where('id', '=', id)
        .execute();
      await tx.deleteFrom('message_mentions').where('message_id', '=', id).execute();
      const ids = [...new Set(mentions.map((m) => m.id))];
      if (ids.length > 0) {
        await tx
          .insertInto('message_mentions')
          .values(ids.map((mentioned_id) => ({ message_id: id, conversation, mentioned_id })))
          .execute();
      }
    });
    return this.get(conversation, id);
  }

  /** Blanks a message and marks it deleted; it stays in the history as "deleted". */
  async delete(conversation: string, id: number): Promise<ChatMessage | undefined> {
    await inTransaction(this.db, async (tx) => {
      await tx
        .updateTable('messages')
        .set({ message: '', mentions: '[]', deleted_at: new Date() })
        .where('conversation', '=', conversation)
        .where('id', '=', id)
        .execute();
      await tx.deleteFrom('message_mentions').where('message_id', '=', id).execute();
      await tx.deleteFrom('reactions').where('message_id', '=', id).execute();
    });
    return this.get(conversation, id);
  }

  /** Adds reactions, reply targets and attachments to message rows, with one query each. */
  async #hydrate(rows: MessageRow[], withReactions = true): Promise<ChatMessage[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => Number(row.id));
    const replyIds = rows
      .map((row) => row.reply_to)
      .filter((id) => id !== null)
      .map(Number);
    const attachmentIds = rows.map((row) => row.attachment_id).filter((id) => id !== null);
    const [tally, replies, attachmentOf] = await Promise.all([
      withReactions ? this.reactions.countsOf(ids) : new Map<number, Record<string, number>>(),
      replyIds.length === 0
        ? []
        : this.db
            .selectFrom('messages')
            .select(['id', 'actor_id', 'actor_display_name', 'message', 'deleted_at'])
            .where('id', 'in', replyIds)
            .execute(),
      this.attachments.byIds(attachmentIds),
    ]);
    const replyOf = new Map(replies.map((r) => [Number(r.id), r]));
    return rows.map((row) => {
      const reply = row.reply_to === null ? undefined : replyOf.get(Number(row.reply_to));
      const extras: MessageExtras = {
        reactions: tally.get(Number(row.id)) ?? {},
        replyTo: reply
          ? {
              id: Number(reply.id),
              actorId: reply.actor_id,
              actorDisplayName: reply.actor_display_name,
              message: reply.message,
              deleted: reply.deleted_at !== null,
            }
          : null,
        attachment: row.attachment_id ? (attachmentOf.get(row.attachment_id) ?? null) : null,
      };
      return toChatMessage(row, extras);
    });
  }
}
