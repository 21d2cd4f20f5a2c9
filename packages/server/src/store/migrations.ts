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
};

/** Hands Kysely's Migrator the migrations above. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
