import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { StorageConfig } from '../config.js';
import { createDatabase } from './services.js';

/** Which storage this vitest project runs on (set per project in vitest.config.ts). */
export const testStorageKind: 'pglite' | 'postgres' =
  process.env.TALK_TEST_STORAGE === 'postgres' ? 'postgres' : 'pglite';

/** A fresh, empty storage of this project's kind: in-memory PGlite, or a new database on the suite's PostgreSQL. */
export async function freshStorage(): Promise<StorageConfig> {
  if (testStorageKind === 'pglite') return { kind: 'pglite', dataDir: 'memory://' };
  const url = await createDatabase(inject('postgresAdminUrl'), `t_${randomBytes(6).toString('hex')}`);
  return { kind: 'postgres', url };
}
