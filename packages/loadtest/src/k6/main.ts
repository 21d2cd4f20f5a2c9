#!/usr/bin/env node
// npm run loadtest:k6 -- --sessions 1000 --room-size 10 --rate 200 --duration 60 --json out.json
// 10,000 idle sessions held 10 minutes on PostgreSQL, users made participants before the ramp:
// npm run loadtest:k6 -- --sessions 10000 --rate 0 --duration 600 --ramp 60 --provision setup --storage postgres
// --instances 2: that many server instances on one PostgreSQL and Redis behind haproxy, the sessions spread over them
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type LocalService, startPostgres, TokenService } from '@talk/server';
import { describeMachine } from '../cli/machine.js';
import { measureTrees, type TreeUsage } from '../metrics/process.js';
import { mean } from '../metrics/rates.js';
import { type K6Result, readDocument, writeDocument } from '../report/document.js';
import { renderHtml } from '../report/html.js';
import { k6Table } from '../report/markdown.js';
import { Cleanup } from '../stack/cleanup.js';
import { startCluster } from '../stack/cluster.js';
import { isLoopbackUrl } from '../stack/loopback.js';
import { startStack, stopChild } from '../stack/server.js';

const SCRIPT = fileURLToPath(new URL('../../k6/chat-fanout.js', import.meta.url));
const K6 = join(process.env.TALK_TOOLS_BIN ?? fileURLToPath(new URL('../../../../.tools/bin', import.meta.url)), 'k6');

/** Upper bounds, so that no run grows or lasts without bound. */
const LIMITS = { sessions: 20_000, roomSize: 1_000, rate: 5_000, durationSeconds: 1_800 } as const;

/** What one k6 run is asked for. */
export interface K6Options {
  sessions: number;
  roomSize: number;
  messagesPerSecond: number;
  durationSeconds: number;
  rampSeconds: number;
  /** A running server on loopback instead of a fresh one per run. */
  url?: string;
  /** Server instances behind haproxy instead of one server (PostgreSQL and Redis shared); unset: one, no proxy. */
  instances?: number;
  thresholds: { fanoutP99Ms: number; connectP95Ms: number; maxErrorRate: number; maxMemoryGrowth?: number };
  /** `setup`: users are made participants before the ramp, which then measures signaling only; `ramp`: each joins as it connects. */
  provision?: 'ramp' | 'setup';
  /** Where the fresh server keeps its data: in-memory PGlite, or a throw-away PostgreSQL cluster. */
  storage?: 'pglite' | 'postgres';
  /** A folder the fresh server writes a V8 CPU profile to when it stops (`node --cpu-prof`). */
  cpuProfileDir?: string;
  /** How long a session may take from setting out to joined before it counts as an error and is given up; 30 s. */
  connectTimeoutSeconds?: number;
}

/** The objects every k6 user's token opens: the rooms the script makes. */
const K6_OBJECTS = [{ pattern: 'k6:*', types: ['public' as const] }];

/** One reading of the server's /metrics. */
interface MemorySample {
  /** Seconds since the run started. */
  t: number;
  sessions: number;
  rssMiB: number;
  heapUsedMiB: number;
}

interface K6Summary {
  metrics: Record<string, { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> } | undefined>;
}

/** Runs the chat fan-out script once against a fresh server (unless given a URL) and reads its summary. */
export async function runK6(options: K6Options): Promise<K6Result> {
  if (!existsSync(K6)) throw new Error(`k6 not found at ${K6}; run "npm test" once to install it`);
  const cleanup = new Cleanup();
  const folder = await mkdtemp(join(tmpdir(), 'talk-k6-'));
  cleanup.add('k6 folder', () => rm(folder, { recursive: true, force: true }));
  try {
    if (options.instances && (options.storage === 'postgres' || options.cpuProfileDir)) {
      throw new Error('--instances runs on its own PostgreSQL; --storage and --cpu-prof are for one instance');
    }
    const runId = randomBytes(4).toString('hex');
    let postgres: LocalService | undefined;
    if (options.storage === 'postgres' && !options.url) {
      postgres = await startPostgres();
      cleanup.add('postgres', () => postgres?.stop());
    }
    // A server this run starts checks the tokens the run signs, as a host app's users bring theirs: no token is
    // minted by the server, none inside the ramp.
    const secret = options.url ? undefined : randomBytes(32).toString('hex');
    const stack = options.instances
      ? await clusterStack(options, folder, cleanup)
      : await startStack(
          {
            url: options.url,
            sfu: false,
            maxVideoBitrate: 1_000_000,
            serverDecidesTopology: true,
            servePage: false,
            // The sessions live for the whole run; a generous hello timeout keeps a slow ramp from failing at start.
            env: {
              TALK_RESUME_GRACE_MS: '0',
              TALK_RATE_LIMITS_OFF: '1',
              ...(options.cpuProfileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${options.cpuProfileDir}` } : {}),
            },
            jwtSecret: secret,
            databaseUrl: postgres?.url,
            logFile: join(folder, 'server.log'),
          },
          cleanup,
        );
    const tokenSecret = 'secret' in stack ? stack.secret : secret;
    const tokensFile = tokenSecret ? await mintTokens(tokenSecret, runId, options.sessions, folder) : undefined;
    const pids = 'serverPids' in stack ? stack.serverPids : stack.serverPid ? [stack.serverPid] : [];
    const summaryPath = join(folder, 'summary.json');
    const usage: { cpuPercent: number; memoryMiB: number }[] = [];
    let last: Pick<TreeUsage, 'cpuSeconds' | 'memoryMiB'> | undefined;
    // Several instances count as one server: their CPU and memory are summed.
    const sampler = pids.length
      ? setInterval(async () => {
          const trees = await measureTrees(pids);
          const tree = trees.length
            ? {
                cpuSeconds: trees.reduce((sum, t) => sum + t.cpuSeconds, 0),
                memoryMiB: trees.reduce((sum, t) => sum + t.memoryMiB, 0),
              }
            : undefined;
          if (last && tree)
            usage.push({ cpuPercent: (tree.cpuSeconds - last.cpuSeconds) * 100, memoryMiB: tree.memoryMiB });
          last = tree;
        }, 1000)
      : undefined;
    cleanup.add('sampler', () => clearInterval(sampler));
    const memory: MemorySample[] = [];
    const started = Date.now();
    const metricsUrl = `${stack.url.replace('localhost', '127.0.0.1')}/metrics`;
    // The baseline before k6 starts: on a quiet machine its first sessions may be in before the first tick.
    const baseline = await readMemory(metricsUrl, 0).catch(() => undefined);
    if (baseline) memory.push(baseline);
    const memorySampler = setInterval(() => {
      readMemory(metricsUrl, (Date.now() - started) / 1000).then(
        (sample) => memory.push(sample),
        () => {}, // a busy server may miss a reading; the others tell the story
      );
    }, 1000);
    cleanup.add('memory sampler', () => clearInterval(memorySampler));
    const env = {
      ...process.env,
      BASE_URL: stack.url.replace('localhost', '127.0.0.1'),
      SESSIONS: String(options.sessions),
      ROOM_SIZE: String(options.roomSize),
      RATE: String(options.messagesPerSecond),
      DURATION: String(options.durationSeconds),
      RAMP: String(options.rampSeconds),
      RUN_ID: runId,
      ...(tokensFile ? { TOKENS_FILE: tokensFile } : {}),
      CONNECT_TIMEOUT: String(options.connectTimeoutSeconds ?? 30),
      SUMMARY_PATH: summaryPath,
      FANOUT_P99_MS: String(options.thresholds.fanoutP99Ms),
      CONNECT_P95_MS: String(options.thresholds.connectP95Ms),
      MAX_ERROR_RATE: String(options.thresholds.maxErrorRate),
      PROVISION: options.provision ?? 'ramp',
      K6_NO_USAGE_REPORT: 'true',
    };
    // No REST API (--address ''): two runs at once would both want its fixed port.
    const child = spawn(K6, ['run', '--quiet', '--no-color', '--address', '', SCRIPT], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    cleanup.add('k6', () => stopChild(child));
    // The script ends itself; should k6 still hang, it is interrupted (and writes its summary) well after its time.
    let killer: NodeJS.Timeout | undefined;
    const watchdog = setTimeout(() => {
      process.stderr.write(`[k6] still running after ${k6BudgetSeconds(options)} s: interrupting it\n`);
      child.kill('SIGINT');
      killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    }, k6BudgetSeconds(options) * 1000);
    cleanup.add('k6 watchdog', () => {
      clearTimeout(watchdog);
      clearTimeout(killer);
    });
    const code = await new Promise<number>((resolve) => child.once('exit', (exit) => resolve(exit ?? 1)));
    clearInterval(sampler);
    clearInterval(memorySampler);
    if (!existsSync(summaryPath)) throw new Error(`k6 exited with ${code} and wrote no summary`);
    const summary = JSON.parse(await readFile(summaryPath, 'utf8')) as K6Summary;
    // The window's usage: after the ramp, while messages flow.
    const window = usage.slice(options.rampSeconds);
    const result = toResult(options, summary, window.length ? window : usage);
    result.memory = memoryPerSession(memory, options.thresholds.maxMemoryGrowth);
    if (result.memory?.growthFailed) {
      result.passed = false;
      result.failedThresholds.push(`memory growth ${(result.memory.growth * 100).toFixed(1)} % over the hold`);
    }
    return result;
  } finally {
    await cleanup.run();
  }
}

/** Instances behind haproxy (they run without dev mode, on the secret the run signs its tokens with). */
async function clusterStack(options: K6Options, folder: string, cleanup: Cleanup) {
  const cluster = await startCluster(
    {
      instances: options.instances!,
      // Each session holds one socket through the proxy, and its REST calls a few more for a moment.
      maxConnections: Math.min(9_000, options.sessions * 2 + 200),
      env: { TALK_RESUME_GRACE_MS: '0', TALK_RATE_LIMITS_OFF: '1' },
      logFile: join(folder, 'server.log'),
    },
    cleanup,
  );
  return {
    url: cluster.url,
    serverPids: [...cluster.serverPids, ...(cluster.proxyPid ? [cluster.proxyPid] : [])],
    secret: cluster.secret,
  };
}

/**
 * A token for each session the script will make, signed with the server's secret, in a file the script reads:
 * index i is the token of VU i + 1, the last is the rooms' owner's.
 */
async function mintTokens(secret: string, runId: string, sessions: number, folder: string): Promise<string> {
  const tokens = new TokenService(secret);
  const mint = async (userId: string) =>
    (await tokens.issue({ userId, displayName: userId, objects: K6_OBJECTS })).token;
  const list = await Promise.all(Array.from({ length: sessions }, (_, i) => mint(`k6-${runId}-${i + 1}`)));
  list.push(await mint('k6-owner'));
  const file = join(folder, 'tokens.json');
  await writeFile(file, JSON.stringify(list));
  return file;
}

/**
 * The longest a k6 run may take before it is interrupted: its setup's timeout (as the script reckons it), the ramp,
 * the hold, the connect timeout and the script's own margins, and a minute more.
 */
export function k6BudgetSeconds(options: K6Options): number {
  const setup = Math.max(120, options.provision === 'setup' ? Math.ceil(options.sessions / 10) : 0);
  const scenario = options.rampSeconds + options.durationSeconds + (options.connectTimeoutSeconds ?? 30) + 15 + 10;
  return setup + scenario + 60;
}

function toResult(
  options: K6Options,
  summary: K6Summary,
  usage: { cpuPercent: number; memoryMiB: number }[],
): K6Result {
  const values = (name: string) => summary.metrics[name]?.values ?? {};
  const failed = Object.entries(summary.metrics).flatMap(([name, metric]) =>
    Object.entries(metric?.thresholds ?? {})
      .filter(([, threshold]) => !threshold.ok)
      .map(([expression]) => `${name} ${expression}`),
  );
  const percentiles = (name: string) => ({
    p50: values(name).med ?? 0,
    p95: values(name)['p(95)'] ?? 0,
    p99: values(name)['p(99)'] ?? 0,
  });
  return {
    sessions: options.sessions,
    roomSize: options.roomSize,
    messagesPerSecond: options.messagesPerSecond,
    durationSeconds: options.durationSeconds,
    // Several instances share the PostgreSQL the cluster starts.
    storage: options.instances ? 'postgres' : (options.storage ?? 'pglite'),
    provision: options.provision ?? 'ramp',
    ...(options.instances ? { instances: options.instances } : {}),
    passed: failed.length === 0,
    failedThresholds: failed,
    sessionsJoined: values('sessions_joined').count ?? 0,
    connectMs: percentiles('connect_ms'),
    fanoutMs: { ...percentiles('fanout_ms'), count: values('fanout_ms').count ?? 0 },
    messagesSent: values('messages_sent').count ?? 0,
    deliveries: values('deliveries').count ?? 0,
    errorRate: values('errors').rate ?? 0,
    errorsByKind: {
      connect: values('errors_connect').count ?? 0,
      lost: values('errors_lost').count ?? 0,
      socket: values('errors_socket').count ?? 0,
      frame: values('errors_frame').count ?? 0,
      post: values('errors_post').count ?? 0,
    },
    postRetries: values('post_retries').count ?? 0,
    socketErrorsClosing: values('socket_errors_closing').count ?? 0,
    server: usage.length
      ? { cpuPercent: mean(usage.map((u) => u.cpuPercent)), memoryMiB: Math.max(...usage.map((u) => u.memoryMiB)) }
      : undefined,
  };
}

/** The server's resident and heap memory and its session count, from its Prometheus metrics. */
async function readMemory(url: string, t: number): Promise<MemorySample> {
  const text = await (await fetch(url, { signal: AbortSignal.timeout(5_000) })).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    t,
    sessions: gauge('talk_signaling_sessions'),
    rssMiB: gauge('talk_process_resident_memory_bytes') / 2 ** 20,
    heapUsedMiB: gauge('talk_nodejs_heap_size_used_bytes') / 2 ** 20,
  };
}

/**
 * Memory per held session: the server's memory while every session is held, less its memory before the first one
 * connected (after setup made the rooms), over the sessions held. Each side is the median of its readings, so one
 * garbage collection more or less does not decide it; growth compares the first and last fifth of the hold.
 */
export function memoryPerSession(samples: readonly MemorySample[], maxGrowth?: number): K6Result['memory'] {
  const valid = samples.filter((s) => Number.isFinite(s.rssMiB) && Number.isFinite(s.sessions));
  const before = valid.slice(
    0,
    valid.findIndex((s) => s.sessions > 0),
  );
  const peak = Math.max(0, ...valid.map((s) => s.sessions));
  // Held: from when the count first reached 98 % of its peak until it fell below it again.
  const first = valid.findIndex((s) => s.sessions >= peak * 0.98);
  const after = valid.slice(first).findIndex((s) => s.sessions < peak * 0.98);
  const held = first < 0 ? [] : valid.slice(first, after < 0 ? undefined : first + after);
  if (before.length === 0 || held.length === 0 || peak === 0) return undefined;
  const baseline = {
    rssMiB: median(before.map((s) => s.rssMiB)),
    heapUsedMiB: median(before.map((s) => s.heapUsedMiB)),
  };
  const hold = { rssMiB: median(held.map((s) => s.rssMiB)), heapUsedMiB: median(held.map((s) => s.heapUsedMiB)) };
  const fifth = Math.max(1, Math.floor(held.length / 5));
  const early = median(held.slice(0, fifth).map((s) => s.rssMiB));
  const late = median(held.slice(-fifth).map((s) => s.rssMiB));
  const growth = (late - early) / early;
  return {
    sessionsHeld: peak,
    baselineMiB: baseline.rssMiB,
    heldMiB: hold.rssMiB,
    perSessionKiB: ((hold.rssMiB - baseline.rssMiB) * 1024) / peak,
    heapPerSessionKiB: ((hold.heapUsedMiB - baseline.heapUsedMiB) * 1024) / peak,
    holdSeconds: (held.at(-1)?.t ?? 0) - (held[0]?.t ?? 0),
    growth,
    growthFailed: maxGrowth !== undefined && growth > maxGrowth,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function parse(argv: readonly string[]): { runs: K6Options[]; json?: string; html?: string } {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]!;
    if (!name.startsWith('--') || argv[i + 1] === undefined) throw new Error(`expected --name value, got ${name}`);
    options.set(name.slice(2), argv[i + 1]!);
  }
  const known = [
    'sessions',
    'room-size',
    'rate',
    'duration',
    'ramp',
    'url',
    'instances',
    'json',
    'html',
    'fanout-p99',
    'connect-p95',
    'max-error-rate',
    'provision',
    'storage',
    'cpu-prof',
    'max-memory-growth',
    'connect-timeout',
  ];
  for (const name of options.keys()) if (!known.includes(name)) throw new Error(`unknown option --${name}`);
  const number = (name: string, fallback: number, max: number, min = Number.MIN_VALUE) => {
    const value = Number(options.get(name) ?? fallback);
    if (!Number.isFinite(value) || value < min || value > max)
      throw new Error(`--${name}: expected a number up to ${max}`);
    return value;
  };
  const url = options.get('url');
  if (url !== undefined && !isLoopbackUrl(url)) throw new Error(`--url ${url}: only loopback addresses are allowed`);
  const instances = options.has('instances') ? number('instances', 1, 8) : undefined;
  if (instances !== undefined && url !== undefined) throw new Error('--instances starts its own servers; drop --url');
  const sessionCounts = (options.get('sessions') ?? '100').split(',').map(Number);
  if (sessionCounts.some((n) => !Number.isInteger(n) || n < 1 || n > LIMITS.sessions)) {
    throw new Error(`--sessions: integers from 1 to ${LIMITS.sessions}, comma-separated`);
  }
  const base = {
    roomSize: number('room-size', 10, LIMITS.roomSize),
    // 0 holds the sessions idle.
    messagesPerSecond: number('rate', 10, LIMITS.rate, 0),
    durationSeconds: number('duration', 30, LIMITS.durationSeconds),
    rampSeconds: number('ramp', 10, 300),
    url,
    instances,
    thresholds: {
      fanoutP99Ms: number('fanout-p99', 500, 60_000),
      connectP95Ms: number('connect-p95', 2000, 60_000),
      maxErrorRate: number('max-error-rate', 0.01, 1),
      ...(options.has('max-memory-growth') ? { maxMemoryGrowth: number('max-memory-growth', 0.1, 10) } : {}),
    },
    provision: oneOf(options.get('provision') ?? 'ramp', ['ramp', 'setup'] as const, 'provision'),
    storage: oneOf(options.get('storage') ?? 'pglite', ['pglite', 'postgres'] as const, 'storage'),
    cpuProfileDir: options.get('cpu-prof'),
    connectTimeoutSeconds: number('connect-timeout', 30, 300),
  };
  return {
    runs: sessionCounts.map((sessions) => ({ ...base, sessions })),
    json: options.get('json'),
    html: options.get('html'),
  };
}

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`--${name}: one of ${allowed.join(', ')}`);
  return value as T;
}

async function main(): Promise<void> {
  const { runs, json, html } = parse(process.argv.slice(2));
  const results: K6Result[] = [];
  for (const run of runs) {
    process.stderr.write(
      `[k6] ${run.sessions} sessions, rooms of ${run.roomSize}, ${run.messagesPerSecond} msg/s, ${run.durationSeconds} s${run.instances ? `, ${run.instances} instances behind haproxy` : ''}\n`,
    );
    results.push(await runK6(run));
    const document = (await readDocument(json)) ?? { generatedAt: '', machine: describeMachine(), runs: [], k6: [] };
    const key = (r: K6Result) =>
      `${r.sessions}/${r.roomSize}/${r.messagesPerSecond}/${r.storage ?? 'pglite'}/${r.provision ?? 'ramp'}/${r.durationSeconds}/${r.instances ?? 1}`;
    const latest = results.at(-1)!;
    document.k6 = [...document.k6.filter((r) => key(r) !== key(latest)), latest].sort(
      (a, b) => a.sessions - b.sessions,
    );
    document.generatedAt = new Date().toISOString();
    if (json) await writeDocument(json, document);
    if (html) await writeFile(html, renderHtml(document));
  }
  process.stdout.write(`\n${k6Table(results)}\n`);
  if (results.some((result) => !result.passed)) process.exitCode = 1;
}

// Run as a command, not when a test imports runK6.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`loadtest:k6: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
