/**
 * Search benchmark (not a test): one conversation of BENCH_SEARCH_MESSAGES messages (default 10,000) of random
 * words, then BENCH_SEARCH_QUERIES searches (default 200) of one or two word prefixes, as the search route runs
 * them (first page of 20). Reports the time to fill and p50/p95/max per search, on PGlite and on PostgreSQL
 * (a throw-away cluster started like the test suite's).
 *
 *   npm run build -w @talk/protocol && npx tsc -p tsconfig.build.json && node dist/bench/search.js
 */
import { performance } from 'node:perf_hooks';
import type { StorageConfig } from '../config.js';
import { Store } from '../store/store.js';
import { createDatabase, postgresBinDir, startPostgres } from '../testing/services.js';

const MESSAGES = Number(process.env.BENCH_SEARCH_MESSAGES ?? 10_000);
const QUERIES = Number(process.env.BENCH_SEARCH_QUERIES ?? 200);
const WORDS = Array.from({ length: 2000 }, (_, i) => `w${(i * 7919).toString(36)}${'abcdefghij'[i % 10]}`);

/** A deterministic generator, so both storages hold the same history. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

async function run(label: string, storage: StorageConfig): Promise<Record<string, string | number>> {
  const store = await Store.open(storage);
  try {
    const next = random(42);
    const word = () => WORDS[Math.floor(next() * WORDS.length)]!;
    const alice = { userId: 'alice', displayName: 'Alice' };
    const { conversation } = await store.conversations.create({ type: 'group', name: 'Bench' }, alice);
    const filled = performance.now();
    await store.transaction(async (tx) => {
      for (let i = 0; i < MESSAGES; i++) {
        await tx.messages.post(conversation.token, alice, Array.from({ length: 12 }, word).join(' '), `r${i}`);
      }
    });
    const fillSeconds = (performance.now() - filled) / 1000;
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < QUERIES; i++) {
      const text = i % 2 ? word().slice(0, 4) : `${word().slice(0, 5)} ${word().slice(0, 3)}`;
      const started = performance.now();
      const page = await store.search.search({ text, conversations: [conversation.token], limit: 20 });
      times.push(performance.now() - started);
      found += page.messages.length;
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    return {
      storage: label,
      messages: MESSAGES,
      'fill s': fillSeconds.toFixed(1),
      searches: QUERIES,
      'hits/search': (found / QUERIES).toFixed(1),
      'p50 ms': at(0.5),
      'p95 ms': at(0.95),
      'max ms': times[times.length - 1]!.toFixed(1),
    };
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const results = [await run('PGlite (in memory)', { kind: 'pglite', dataDir: 'memory://' })];
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
  console.table(results);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
