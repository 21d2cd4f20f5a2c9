import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A livekit-server process started on loopback for development, tests and load runs. */
export interface LocalLivekit {
  /** WebSocket URL that livekit-client connects to. */
  url: string;
  /** HTTP URL of the same server, for its server API. */
  httpUrl: string;
  apiKey: string;
  apiSecret: string;
  /** The child process, for resource measurements. */
  process: ChildProcess;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

/** Options for {@link startLocalLivekit}. */
export interface LocalLivekitOptions {
  /** Path of the livekit-server binary; defaults to the one set-up installs into `.tools/bin`. */
  binary?: string;
  /** Where livekit-server posts its webhooks. */
  webhookUrl?: string;
  /** Lines of the server's own log go here; silent by default. */
  log?: (line: string) => void;
  /** How long to wait for the server to answer, in milliseconds. */
  startTimeoutMs?: number;
  /**
   * A Redis (redis://host:port) shared with other nodes: LiveKit's multi-node mode, where a room lives on one node
   * and a participant who connects to any node is routed to it.
   */
  redisUrl?: string;
  /** The API key and secret; nodes of one deployment share them. Fresh ones by default. */
  keys?: { apiKey: string; apiSecret: string };
  /**
   * The one IPv4 address it listens on and offers media from, instead of loopback: e.g. a load-test network's
   * bridge, which browsers in other network namespaces reach.
   */
  host?: string;
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Where set-up puts livekit-server, unless `LIVEKIT_SERVER_BIN` says otherwise. */
export function defaultLivekitBinary(): string {
  return process.env.LIVEKIT_SERVER_BIN ?? join(repoRoot, '.tools', 'bin', 'livekit-server');
}

/** True when the livekit-server binary is present. */
export function livekitAvailable(binary = defaultLivekitBinary()): boolean {
  return existsSync(binary);
}

/** Finds a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts livekit-server bound to 127.0.0.1 with fresh API keys, on free ports, with TURN, ICE/TCP and
 * external-IP discovery off so that no traffic leaves the machine.
 */
export async function startLocalLivekit(options: LocalLivekitOptions = {}): Promise<LocalLivekit> {
  const binary = options.binary ?? defaultLivekitBinary();
  if (!existsSync(binary)) {
    throw new Error(`livekit-server not found at ${binary}; run "npm test" or "npm start" once to install it`);
  }
  const [port, udpPort] = [await freePort(), await freePort()];
  const { apiKey, apiSecret } = options.keys ?? {
    apiKey: `dev${randomBytes(4).toString('hex')}`,
    apiSecret: randomBytes(32).toString('hex'),
  };
  const host = options.host ?? '127.0.0.1';
  const config = [
    `port: ${port}`,
    `bind_addresses: ["${host}"]`,
    'rtc:',
    // ICE over TCP would listen on every interface; media stays on one loopback UDP port instead.
    '  tcp_port: 0',
    `  udp_port: ${udpPort}`,
    '  use_external_ip: false',
    `  node_ip: ${host}`,
    '  enable_loopback_candidate: true',
    // On loopback only lo; on another address, whichever interface holds it.
    ...(options.host ? [] : ['  interfaces:', '    includes: [lo]']),
    '  ips:',
    `    includes: [${host}/32]`,
    'turn:',
    '  enabled: false',
    'logging:',
    '  level: warn',
    'keys:',
    `  ${apiKey}: ${apiSecret}`,
  ];
  if (options.redisUrl) {
    const redis = new URL(options.redisUrl);
    config.push('redis:', `  address: ${redis.hostname}:${redis.port || 6379}`);
  }
  if (options.webhookUrl) {
    config.push('webhook:', `  api_key: ${apiKey}`, '  urls:', `    - ${options.webhookUrl}`);
  }
  const child = spawn(binary, ['--bind', host, '--node-ip', host, '--config-body', config.join('\n')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = options.log ?? (() => {});
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) log(line);
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const httpUrl = `http://${host}:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHttp(httpUrl, options.startTimeoutMs ?? 15_000, () => child.exitCode !== null);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `ws://${host}:${port}`, httpUrl, apiKey, apiSecret, process: child, stop };
}

async function waitForHttp(url: string, timeoutMs: number, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('livekit-server exited during start-up');
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`livekit-server did not answer at ${url} within ${timeoutMs} ms`);
}

/**
 * Starts `count` livekit-server nodes of one deployment on loopback: one Redis, one key pair, a port pair each.
 * The first node's URL and keys configure the Talk server; the others' URLs are its `nodeUrls`.
 */
export async function startLocalLivekitNodes(
  count: number,
  redisUrl: string,
  options: Omit<LocalLivekitOptions, 'redisUrl' | 'keys'> = {},
): Promise<LocalLivekit[]> {
  const keys = { apiKey: `dev${randomBytes(4).toString('hex')}`, apiSecret: randomBytes(32).toString('hex') };
  const nodes: LocalLivekit[] = [];
  try {
    // One after another: each registers itself in Redis as it starts.
    for (let i = 0; i < count; i++) nodes.push(await startLocalLivekit({ ...options, redisUrl, keys }));
  } catch (error) {
    await Promise.all(nodes.map((node) => node.stop()));
    throw error;
  }
  return nodes;
}
