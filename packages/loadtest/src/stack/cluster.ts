import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { freePort, startPostgres, startRedis } from '@talk/server';
import { haproxyAvailable, startHaproxy } from '@talk/testing';
import type { Cleanup } from './cleanup.js';
import { SERVER_MAIN, stopChild, waitForHealth } from './server.js';

/** Several Talk server instances on one PostgreSQL and one Redis, behind haproxy, all on loopback. */
export interface ClusterStack {
  /** The proxy's origin: HTTP and WebSockets both go there. */
  url: string;
  /** The instances' pids, to measure them. */
  serverPids: number[];
  /** haproxy's pid. */
  proxyPid: number | undefined;
  /** The secret the instances check tokens with: a run mints its own, as the host app would. */
  secret: string;
}

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /** How many server instances. */
  instances: number;
  /** The most connections haproxy takes. */
  maxConnections: number;
  /** More environment for each instance. */
  env?: Record<string, string>;
  /** Where the instances' logs go. */
  logFile?: string;
}

/**
 * Starts PostgreSQL, Redis, `instances` servers (not dev mode: a dev-mode instance signs with a key of its own, and
 * a token from one would be refused by the next) and haproxy in front, registering their stopping.
 */
export async function startCluster(options: ClusterOptions, cleanup: Cleanup): Promise<ClusterStack> {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing; run "npm run build" first`);
  if (!haproxyAvailable()) throw new Error('haproxy is not installed; run "npm run setup" (apt-get install haproxy)');
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  cleanup.add('postgres', () => postgres.stop());
  cleanup.add('redis', () => redis.stop());
  const secret = randomBytes(32).toString('hex');
  const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  const start = async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      HOST: '127.0.0.1',
      PORT: String(port),
      TALK_DEV_MODE: '',
      TALK_JWT_SECRET: secret,
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      TALK_LOG_LEVEL: 'warn',
      ...options.env,
    };
    for (const name of ['TALK_JWT_PUBLIC_KEY', 'TALK_STUN_URLS', 'TALK_TURN_URLS', 'TALK_TURN_SECRET'])
      delete env[name];
    for (const name of ['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET']) delete env[name];
    const child = spawn(process.execPath, [SERVER_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => log?.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => log?.write(chunk));
    cleanup.add(`talk server :${port}`, () => stopChild(child));
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, child);
    return { port, pid: child.pid! };
  };
  // The first one migrates the database; the others find it ready.
  const first = await start();
  const rest = await Promise.all(Array.from({ length: options.instances - 1 }, start));
  const instances = [first, ...rest];
  const proxy = await startHaproxy({
    backends: instances.map((instance) => instance.port),
    maxConnections: options.maxConnections,
  });
  cleanup.add('haproxy', () => proxy.stop());
  return { url: proxy.url, serverPids: instances.map((i) => i.pid), proxyPid: proxy.pid, secret };
}
