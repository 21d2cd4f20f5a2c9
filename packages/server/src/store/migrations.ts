import { type Kysely, sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

/**
 * The schema's history, in code so that it ships inside the build. Never edit a migration that has shipped;
 * add the next one (names sort, so keep the numeric prefix).
 */
const migrations: Record<string, Migration> = {
  '0001-conversations-participants-messages': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was then, not today's types.
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('conversations')
        .addColumn('token', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('object_type', 'text')
        .addColumn('object_id', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('last_activity', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('conversations_object_unique', ['object_type', 'object_id'])
        .execute();
      await db.schema
        .createTable('participants')
        .addColumn('conversation', 'text', (c) => c.notNull().references('conversations.token').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('joined_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('participants_pk', ['conversation', 'user_id'])
        .execute();
      await db.schema.createIndex('participants_user').on('participants').column('user_id').execute();
      await db.schema
        .createTable('messages')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('conversation', 'text', (c) => c.notNull().references('conversations.token').onDelete('cascade'))
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('actor_display_name', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('reference_id', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('messages_reference_unique', ['conversation', 'actor_id', 'reference_id'])
        .execute();
      await db.schema.createIndex('messages_conversation_id').on('messages').columns(['conversation', 'id']).execute();
    },
  },
  '0002-permissions-chat-attachments-presence': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was then, not today's types.
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('conversations')
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('password_hash', 'text')
        .addColumn('lobby', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('default_permissions', 'integer', (c) => c.notNull().defaultTo(63))
        .addColumn('sfu_from', 'integer')
        .addColumn('mesh_at_most', 'integer')
        .addColumn('last_message_id', 'bigint')
        .addColumn('call_started_at', 'timestamptz')
        .addColumn('call_topology', 'text', (c) => c.notNull().defaultTo('mesh'))
        .addColumn('call_reason', 'text', (c) => c.notNull().defaultTo('call-started'))
        .addColumn('call_small_since', 'timestamptz')
        .execute();
      await db.schema
        .alterTable('participants')
        .addColumn('permissions', 'integer')
        .addColumn('last_read_message_id', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('messages')
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('comment'))
        .addColumn('system_type', 'text')
        .addColumn('mentions', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('reply_to', 'bigint')
        .addColumn('silent', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('attachment_id', 'text')
        .addColumn('edited_at', 'timestamptz')
        .addColumn('deleted_at', 'timestamptz')
        .execute();
      // One row per mentioned id (a user, a guest, or "all"), so unread mentions are counted in SQL.
      await db.schema
        .createTable('message_mentions')
        .addColumn('message_id', 'bigint', (c) => c.notNull().references('messages.id').onDelete('cascade'))
        .addColumn('conversation', 'text', (c) => c.notNull().references('conversations.token').onDelete('cascade'))
        .addColumn('mentioned_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('message_mentions_pk', ['message_id', 'mentioned_id'])
        .execute();
      await db.schema
        .createIndex('message_mentions_lookup')
        .on('message_mentions')
        .columns(['conversation', 'mentioned_id', 'message_id'])
        .execute();
      await db.schema
        .createTable('reactions')
        .addColumn('message_id', 'bigint', (c) => c.notNull().references('messages.id').onDelete('cascade'))
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('actor_display_name', 'text', (c) => c.notNull())
        .addColumn('reaction', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('reactions_pk', ['message_id', 'actor_id', 'reaction'])
        .execute();
      // Attachments live in the database, so every instance of a scaled server can serve every file.
      await db.schema
        .createTable('attachments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation', 'text', (c) => c.notNull().references('conversations.token').onDelete('cascade'))
        .addColumn('uploader_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('content', 'bytea', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // Which signaling session is in which conversation, on which server instance: shared by all instances.
      await db.schema
        .createTable('presence')
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('conversation', 'text', (c) => c.notNull().references('conversations.token').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('in_call', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('audio', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('video', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('screen', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('hand_raised', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('joined_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('presence_pk', ['session_id', 'conversation'])
        .execute();
      await db.schema.createIndex('presence_conversation').on('presence').column('conversation').execute();
      await db.schema.createIndex('presence_instance').on('presence').column('instance').execute();
    },
  },
  '0003-instances': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was then, not today's types.
    async up(db: Kysely<any>) {
      // Each server instance says it is alive here; presence of an instance that stopped saying so is reaped.
      await db.schema
        .createTable('instances')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('seen_at', 'timestamptz', (c) => c.notNull())
        .execute();
    },
  },
  '0004-system-parameters': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was then, not today's types.
    async up(db: Kysely<any>) {
      // SystemParameters as JSON: who was added, the old and new name, … so clients word the message themselves.
      // Older system messages keep null and are shown in the server's English.
      await db.schema.alterTable('messages').addColumn('system_parameters', 'text').execute();
    },
  },
  '0005-bans-and-user-names': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was then, not today's types.
    async up(db: Kysely<any>) {
      // Who may not join a conversation by themselves again: removed from a self-joinable one, or banned.
      await db.schema
        .createTable('bans')
        .addColumn('conversation', 'text', (c) => c.notNull().references('conversations.token').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('banned_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('bans_pk', ['conversation', 'user_id'])
        .execute();
      // Each user's name as their latest token gave it, so that nobody else names them when adding them.
      await db.schema
        .createTable('users')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
  '0006-attachment-quota-indexes': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was then, not today's types.
    async up(db: Kysely<any>) {
      // Quotas add up an uploader's and a conversation's files on every upload; deleting a file message asks
      // whether another message still shows its attachment.
      await db.schema.createIndex('attachments_uploader').on('attachments').column('uploader_id').execute();
      await db.schema.createIndex('attachments_conversation').on('attachments').column('conversation').execute();
      await db.schema.createIndex('messages_attachment').on('messages').column('attachment_id').execute();
      // Downloads read a file in slices; kept uncompressed, a slice reads only its own part of the value instead
      // of decompressing the whole file for each one (files are mostly compressed formats anyway).
      await sql`alter table attachments alter column content set storage external`.execute(db);
    },
  },
  '0007-message-sequence': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was then, not today's types.
    async up(db: Kysely<any>) {
      // Ids come from one sequence and are taken before commit, so on PostgreSQL a message can commit after one
      // with a higher id, and catch-up "after id N" would miss it. Each message gets a per-conversation number,
      // assigned while the conversation's row is locked, so numbers grow in commit order within a conversation.
      await db.schema
        .alterTable('conversations')
        .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('messages').addColumn('seq', 'bigint').execute();
      await sql`update messages m set seq = numbered.n
        from (select id, row_number() over (partition by conversation order by id) as n from messages) numbered
        where m.id = numbered.id`.execute(db);
      await sql`update conversations c set last_seq = coalesce((select max(seq) from messages m
        where m.conversation = c.token), 0)`.execute(db);
      await sql`alter table messages alter column seq set not null`.execute(db);
      await db.schema
        .createIndex('messages_conversation_seq')
        .unique()
        .on('messages')
        .columns(['conversation', 'seq'])
        .execute();
    },
  },
  '0008-sfu-epochs': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was then, not today's types.
    async up(db: Kysely<any>) {
      // Each stretch of a call on the SFU is an epoch of its own, so LiveKit's webhooks about an earlier stretch
      // (participants leaving the SFU for the mesh) are told apart from the current one's.
      await db.schema
        .alterTable('conversations')
        .addColumn('call_sfu_epoch', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('conversations').addColumn('call_sfu_since', 'timestamptz').execute();
    },
  },
  '0009-search-pins-polls': {
    // biome-ignore lint/suspicious/noExplicitAny: migrations see the database as it was then, not today's types.
    async up(db: Kysely<any>) {
      // Full-text search with the built-in 'simple' configuration: no stemming, so no language is assumed, and it
      // needs no extension, so PGlite and any PostgreSQL run the same query. The document is stored, not an index
      // expression: a search the planner runs newest-first along the messages then reads it instead of parsing
      // every text again (p50 385 → 25 ms on PGlite with 10,000 messages, `src/bench/search.ts`).
      await sql`
        alter table messages
        add column search_document tsvector generated always as (to_tsvector('simple', message)) stored
      `.execute(db);
      await sql`create index messages_search on messages using gin (search_document)`.execute(db);
      await db.schema
        .createTable('pinned_messages')
        .addColumn('conversation', 'text', (c) => c.notNull().references('conversations.token').onDelete('cascade'))
        .addColumn('message_id', 'bigint', (c) => c.notNull().references('messages.id').onDelete('cascade'))
        .addColumn('pinned_by_id', 'text', (c) => c.notNull())
        .addColumn('pinned_by_name', 'text', (c) => c.notNull())
        .addColumn('pinned_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('pinned_messages_pk', ['conversation', 'message_id'])
        .execute();
      // A poll is a message of kind 'poll'; its id is the message's.
      await db.schema
        .createTable('polls')
        .addColumn('message_id', 'bigint', (c) => c.primaryKey().references('messages.id').onDelete('cascade'))
        .addColumn('conversation', 'text', (c) => c.notNull().references('conversations.token').onDelete('cascade'))
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('max_votes', 'integer', (c) => c.notNull())
        .addColumn('result_mode', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'timestamptz')
        .execute();
      await db.schema
        .createTable('poll_votes')
        .addColumn('poll_id', 'bigint', (c) => c.notNull().references('polls.message_id').onDelete('cascade'))
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('actor_display_name', 'text', (c) => c.notNull())
        .addColumn('option_id', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('poll_votes_pk', ['poll_id', 'actor_id', 'option_id'])
        .execute();
    },
  },
};

/** Hands Kysely's Migrator the migrations above. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
