import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type {
  ChatMessage,
  Conversation,
  ConversationObject,
  ConversationType,
  Participant,
  ParticipantRole,
} from '@talk/protocol';
import { Kysely, PostgresDialect, type Selectable } from 'kysely';
import { Migrator } from 'kysely/migration';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { StorageConfig } from '../config.js';
import { migrationProvider } from './migrations.js';
import type { ConversationTable, Database, MessageTable, ParticipantTable } from './schema.js';

/** What a new conversation is made of. */
export interface NewConversation {
  type: ConversationType;
  name: string;
  object?: ConversationObject;
}

/** A user as the store records them on participants and messages. */
export interface Actor {
  userId: string;
  displayName: string;
}

/** The one data layer: conversations, participants and messages, over PGlite or PostgreSQL. */
export class Store {
  private constructor(
    /** The query builder; routes never see it, so the schema can change behind these methods. */
    private readonly db: Kysely<Database>,
  ) {}

  /** Opens the configured database and brings its schema up to date. */
  static async open(storage: StorageConfig): Promise<Store> {
    let dialect: ConstructorParameters<typeof Kysely<Database>>[0]['dialect'];
    if (storage.kind === 'postgres') {
      dialect = new PostgresDialect({ pool: new pg.Pool({ connectionString: storage.url }) });
    } else {
      if (storage.dataDir !== 'memory://') await mkdir(storage.dataDir, { recursive: true });
      dialect = new PGliteDialect(new PGlite(storage.dataDir));
    }
    const db = new Kysely<Database>({ dialect });
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    if (error) {
      await db.destroy();
      throw new Error('Could not migrate the database', { cause: error });
    }
    return new Store(db);
  }

  /** Closes the database (and PGlite's files). */
  async close(): Promise<void> {
    await this.db.destroy();
  }

  /**
   * Creates a conversation with `owner` as its owner. A conversation of the same object that already exists
   * (perhaps made a moment ago by someone else) comes back instead, with `created: false`.
   */
  async createConversation(
    input: NewConversation,
    owner: Actor,
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
      await tx
        .insertInto('participants')
        .values({ conversation: row.token, user_id: owner.userId, display_name: owner.displayName, role: 'owner' })
        .execute();
      return { conversation: toConversation(row), created: true };
    });
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
    const row = await this.db.selectFrom('conversations').selectAll().where('token', '=', token).executeTakeFirst();
    return row && toConversation(row);
  }

  /** The conversations `userId` takes part in, most recently active first. */
  async listConversationsOf(userId: string): Promise<Conversation[]> {
    const rows = await this.db
      .selectFrom('conversations')
      .innerJoin('participants', 'participants.conversation', 'conversations.token')
      .selectAll('conversations')
      .where('participants.user_id', '=', userId)
      .orderBy('conversations.last_activity', 'desc')
      .orderBy('conversations.token')
      .execute();
    return rows.map(toConversation);
  }

  /** `userId`'s membership of a conversation, if any. */
  async getParticipant(conversation: string, userId: string): Promise<Participant | undefined> {
    const row = await this.db
      .selectFrom('participants')
      .selectAll()
      .where('conversation', '=', conversation)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && toParticipant(row);
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
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { participant: toParticipant(inserted), created: true };
    const existing = await this.getParticipant(conversation, actor.userId);
    if (!existing) throw new Error(`participant ${actor.userId} of ${conversation} vanished`);
    return { participant: existing, created: false };
  }

  /** Everyone in a conversation, in the order they joined. */
  async listParticipants(conversation: string): Promise<Participant[]> {
    const rows = await this.db
      .selectFrom('participants')
      .selectAll()
      .where('conversation', '=', conversation)
      .orderBy('joined_at')
      .orderBy('user_id')
      .execute();
    return rows.map(toParticipant);
  }

  /**
   * Stores a message unless `actor` already sent one with this reference id to this conversation, in which
   * case that first message comes back with `created: false`. This makes a client's retry safe.
   */
  async postMessage(
    conversation: string,
    actor: Actor,
    message: string,
    referenceId: string,
  ): Promise<{ message: ChatMessage; created: boolean }> {
    return this.db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto('messages')
        .values({
          conversation,
          actor_id: actor.userId,
          actor_display_name: actor.displayName,
          message,
          reference_id: referenceId,
        })
        .onConflict((oc) => oc.columns(['conversation', 'actor_id', 'reference_id']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) {
        await tx
          .updateTable('conversations')
          .set({ last_activity: inserted.created_at })
          .where('token', '=', conversation)
          .execute();
        return { message: toChatMessage(inserted), created: true };
      }
      const existing = await tx
        .selectFrom('messages')
        .selectAll()
        .where('conversation', '=', conversation)
        .where('actor_id', '=', actor.userId)
        .where('reference_id', '=', referenceId)
        .executeTakeFirstOrThrow();
      return { message: toChatMessage(existing), created: false };
    });
  }

  /**
   * A page of a conversation's messages, oldest first: with `after`, the `limit` messages that follow that id;
   * without, the newest `limit`.
   */
  async listMessages(conversation: string, page: { after?: number; limit: number }): Promise<ChatMessage[]> {
    let query = this.db.selectFrom('messages').selectAll().where('conversation', '=', conversation).limit(page.limit);
    if (page.after !== undefined) {
      return (await query.where('id', '>', page.after).orderBy('id', 'asc').execute()).map(toChatMessage);
    }
    query = query.orderBy('id', 'desc');
    return (await query.execute()).map(toChatMessage).reverse();
  }
}

/** A conversation token: 16 url-safe characters, 96 random bits, so tokens cannot be guessed. */
function newToken(): string {
  return randomBytes(12).toString('base64url');
}

function toConversation(row: Selectable<ConversationTable>): Conversation {
  return {
    token: row.token,
    type: row.type as ConversationType,
    name: row.name,
    object: row.object_type !== null && row.object_id !== null ? { type: row.object_type, id: row.object_id } : null,
    createdAt: row.created_at.toISOString(),
    lastActivity: row.last_activity.toISOString(),
  };
}

function toParticipant(row: Selectable<ParticipantTable>): Participant {
  return { userId: row.user_id, displayName: row.display_name, role: row.role as ParticipantRole };
}

function toChatMessage(row: Selectable<MessageTable>): ChatMessage {
  return {
    id: Number(row.id),
    conversation: row.conversation,
    actorId: row.actor_id,
    actorDisplayName: row.actor_display_name,
    message: row.message,
    referenceId: row.reference_id,
    createdAt: row.created_at.toISOString(),
  };
}
