import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's haproxy. */
export const HAPROXY_PATH = '/usr/sbin/haproxy';

/** Whether haproxy is installed (`apt-get install haproxy`; `npm run setup` does it). */
export const haproxyAvailable = (): boolean => existsSync(HAPROXY_PATH);

/** How {@link startHaproxy} balances. */
export interface HaproxyOptions {
  /** The ports of the server instances on 127.0.0.1. */
  backends: readonly number[];
  /** The port to listen on; a free one when unset. */
  port?: number;
  /** The path haproxy checks each instance on (answers 200 when up); `/healthz` when unset. */
  healthPath?: string;
  /** The most connections it takes (each costs haproxy two file descriptors); 1,000 when unset. */
  maxConnections?: number;
}

/** A running haproxy on loopback. */
export interface LocalHaproxy {
  /** Its HTTP origin, e.g. `http://127.0.0.1:41234`; WebSockets go to the same origin. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** The process id, to measure it. */
  pid: number | undefined;
  /** Stops it and removes its config. */
  stop(): Promise<void>;
}

/**
 * The configuration: one HTTP frontend on loopback, the instances behind it balanced by least connections (a
 * WebSocket is one long connection, so this spreads sessions evenly where round robin would count requests), each
 * checked every second and out after three failed checks (a loaded one answers late, and taking every instance
 * out answers everyone 503); meanwhile a connection that a dead one refuses is sent to another (`redispatch`).
 * `timeout tunnel` is what an upgraded WebSocket lives by.
 */
export function haproxyConfig(port: number, options: HaproxyOptions): string {
  const servers = options.backends.map(
    (backend, i) => `  server talk${i} 127.0.0.1:${backend} check inter 1s fall 3 rise 1`,
  );
  return [
    'global',
    `  maxconn ${options.maxConnections ?? 1_000}`,
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout tunnel 1h',
    '  option redispatch',
    '  retries 2',
    // A loaded instance answers its health check late, not never: only one that stays silent this long is out.
    '  timeout check 5s',
    'frontend talk',
    `  bind 127.0.0.1:${port}`,
    `  maxconn ${options.maxConnections ?? 1_000}`,
    '  default_backend instances',
    'backend instances',
    '  balance leastconn',
    `  option httpchk GET ${options.healthPath ?? '/healthz'}`,
    '  http-check expect status 200',
    ...servers,
    '',
  ].join('\n');
}

/** Starts haproxy in the foreground with a generated config; resolves once it accepts connections. */
export async function startHaproxy(options: HaproxyOptions): Promise<LocalHaproxy> {
  if (!haproxyAvailable()) throw new Error(`No haproxy at ${HAPROXY_PATH} (apt-get install haproxy)`);
  const port = options.port ?? (await freePort());
  const folder = await mkdtemp(join(tmpdir(), 'talk-haproxy-'));
  const config = join(folder, 'haproxy.cfg');
  await writeFile(config, haproxyConfig(port, options));
  // -db: stay in the foreground without the master-worker, so that killing this child stops it all.
  const child: ChildProcess = spawn(HAPROXY_PATH, ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(folder, { recursive: true, force: true });
  };
  try {
    await untilListening(port, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, port, pid: child.pid, stop };
}

/** Resolves once `port` takes a connection; fails if the process exits first or after 10 s. */
async function untilListening(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const probe = createConnection({ host: '127.0.0.1', port });
      probe.once('connect', () => {
        probe.destroy();
        resolve(true);
      });
      probe.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`haproxy did not listen on ${port}: ${output()}`);
}

/** A free loopback port, found by listening on port 0. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}
