import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's coturn, unless TURNSERVER_PATH names another build. */
export const TURNSERVER_PATH = process.env.TURNSERVER_PATH ?? '/usr/bin/turnserver';

/** A coturn started for a test, on loopback. */
export interface LocalCoturn {
  /** The `turn:` URL clients use (UDP). */
  url: string;
  /** The TURN REST API secret (coturn's `static-auth-secret`) that the Talk server mints credentials with. */
  secret: string;
  /** The last lines coturn logged, for a failure message. */
  log(): string;
  /** Stops it and removes its files. */
  stop(): Promise<void>;
}

/** True when Debian's coturn is installed. */
export function coturnAvailable(binary = TURNSERVER_PATH): boolean {
  return existsSync(binary);
}

/**
 * Starts coturn on 127.0.0.1 with time-limited credentials (`use-auth-secret`), relaying on loopback only.
 * Loopback peers are refused by default (a TURN server must not be a way into its own host); a test's peers are
 * all on loopback, so this instance allows them, and nothing else is reachable: it listens and relays on
 * 127.0.0.1 alone, with TCP, TLS and the CLI off.
 */
export async function startCoturn(options: { secret?: string; binary?: string } = {}): Promise<LocalCoturn> {
  const binary = options.binary ?? TURNSERVER_PATH;
  if (!existsSync(binary)) throw new Error(`coturn not found at ${binary} (apt-get install coturn)`);
  const secret = options.secret ?? randomBytes(16).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'talk-coturn-'));
  const port = await freeUdpPort();
  // A relay range of its own per run, so parallel runs on one machine do not collide.
  const minPort = 20_000 + Math.floor(Math.random() * 400) * 100;
  const args = [
    '-n', // no configuration file: everything is on this command line
    `--listening-ip=127.0.0.1`,
    `--relay-ip=127.0.0.1`,
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${minPort + 99}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    '--realm=talk.test',
    '--fingerprint',
    '--allow-loopback-peers',
    '--no-multicast-peers',
    '--no-tcp',
    '--no-tls',
    '--no-dtls',
    '--no-tcp-relay',
    '--no-cli',
    '--no-software-attribute',
    `--userdb=${join(dir, 'turndb')}`,
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    '--log-file=stdout',
    '--simple-log',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  await ready(child, port, () => log);
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    log: () => log,
    async stop() {
      await stopped(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A UDP port nobody holds on loopback now. */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createSocket('udp4');
    probe.once('error', reject);
    probe.bind(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once coturn answers a STUN binding request; fails if it exits first or stays silent for 15 s. */
async function ready(child: ChildProcess, port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`coturn exited with ${child.exitCode}: ${log()}`);
    if (await answersStun(port)) return;
  }
  child.kill('SIGKILL');
  throw new Error(`coturn did not answer STUN in 15 s: ${log()}`);
}

/** Sends one STUN binding request (RFC 5389) and says whether a response came within 200 ms. */
function answersStun(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const request = Buffer.alloc(20);
    request.writeUInt16BE(0x0001, 0); // binding request, no attributes
    request.writeUInt32BE(0x2112a442, 4); // the magic cookie
    randomBytes(12).copy(request, 8); // transaction id
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), 200);
    socket.once('message', (answer) =>
      done(answer.length >= 20 && answer.subarray(8, 20).equals(request.subarray(8, 20))),
    );
    socket.once('error', () => done(false));
    socket.send(request, port, '127.0.0.1');
  });
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
