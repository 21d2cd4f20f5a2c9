import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type {
  Attachment,
  CallMedia,
  ChatMessage,
  Conversation,
  ConversationObject,
  ConversationType,
  Mention,
  Participant,
  ParticipantRole,
  SessionInfo,
} from '@talk/protocol';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { StorageConfig } from '../config.js';
import { migrationProvider } from './migrations.js';
import {
  type ConversationRow,
  effectivePermissions,
  type MessageExtras,
  type MessageRow,
  toAttachment,
  toChatMessage,
  toConversation,
  toParticipant,
  toSessionInfo,
} from './rows.js';
import type { Database } from './schema.js';

/** What a new conversation is made of. */
export interface NewConversation {
  type: ConversationType;
  name: string;
  object?: ConversationObject;
  description?: string;
  passwordHash?: string;
}

/** A user as the store records them on participants and messages. */
export interface Actor {
  userId: string;
  displayName: string;
}

/** What a message is posted with besides its text. */
export interface MessageOptions {
  referenceId?: string | null;
  replyTo?: number;
  silent?: boolean;
  mentions?: Mention[];
  attachmentId?: string;
  kind?: 'comment' | 'file' | 'system';
  systemType?: string;
}

/** Conversation settings a moderator may change; absent fields stay. */
export interface ConversationChanges {
  name?: string;
  description?: string;
  passwordHash?: string | null;
  lobby?: boolean;
  defaultPermissions?: number;
  sfuFrom?: number | null;
  meshAtMost?: number | null;
}

/** A call's topology state as kept between decisions. */
export interface CallRecord {
  startedAt: Date | null;
  topology: 'mesh' | 'sfu';
  reason: string;
  smallSince: Date | null;
  sfuFrom: number | null;
  meshAtMost: number | null;
}

/** The one data layer: conversations, participants, messages, attachments and presence, over PGlite or PostgreSQL. */
export class Store {
  private constructor(
    /** The query builder; routes never see it, so the schema can change behind these methods. */
    private readonly db: Kysely<Database>,
    /** Which backend this is; ids come back as numbers from PGlite and as strings from pg. */
    readonly kind: StorageConfig['kind'],
  ) {}

  /** Opens the configured database and brings its schema up to date. */
  static async open(storage: StorageConfig): Promise<Store> {
    let dialect: ConstructorParameters<typeof Kysely<Database>>[0]['dialect'];
    if (storage.kind === 'postgres') {
      const pool = new pg.Pool({ connectionString: storage.url, max: 20 });
      // An idle connection that the server drops (a restart, a shutdown) is replaced on next use; unhandled,
      // its error event would end the process.
      pool.on('error', () => {});
      dialect = new PostgresDialect({ pool });
    } else if (storage.dataDir === 'memory://') {
      dialect = new PGliteDialect(await freshMemoryDatabase());
    } else {
      await mkdir(storage.dataDir, { recursive: true });
      dialect = new PGliteDialect(new PGlite(storage.dataDir));
    }
    const db = new Kysely<Database>({ dialect });
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    if (error) {
      await db.destroy();
      throw new Error('Could not migrate the database', { cause: error });
    }
    return new Store(db, storage.kind);
  }

  /** Closes the database (and PGlite's files). */
  async close(): Promise<void> {
    await this.db.destroy();
  }

  /** Whether the database answers; for /healthz. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  // ---- conversations ----

  /**
   * Creates a conversation with `owner` as its owner and `members` as users. A conversation of the same object
   * that already exists (perhaps made a moment ago by someone else) comes back instead, with `created: false`.
   */
  async createConversation(
    input: NewConversation,
    owner: Actor,
    members: Actor[] = [],
  ): Promise<{ conversation: Conversation; created: boolean }> {
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('conversations')
        .values({
          token: newToken(),
          type: input.type,
          name: input.name,
          object_type: input.object?.type ?? null,
          object_id: input.object?.id ?? null,
          description: input.description ?? '',
          password_hash: input.passwordHash ?? null,
        })
        .onConflict((oc) => oc.columns(['object_type', 'object_id']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) {
        const existing = await tx
          .selectFrom('conversations')
          .selectAll()
          .where('object_type', '=', input.object?.type ?? null)
          .where('object_id', '=', input.object?.id ?? null)
          .executeTakeFirstOrThrow();
        return { conversation: toConversation(existing), created: false };
      }
      const people = [
        { ...owner, role: 'owner' },
        ...members.filter((m) => m.userId !== owner.userId).map((m) => ({ ...m, role: 'user' })),
      ];
      await tx
        .insertInto('participants')
        .values(
          people.map((p) => ({
            conversation: row.token,
            user_id: p.userId,
            display_name: p.displayName,
            role: p.role,
          })),
        )
        .onConflict((oc) => oc.columns(['conversation', 'user_id']).doNothing())
        .execute();
      return { conversation: toConversation(row), created: true };
    });
  }

  /** The one-to-one conversation of two users, if they have one. */
  async findOneToOne(a: string, b: string): Promise<Conversation | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('type', '=', 'one-to-one')
      .where((eb) =>
        eb.and([
          eb.exists(
            eb
              .selectFrom('participants')
              .select('user_id')
              .whereRef('conversation', '=', 'conversations.token')
              .where('user_id', '=', a),
          ),
          eb.exists(
            eb
              .selectFrom('participants')
              .select('user_id')
              .whereRef('conversation', '=', 'conversations.token')
              .where('user_id', '=', b),
          ),
        ]),
      )
      .executeTakeFirst();
    return row && toConversation(row);
  }

  /** The note-to-self conversation of a user, if there is one. */
  async findNoteToSelf(userId: string): Promise<Conversation | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .innerJoin('participants', 'participants.conversation', 'conversations.token')
      .selectAll('conversations')
      .where('conversations.type', '=', 'note-to-self')
      .where('participants.user_id', '=', userId)
      .executeTakeFirst();
    return row && toConversation(row);
  }

  /** The conversation of a host app's object, if one exists. */
  async findConversationByObject(object: ConversationObject): Promise<Conversation | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('object_type', '=', object.type)
      .where('object_id', '=', object.id)
      .executeTakeFirst();
    return row && toConversation(row);
  }

  /** A conversation by token, whoever asks. */
  async getConversation(token: string): Promise<Conversation | undefined> {
    const row = await this.#conversationRow(token);
    return row && toConversation(row);
  }

  /** The stored password hash of a conversation, or null when it has none. */
  async passwordHashOf(token: string): Promise<string | null> {
    return (await this.#conversationRow(token))?.password_hash ?? null;
  }

  /** Changes a conversation's settings and returns it as it is now. */
  async updateConversation(token: string, changes: ConversationChanges): Promise<Conversation | undefined> {
    const set: Record<string, unknown> = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.description !== undefined) set.description = changes.description;
    if (changes.passwordHash !== undefined) set.password_hash = changes.passwordHash;
    if (changes.lobby !== undefined) set.lobby = changes.lobby;
    if (changes.defaultPermissions !== undefined) set.default_permissions = changes.defaultPermissions;
    if (changes.sfuFrom !== undefined) set.sfu_from = changes.sfuFrom;
    if (changes.meshAtMost !== undefined) set.mesh_at_most = changes.meshAtMost;
    if (Object.keys(set).length === 0) return this.getConversation(token);
    const row = await this.db
      .updateTable('conversations')
      .set(set)
      .where('token', '=', token)
      .returningAll()
      .executeTakeFirst();
    return row && toConversation(row);
  }

  /** Deletes a conversation with everything in it. */
  async deleteConversation(token: string): Promise<boolean> {
    const result = await this.db.deleteFrom('conversations').where('token', '=', token).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * The conversations `userId` takes part in, most recently active first, each with the caller's role and
   * permissions, the last message, and unread counts after the caller's read marker.
   */
  async listConversationsOf(userId: string): Promise<Conversation[]> {
    const rows = await this.db
      .selectFrom('conversations')
      .innerJoin('participants', 'participants.conversation', 'conversations.token')
      .selectAll('conversations')
      .select(['participants.role as my_role', 'participants.permissions as my_permissions'])
      .select((eb) => [
        eb
          .selectFrom('messages')
          .select(eb.fn.countAll<string | number>().as('n'))
          .whereRef('messages.conversation', '=', 'conversations.token')
          .whereRef('messages.id', '>', 'participants.last_read_message_id')
          .where('messages.actor_id', '<>', userId)
          .where('messages.silent', '=', false)
          .where('messages.kind', '<>', 'system')
          .where('messages.deleted_at', 'is', null)
          .as('unread'),
        eb
          .selectFrom('message_mentions')
          .innerJoin('messages', 'messages.id', 'message_mentions.message_id')
          .select(eb.fn.countAll<string | number>().as('n'))
          .whereRef('message_mentions.conversation', '=', 'conversations.token')
          .whereRef('message_mentions.message_id', '>', 'participants.last_read_message_id')
          .where('message_mentions.mentioned_id', 'in', [userId, 'all'])
          .where('messages.actor_id', '<>', userId)
          .where('messages.silent', '=', false)
          .where('messages.deleted_at', 'is', null)
          .as('mentions'),
      ])
      .where('participants.user_id', '=', userId)
      .orderBy('conversations.last_activity', 'desc')
      .orderBy('conversations.token')
      .execute();
    const lastIds = rows
      .map((row) => row.last_message_id)
      .filter((id) => id !== null)
      .map(Number);
    const last = new Map((await this.#messagesByIds(lastIds)).map((m) => [m.id, m]));
    return rows.map((row) => {
      const role = row.my_role as ParticipantRole;
      const mentions = Number(row.mentions ?? 0);
      return {
        ...toConversation(row),
        role,
        permissions: effectivePermissions(role, row.my_permissions, row.default_permissions),
        lastMessage: row.last_message_id === null ? null : (last.get(Number(row.last_message_id)) ?? null),
        unreadMessages: Number(row.unread ?? 0),
        unreadMentions: mentions,
        unreadMention: mentions > 0,
      };
    });
  }

  // ---- participants ----

  /** `userId`'s membership of a conversation, if any. */
  async getParticipant(conversation: string, userId: string): Promise<Participant | undefined> {
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
  async getMembership(
    conversation: string,
    userId: string,
  ): Promise<{ participant: Participant; conversation: Conversation } | undefined> {
    const row = await this.db
      .selectFrom('participants')
      .innerJoin('conversations', 'conversations.token', 'participants.conversation')
      .selectAll('conversations')
      .select([
        'participants.user_id',
        'participants.display_name',
        'participants.role',
        'participants.permissions',
        'participants.joined_at as p_joined',
        'participants.last_read_message_id',
      ])
      .where('participants.conversation', '=', conversation)
      .where('participants.user_id', '=', userId)
      .executeTakeFirst();
    if (!row) return undefined;
    const participant = toParticipant(
      {
        conversation,
        user_id: row.user_id,
        display_name: row.display_name,
        role: row.role,
        permissions: row.permissions,
        joined_at: row.p_joined,
        last_read_message_id: row.last_read_message_id,
      },
      row.default_permissions,
    );
    return { participant, conversation: toConversation(row) };
  }

  /** Adds `actor` to a conversation unless already there; `created` says which happened. */
  async addParticipant(
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
    const participant = await this.getParticipant(conversation, actor.userId);
    if (!participant) throw new Error(`participant ${actor.userId} of ${conversation} vanished`);
    return { participant, created: inserted !== undefined };
  }

  /** Changes a participant's role or permission override. */
  async updateParticipant(
    conversation: string,
    userId: string,
    changes: { role?: ParticipantRole; permissions?: number | null },
  ): Promise<Participant | undefined> {
    const set: Record<string, unknown> = {};
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
    return this.getParticipant(conversation, userId);
  }

  /** Removes a participant; true if there was one. */
  async removeParticipant(conversation: string, userId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('participants')
      .where('conversation', '=', conversation)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Everyone in a conversation, in the order they joined. */
  async listParticipants(conversation: string): Promise<Participant[]> {
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

  // ---- messages ----

  /**
   * Stores a message unless `actor` already sent one with this reference id to this conversation, in which
   * case that first message comes back with `created: false`. This makes a client's retry safe. The author's
   * read marker moves to their own message.
   */
  async postMessage(
    conversation: string,
    actor: Actor,
    message: string,
    referenceIdOrOptions: string | MessageOptions = {},
  ): Promise<{ message: ChatMessage; created: boolean }> {
    const options =
      typeof referenceIdOrOptions === 'string' ? { referenceId: referenceIdOrOptions } : referenceIdOrOptions;
    const referenceId = options.referenceId ?? null;
    const mentions = options.mentions ?? [];
    const inserted = await this.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('messages')
        .values({
          conversation,
          actor_id: actor.userId,
          actor_display_name: actor.displayName,
          message,
          reference_id: referenceId,
          kind: options.kind ?? (options.attachmentId ? 'file' : 'comment'),
          system_type: options.systemType ?? null,
          mentions: JSON.stringify(mentions),
          reply_to: options.replyTo ?? null,
          silent: options.silent ?? false,
          attachment_id: options.attachmentId ?? null,
        })
        .onConflict((oc) => oc.columns(['conversation', 'actor_id', 'reference_id']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      const id = Number(row.id);
      await tx
        .updateTable('conversations')
        .set({ last_activity: row.created_at, last_message_id: id })
        .where('token', '=', conversation)
        .execute();
      if (mentions.length > 0) {
        const ids = [...new Set(mentions.map((m) => m.id))];
        await tx
          .insertInto('message_mentions')
          .values(ids.map((mentioned_id) => ({ message_id: id, conversation, mentioned_id })))
          .execute();
      }
      if (options.kind !== 'system') {
        await tx
          .updateTable('participants')
          .set({ last_read_message_id: id })
          .where('conversation', '=', conversation)
          .where('user_id', '=', actor.userId)
          .execute();
      }
      return row;
    });
    if (inserted) return { message: (await this.#hydrate([inserted]))[0]!, created: true };
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
   * with `system`.
   */
  async listMessages(
    conversation: string,
    page: { after?: number; before?: number; limit: number; system?: boolean },
  ): Promise<ChatMessage[]> {
    let query = this.db.selectFrom('messages').selectAll().where('conversation', '=', conversation).limit(page.limit);
    if (!page.system) query = query.where('kind', '<>', 'system');
    if (page.after !== undefined) {
      return this.#hydrate(await query.where('id', '>', page.after).orderBy('id', 'asc').execute());
    }
    if (page.before !== undefined) query = query.where('id', '<', page.before);
    return this.#hydrate((await query.orderBy('id', 'desc').execute()).reverse());
  }

  /** One message of a conversation. */
  async getMessage(conversation: string, id: number): Promise<ChatMessage | undefined> {
    const row = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation', '=', conversation)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && (await this.#hydrate([row]))[0];
  }

  /** Replaces a message's text (and its mentions), marking it edited. */
  async editMessage(
    conversation: string,
    id: number,
    text: string,
    mentions: Mention[],
  ): Promise<ChatMessage | undefined> {
    await this.db.transaction().execute(async (tx) => {
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
    return this.getMessage(conversation, id);
  }

  /** Blanks a message and marks it deleted; it stays in the history as "deleted". */
  async deleteMessage(conversation: string, id: number): Promise<ChatMessage | undefined> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('messages')
        .set({ message: '', mentions: '[]', deleted_at: new Date() })
        .where('conversation', '=', conversation)
        .where('id', '=', id)
        .execute();
      await tx.deleteFrom('message_mentions').where('message_id', '=', id).execute();
      await tx.deleteFrom('reactions').where('message_id', '=', id).execute();
    });
    return this.getMessage(conversation, id);
  }

  /** Adds or removes one actor's reaction; true if that changed anything. */
  async setReaction(messageId: number, actor: Actor, reaction: string, present: boolean): Promise<boolean> {
    if (present) {
      const row = await this.db
        .insertInto('reactions')
        .values({ message_id: messageId, actor_id: actor.userId, actor_display_name: actor.displayName, reaction })
        .onConflict((oc) => oc.columns(['message_id', 'actor_id', 'reaction']).doNothing())
        .returning('reaction')
        .executeTakeFirst();
      return row !== undefined;
    }
    const result = await this.db
      .deleteFrom('reactions')
      .where('message_id', '=', messageId)
      .where('actor_id', '=', actor.userId)
      .where('reaction', '=', reaction)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Who gave which reaction to a message, oldest first. */
  async listReactions(
    messageId: number,
  ): Promise<Record<string, Array<{ actorId: string; actorDisplayName: string }>>> {
    const rows = await this.db
      .selectFrom('reactions')
      .selectAll()
      .where('message_id', '=', messageId)
      .orderBy('created_at')
      .execute();
    const out: Record<string, Array<{ actorId: string; actorDisplayName: string }>> = {};
    for (const row of rows) {
      const actors = out[row.reaction] ?? [];
      actors.push({ actorId: row.actor_id, actorDisplayName: row.actor_display_name });
      out[row.reaction] = actors;
    }
    return out;
  }

  async #messagesByIds(ids: number[]): Promise<ChatMessage[]> {
    if (ids.length === 0) return [];
    return this.#hydrate(await this.db.selectFrom('messages').selectAll().where('id', 'in', ids).execute());
  }

  /** Adds reactions, reply targets and attachments to message rows, with one query each. */
  async #hydrate(rows: MessageRow[]): Promise<ChatMessage[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => Number(row.id));
    const replyIds = rows
      .map((row) => row.reply_to)
      .filter((id) => id !== null)
      .map(Number);
    const attachmentIds = rows.map((row) => row.attachment_id).filter((id) => id !== null);
    const [reactions, replies, attachments] = await Promise.all([
      this.db
        .selectFrom('reactions')
        .select(['message_id', 'reaction', (eb) => eb.fn.countAll<string | number>().as('n')])
        .where('message_id', 'in', ids)
        .groupBy(['message_id', 'reaction'])
        .execute(),
      replyIds.length === 0
        ? []
        : this.db
            .selectFrom('messages')
            .select(['id', 'actor_id', 'actor_display_name', 'message', 'deleted_at'])
            .where('id', 'in', replyIds)
            .execute(),
      attachmentIds.length === 0
        ? []
        : this.db
            .selectFrom('attachments')
            .select(['id', 'conversation', 'uploader_id', 'name', 'content_type', 'size', 'created_at'])
            .where('id', 'in', attachmentIds)
            .execute(),
    ]);
    const tally = new Map<number, Record<string, number>>();
    for (const r of reactions) {
      const forMessage = tally.get(Number(r.message_id)) ?? {};
      forMessage[r.reaction] = Number(r.n);
      tally.set(Number(r.message_id), forMessage);
    }
    const replyOf = new Map(replies.map((r) => [Number(r.id), r]));
    const attachmentOf = new Map(attachments.map((a) => [a.id, toAttachment(a)]));
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

  // ---- attachments ----

  /** Stores an uploaded file's bytes with its metadata. */
  async saveAttachment(
    conversation: string,
    uploader: string,
    file: { name: string; contentType: string; content: Uint8Array },
  ): Promise<Attachment> {
    const row = await this.db
      .insertInto('attachments')
      .values({
        id: newToken(),
        conversation,
        uploader_id: uploader,
        name: file.name,
        content_type: file.contentType,
        size: file.content.byteLength,
        content: file.content,
      })
      .returning(['id', 'conversation', 'uploader_id', 'name', 'content_type', 'size', 'created_at'])
      .executeTakeFirstOrThrow();
    return toAttachment(row);
  }

  /** An attachment's metadata, without its bytes. */
  async getAttachment(conversation: string, id: string): Promise<Attachment | undefined> {
    const row = await this.db
      .selectFrom('attachments')
      .select(['id', 'conversation', 'uploader_id', 'name', 'content_type', 'size', 'created_at'])
      .where('conversation', '=', conversation)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toAttachment(row);
  }

  /** An attachment's bytes. */
  async attachmentContent(conversation: string, id: string): Promise<Uint8Array | undefined> {
    const row = await this.db
      .selectFrom('attachments')
      .select('content')
      .where('conversation', '=', conversation)
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.content;
  }

  // ---- presence (shared by all server instances) ----

  /** Records that a session joined a conversation, on this instance. */
  async addPresence(
    sessionId: string,
    conversation: string,
    participant: Participant,
    instance: string,
  ): Promise<SessionInfo> {
    const row = await this.db
      .insertInto('presence')
      .values({
        session_id: sessionId,
        conversation,
        user_id: participant.userId,
        display_name: participant.displayName,
        role: participant.role,
        instance,
      })
      .onConflict((oc) => oc.columns(['session_id', 'conversation']).doUpdateSet({ instance }))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSessionInfo(row);
  }

  /** Forgets a session's presence in one conversation, or in all when none is named. */
  async removePresence(sessionId: string, conversation?: string): Promise<SessionInfo[]> {
    let query = this.db.deleteFrom('presence').where('session_id', '=', sessionId);
    if (conversation !== undefined) query = query.where('conversation', '=', conversation);
    return (await query.returningAll().execute()).map(toSessionInfo);
  }

  /** Forgets one server instance and its presence (its shutdown). */
  async removeInstancePresence(instance: string): Promise<void> {
    await this.db.deleteFrom('presence').where('instance', '=', instance).execute();
    await this.db.deleteFrom('instances').where('id', '=', instance).execute();
  }

  /** Records that an instance is alive now. */
  async heartbeat(instance: string, now = new Date()): Promise<void> {
    await this.db
      .insertInto('instances')
      .values({ id: instance, seen_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ seen_at: now }))
      .execute();
  }

  /**
   * Removes the instances not seen since `staleBefore` (they crashed or were killed) with their presence, and
   * returns that presence so that the others can be told those sessions left.
   */
  async reapInstances(staleBefore: Date): Promise<Array<{ conversation: string; session: SessionInfo }>> {
    const stale = await this.db.selectFrom('instances').select('id').where('seen_at', '<', staleBefore).execute();
    if (stale.length === 0) return [];
    const ids = stale.map((row) => row.id);
    const rows = await this.db.deleteFrom('presence').where('instance', 'in', ids).returningAll().execute();
    await this.db.deleteFrom('instances').where('id', 'in', ids).execute();
    return rows.map((row) => ({ conversation: row.conversation, session: toSessionInfo(row) }));
  }

  /** Changes a session's call state in a conversation and returns how others now see it. */
  async updatePresence(
    sessionId: string,
    conversation: string,
    changes: { inCall?: boolean; media?: CallMedia; handRaised?: boolean; role?: ParticipantRole },
  ): Promise<SessionInfo | undefined> {
    const set: Record<string, unknown> = {};
    if (changes.inCall !== undefined) set.in_call = changes.inCall;
    if (changes.media !== undefined) {
      set.audio = changes.media.audio;
      set.video = changes.media.video;
      set.screen = changes.media.screen ?? false;
    }
    if (changes.handRaised !== undefined) set.hand_raised = changes.handRaised;
    if (changes.role !== undefined) set.role = changes.role;
    const row = await this.db
      .updateTable('presence')
      .set(set)
      .where('session_id', '=', sessionId)
      .where('conversation', '=', conversation)
      .returningAll()
      .executeTakeFirst();
    return row && toSessionInfo(row);
  }

  /** The sessions present in a conversation, in the order they joined. */
  async listPresence(conversation: string): Promise<SessionInfo[]> {
    const rows = await this.db
      .selectFrom('presence')
      .selectAll()
      .where('conversation', '=', conversation)
      .orderBy('joined_at')
      .orderBy('session_id')
      .execute();
    return rows.map(toSessionInfo);
  }

  /** One session's presence in a conversation, with the instance it is on. */
  async getPresence(
    sessionId: string,
    conversation: string,
  ): Promise<(SessionInfo & { instance: string }) | undefined> {
    const row = await this.db
      .selectFrom('presence')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('conversation', '=', conversation)
      .executeTakeFirst();
    return row && { ...toSessionInfo(row), instance: row.instance };
  }

  /** The sessions of one user in a conversation (to end them when the user is removed). */
  async presenceOfUser(conversation: string, userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('presence')
      .select('session_id')
      .where('conversation', '=', conversation)
      .where('user_id', '=', userId)
      .execute();
    return rows.map((row) => row.session_id);
  }

  /** How many sessions are in a conversation's call. */
  async countInCall(conversation: string): Promise<number> {
    const row = await this.db
      .selectFrom('presence')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('conversation', '=', conversation)
      .where('in_call', '=', true)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Takes every session out of a conversation's call (LiveKit said the room finished). */
  async endCallPresence(conversation: string): Promise<SessionInfo[]> {
    const rows = await this.db
      .updateTable('presence')
      .set({ in_call: false, audio: false, video: false, screen: false, hand_raised: false })
      .where('conversation', '=', conversation)
      .where('in_call', '=', true)
      .returningAll()
      .execute();
    return rows.map(toSessionInfo);
  }

  // ---- call state ----

  /** A conversation's call state and topology thresholds. */
  async getCall(conversation: string): Promise<CallRecord | undefined> {
    const row = await this.#conversationRow(conversation);
    return (
      row && {
        startedAt: row.call_started_at,
        topology: row.call_topology as CallRecord['topology'],
        reason: row.call_reason,
        smallSince: row.call_small_since,
        sfuFrom: row.sfu_from,
        meshAtMost: row.mesh_at_most,
      }
    );
  }

  /** Saves a conversation's call state. */
  async setCall(
    conversation: string,
    state: { startedAt: Date | null; topology: string; reason: string; smallSince: Date | null },
  ): Promise<void> {
    await this.db
      .updateTable('conversations')
      .set({
        call_started_at: state.startedAt,
        call_topology: state.topology,
        call_reason: state.reason,
        call_small_since: state.smallSince,
      })
      .where('token', '=', conversation)
      .execute();
  }

  async #conversationRow(token: string): Promise<ConversationRow | undefined> {
    return this.db.selectFrom('conversations').selectAll().where('token', '=', token).executeTakeFirst();
  }
}

/** The data folder of an in-memory database with every migration applied, made once per process. */
let migratedTemplate: Promise<File | Blob> | undefined;

/**
 * A new in-memory PGlite, started from a migrated template: loading a data folder takes a fraction of the
 * time that starting from nothing and migrating does, which matters to tests that start many servers.
 */
async function freshMemoryDatabase(): Promise<PGlite> {
  migratedTemplate ??= (async () => {
    const template = new PGlite('memory://');
    const db = new Kysely<Database>({ dialect: new PGliteDialect(template) });
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    if (error) throw new Error('Could not migrate the template database', { cause: error });
    const dump = await template.dumpDataDir('none');
    await db.destroy();
    return dump;
  })();
  return new PGlite('memory://', { loadDataDir: await migratedTemplate });
}

/** A random url-safe token: 16 characters, 96 random bits, so tokens cannot be guessed. */
export function newToken(): string {
  return randomBytes(12).toString('base64url');
}
