import type { TestProject } from 'vitest/node';
import { startPostgres, startRedis } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the suite's PostgreSQL cluster; each test server makes its own database on it. */
    postgresAdminUrl: string;
    /** The suite's Redis. */
    redisUrl: string;
  }
}

/** Starts one PostgreSQL and one Redis on loopback for the whole run and stops them after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  project.provide('postgresAdminUrl', postgres.url);
  project.provide('redisUrl', redis.url);
  return async () => {
    await Promise.all([postgres.stop(), redis.stop()]);
  };
}
