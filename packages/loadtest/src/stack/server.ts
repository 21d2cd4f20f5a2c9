import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  type LocalLivekit,
  livekitAvailable,
  startLocalLivekit,
  startLocalLivekitNodes,
  startRedis,
} from '@talk/server';
import type { Cleanup } from './cleanup.js';
import { isLoopbackUrl } from './loopback.js';

/** The built Talk server's entry point, run as a process of its own so its CPU can be told apart. */
export const SERVER_MAIN = fileURLToPath(new URL('../../../server/dist/main.js', import.meta.url));

/** The harness page, built by `vite build` into dist-page and served by the server at `/`. */
export const PAGE_DIR = fileURLToPath(new URL('../../dist-page', import.meta.url));

/** What a run talks to. */
export interface Stack {
  /** The server's origin on loopback, e.g. `http://localhost:41234`, or on a test network's bridge. */
  url: string;
  /** The server's pid, when this run started it. */
  serverPid?: number;
  /** livekit-server, when this run started it (the first node, with several). */
  livekit?: LocalLivekit;
  /** Every livekit-server node, when this run started several on one Redis. */
  livekitNodes?: LocalLivekit[];
}

/** Options of {@link startStack}. */
export interface StackOptions {
  /** An already running server (loopback only) that serves dist-page; nothing is started then. */
  url?: string;
  /** Start livekit-server and give the server its keys. */
  sfu: boolean;
  /**
   * How many livekit-server nodes (LiveKit's multi-node mode, on a Redis of their own): the server sends
   * participants to each node's URL in turn. One when unset.
   */
  sfuNodes?: number;
  /** The mesh video cap handed to clients, bit/s. */
  maxVideoBitrate: number;
  /** Whether the server's topology policy decides (`auto`), or calls stay as asked. */
  serverDecidesTopology: boolean;
  /** Serve the harness page (browser runs) or not (k6 runs). */
  servePage: boolean;
  /**
   * The secret the server checks tokens with, when the run signs its users' tokens itself (as a host app does):
   * the server then runs without dev mode and mints none. Unset: dev mode, with a key of the server's own.
   */
  jwtSecret?: string;
  /** A PostgreSQL database for the server instead of in-memory PGlite; only with {@link jwtSecret}. */
  databaseUrl?: string;
  /** Extra environment for the server, e.g. signaling rate limits for k6. */
  env?: Record<string, string>;
  /** Where the server's own log goes. */
  logFile?: string;
  /**
   * The address the server listens on instead of loopback: the bridge of a test network this run made, so that
   * participants in its namespaces reach it.
   */
  listenAddress?: string;
}

/**
 * Starts livekit-server (if asked) and the Talk server on free loopback ports (or the Talk server on a test
 * network's bridge), and registers their stopping.
 */
export async function startStack(options: StackOptions, cleanup: Cleanup): Promise<Stack> {
  if (options.url) {
    if (!isLoopbackUrl(options.url))
      throw new Error(`--url ${options.url} is not on loopback; runs stay on this machine`);
    return { url: options.url.replace(/\/$/, '') };
  }
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing; run "npm run build" first`);
  if (options.databaseUrl && !options.jwtSecret) {
    throw new Error('a dev-mode server keeps its data in PGlite; give a jwtSecret to run on PostgreSQL');
  }
  if (options.servePage && !existsSync(`${PAGE_DIR}/index.html`)) {
    throw new Error(`the harness page is not built (${PAGE_DIR}); run "npm run build -w @talk/loadtest"`);
  }
  let livekit: LocalLivekit | undefined;
  let livekitNodes: LocalLivekit[] | undefined;
  if (options.sfu) {
    if (!livekitAvailable()) throw new Error('livekit-server is not installed; run "npm test" or "npm start" once');
    if ((options.sfuNodes ?? 1) > 1) {
      const redis = await startRedis();
      cleanup.add('redis for livekit', () => redis.stop());
      livekitNodes = await startLocalLivekitNodes(options.sfuNodes!, redis.url);
      for (const [i, node] of livekitNodes.entries()) cleanup.add(`livekit-server node ${i}`, () => node.stop());
      livekit = livekitNodes[0];
    } else {
      // On a network's address (a run over agents) livekit-server listens there too, for the agents' browsers.
      livekit = await startLocalLivekit(options.listenAddress ? { host: options.listenAddress } : {});
      cleanup.add('livekit-server', () => livekit?.stop());
    }
  }
  const port = await freePort();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HOST: options.listenAddress ?? '127.0.0.1',
    // Dev mode listens on loopback only, unless told the one address of the test network's private bridge.
    ...(options.listenAddress ? { TALK_DEV_MODE_ALLOWED_HOST: options.listenAddress } : {}),
    PORT: String(port),
    TALK_DEV_MODE: '1',
    TALK_DATA_DIR: 'memory://',
    TALK_LOG_LEVEL: 'warn',
    TALK_MAX_VIDEO_BITRATE: String(options.maxVideoBitrate),
    ...(options.servePage ? { TALK_STATIC_DIR: PAGE_DIR } : {}),
    ...(livekit
      ? { LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret }
      : {}),
    ...(livekitNodes
      ? {
          LIVEKIT_NODE_URLS: livekitNodes
            .slice(1)
            .map((node) => node.url)
            .join(','),
        }
      : {}),
    // A fixed topology must not be contradicted by the server's call-topology announcements.
    ...(options.serverDecidesTopology ? {} : { TALK_SFU_FROM: '1000', TALK_MESH_AT_MOST: '999' }),
    ...options.env,
  };
  // Nothing of this machine's own deployment: a dev-mode server refuses a production secret or database anyway.
  for (const name of ['DATABASE_URL', 'TALK_JWT_SECRET', 'TALK_JWT_PUBLIC_KEY', 'REDIS_URL', 'TALK_STUN_URLS'])
    delete env[name];
  for (const name of ['TALK_TURN_URLS', 'TALK_TURN_SECRET']) delete env[name];
  if (!livekit) for (const name of ['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET']) delete env[name];
  if (!livekitNodes) delete env.LIVEKIT_NODE_URLS;
  // The run's own secret and database, never this machine's: set after the deployment's were dropped.
  if (options.jwtSecret) {
    env.TALK_DEV_MODE = '';
    env.TALK_JWT_SECRET = options.jwtSecret;
    if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  }
  const child = spawn(process.execPath, [SERVER_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  child.stdout?.on('data', (chunk: Buffer) => log?.write(chunk));
  child.stderr?.on('data', (chunk: Buffer) => log?.write(chunk));
  cleanup.add('talk server', () => stopChild(child));
  // localhost, not 127.0.0.1: Chromium treats http://localhost as a secure context, which getUserMedia needs. The
  // bridge's address is not one; browsers that load it are told to treat it as secure.
  const url = `http://${options.listenAddress ?? 'localhost'}:${port}`;
  await waitForHealth(`http://${options.listenAddress ?? '127.0.0.1'}:${port}/healthz`, child);
  return { url, serverPid: child.pid, livekit, ...(livekitNodes ? { livekitNodes } : {}) };
}

/** Resolves once the server answers its health check; fails if it exits first or stays silent. */
export async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the Talk server exited with ${child.exitCode} during start-up`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the Talk server did not answer at ${url} within ${timeoutMs} ms`);
}

/** SIGTERM, then SIGKILL after five seconds; resolves when the process is gone. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
