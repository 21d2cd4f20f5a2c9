import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { type Dialect, Kysely, PostgresDialect, sql, Transaction } from 'kysely';
import { Migrator } from 'kysely/migration';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { StorageConfig } from '../config.js';
import { migrationProvider } from './migrations.js';
import type { Database } from './schema.js';

/** What a repository runs its queries on: the database itself, or a transaction several repositories share. */
export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Runs `fn` in a transaction: a new one on the database, or the one `db` already is (Kysely cannot nest them),
 * so that a repository's own multi-statement writes join a transaction its caller opened.
 */
export function inTransaction<T>(db: Executor, fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db instanceof Transaction ? fn(db) : db.transaction().execute(fn);
}

/** What {@link lockFor} locks, each kind its own space of keys. */
const LOCK_KINDS = {
  'attachments-of-uploader': 1,
  'attachments-of-conversation': 2,
  'reactions-of-actor': 3,
} as const;

/**
 * Takes a transaction-scoped advisory lock on `key` of `kind`, held until the transaction ends: for a check and
 * the write it allows (a quota, a cap) that must not interleave with another's, where no single row stands for
 * what is counted. Keys are hashed, so two keys may share a lock now and then; that only serialises a little more.
 */
export async function lockFor(tx: Transaction<Database>, kind: keyof typeof LOCK_KINDS, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${LOCK_KINDS[kind]}::int, hashtext(${key}))`.execute(tx);
}

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(storage: StorageConfig): Promise<Kysely<Database>> {
  const db = new Kysely<Database>({ dialect: await dialectOf(storage) });
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw new Error('Could not migrate the database', { cause: error });
  }
  return db;
}

async function dialectOf(storage: StorageConfig): Promise<Dialect> {
  if (storage.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: storage.url, max: 20 });
    // An idle connection that the server drops (a restart, a shutdown) is replaced on next use; unhandled,
    // its error event would end the process.
    pool.on('error', () => {});
    // A connection in use when the server goes (a checked-out one has no pool listener) fails its query, which
    // is how the caller hears of it; its error event must not end the process too.
    pool.on('connect', (client) => client.on('error', () => {}));
    return new PostgresDialect({ pool });
  }
  if (storage.dataDir === 'memory://') return new PGliteDialect(await freshMemoryDatabase());
  await mkdir(storage.dataDir, { recursive: true });
  return new PGliteDialect(new PGlite(storage.dataDir));
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
