import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../livekit/local-server.js';

/** A service process started for tests or the benchmark, on loopback. */
export interface LocalService {
  /** How to reach it: a postgres:// or redis:// URL. */
  url: string;
  /** Stops the process and removes its files. */
  stop(): Promise<void>;
  /** Stops the process, keeping its port and files, as an outage does (fault tests). */
  down(): Promise<void>;
  /** Starts the process again after {@link down}, on the same port and files, and waits until it answers. */
  up(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder (Debian keeps them in /usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] && join(root, majors[0], 'bin');
}

/**
 * Starts a throw-away PostgreSQL cluster in a temp folder, listening on 127.0.0.1 on a free port, with its
 * socket in that folder. PostgreSQL refuses to run as root, so it runs as the `postgres` OS user when we are
 * root. Durability is switched off: the data dies with the process anyway.
 */
export async function startPostgres(): Promise<LocalService> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('No PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'talk-pg-'));
  const asRoot = process.getuid?.() === 0;
  const runAs = (command: string, args: string[]) =>
    (asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]) as [string, string[]];
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  execFileSync(
    ...runAs(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']),
    {
      stdio: 'ignore',
    },
  );
  const port = await freePort();
  const settings = [
    'listen_addresses=127.0.0.1',
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
    'max_connections=300',
  ];
  const launch = () =>
    spawn(
      ...runAs(join(bin, 'postgres'), [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir,
        ...settings.flatMap((s) => ['-c', s]),
      ]),
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  let log = '';
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const ready = async () => {
    const client = new pg.Client({ connectionString: url });
    // The cluster may go while this probe is connected (a restart test): that is an answer, not a crash.
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  };
  let child: ChildProcess;
  const start = async () => {
    child = launch();
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    await waitFor(child, ready, () => log);
  };
  const halt = async () => {
    // The postmaster's own pid: runuser does not pass SIGINT (PostgreSQL's "fast shutdown") on.
    const pidFile = join(data, 'postmaster.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
    if (pid) process.kill(pid, 'SIGINT');
    else child.kill('SIGTERM');
    await exited(child);
  };
  await start();
  return {
    url,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
    down: halt,
    up: start,
  };
}

/** Starts redis-server on 127.0.0.1 on a free port, keeping nothing on disk. */
export async function startRedis(): Promise<LocalService> {
  const port = await freePort();
  let log = '';
  let child: ChildProcess;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    await waitFor(
      child,
      () => canConnect(port),
      () => log,
    );
  };
  const halt = async () => {
    child.kill('SIGTERM');
    await exited(child);
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, stop: halt, down: halt, up: start };
}

/** Creates an empty database on a cluster and returns its URL, so each test server starts from nothing. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function waitFor(child: ChildProcess, ready: () => Promise<boolean>, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${child.spawnfile} exited with ${child.exitCode}: ${log()}`);
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${child.spawnfile} did not become ready in 30 s: ${log()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
  });
}
