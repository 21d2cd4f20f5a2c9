/**
 * Chat fan-out benchmark (not a test): one conversation with 100 signaling sockets on loopback; messages are
 * posted over REST and each is pushed to all 100 sockets. Reports messages/s posted, deliveries/s pushed, and
 * p50/p99 delivery latency (from the start of the POST to arrival at a socket), on PGlite and on PostgreSQL
 * (a throw-away cluster started like the test suite's). Bounded in count (BENCH_MESSAGES, default 400) and
 * time (BENCH_TIMEOUT_MS, default 60 s per storage).
 *
 *   npm run bench -w @talk/server
 */
import { performance } from 'node:perf_hooks';
import { Routes, type ServerMessage } from '@talk/protocol';
import WebSocket from 'ws';
import { createTalkServer, type TalkServer } from '../app.js';
import type { StorageConfig } from '../config.js';
import { createDatabase, postgresBinDir, startPostgres } from '../testing/services.js';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 100);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 60_000);

interface Result {
  storage: string;
  posted: number;
  postSeconds: number;
  deliveries: number;
  deliverySeconds: number;
  p50: number;
  p99: number;
}

async function json<T>(server: TalkServer, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(server.url + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function run(label: string, storage: StorageConfig): Promise<Result> {
  const server = await createTalkServer({
    port: 0,
    storage,
    devMode: true,
    signalingRate: { perSecond: 10_000, burst: 10_000 },
  });
  const sockets: WebSocket[] = [];
  try {
    const users = Array.from({ length: SOCKETS }, (_, i) => ({ userId: `user${i}`, displayName: `User ${i}` }));
    const tokens = await Promise.all(
      users.map((u) => json<{ token: string }>(server, 'POST', Routes.devTokens, undefined, u).then((t) => t.token)),
    );
    const { token: conversation } = await json<{ token: string }>(server, 'POST', Routes.conversations, tokens[0], {
      type: 'group',
      name: 'Bench',
      participants: users.slice(1),
    });
    const sentAt = new Map<number, number>(); // message id → when its POST started
    const startedAt = new Map<string, number>(); // reference id → when its POST started
    const latencies: number[] = [];
    let lastDelivery = 0;
    let delivered = 0;
    const expected = MESSAGES * SOCKETS;
    let allDelivered: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      allDelivered = resolve;
    });
    await Promise.all(
      tokens.map(
        (token) =>
          new Promise<void>((resolve, reject) => {
            const ws = new WebSocket(server.url.replace(/^http/, 'ws') + Routes.signaling);
            sockets.push(ws);
            ws.on('error', reject);
            ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', token })));
            ws.on('message', (data) => {
              const message = JSON.parse(data.toString()) as ServerMessage;
              if (message.type === 'welcome') ws.send(JSON.stringify({ type: 'join', conversation }));
              else if (message.type === 'joined') resolve();
              else if (message.type === 'chat-message') {
                const now = performance.now();
                const start = sentAt.get(message.message.id) ?? startedAt.get(message.message.referenceId ?? '');
                if (start !== undefined) latencies.push(now - start);
                lastDelivery = now;
                if (++delivered === expected) allDelivered();
              }
            });
          }),
      ),
    );
    const begin = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        while (next < MESSAGES) {
          const i = next++;
          const referenceId = `bench-${i}`;
          const t0 = performance.now();
          startedAt.set(referenceId, t0);
          const posted = await json<{ id: number }>(
            server,
            'POST',
            Routes.messages.replace('{token}', conversation),
            tokens[worker % tokens.length],
            { message: `message ${i} ${'x'.repeat(64)}`, referenceId },
          );
          sentAt.set(posted.id, t0);
        }
      }),
    );
    const postSeconds = (performance.now() - begin) / 1000;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, TIMEOUT_MS).unref());
    await Promise.race([done, timeout]);
    latencies.sort((a, b) => a - b);
    return {
      storage: label,
      posted: MESSAGES,
      postSeconds,
      deliveries: delivered,
      deliverySeconds: ((lastDelivery || performance.now()) - begin) / 1000,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  } finally {
    for (const ws of sockets) ws.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  console.log(
    `Fan-out: ${MESSAGES} messages posted by ${CONCURRENCY} concurrent clients, each pushed to ${SOCKETS} sockets.`,
  );
  const results: Result[] = [await run('PGlite (in memory)', { kind: 'pglite', dataDir: 'memory://' })];
  if (postgresBinDir()) {
    const postgres = await startPostgres();
    try {
      results.push(await run('PostgreSQL', { kind: 'postgres', url: await createDatabase(postgres.url, 'bench') }));
    } finally {
      await postgres.stop();
    }
  } else {
    console.log('No PostgreSQL under /usr/lib/postgresql: skipping that run.');
  }
  console.table(
    results.map((r) => ({
      storage: r.storage,
      'posted msg/s': Math.round(r.posted / r.postSeconds),
      'pushed deliveries/s': Math.round(r.deliveries / r.deliverySeconds),
      delivered: `${r.deliveries}/${r.posted * SOCKETS}`,
      'p50 ms': r.p50.toFixed(1),
      'p99 ms': r.p99.toFixed(1),
    })),
  );
  if (results.some((r) => r.deliveries < r.posted * SOCKETS)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
