// The hand-over benchmark: `npm run bench:hand-over -w @talk/call-core`. Two server instances as processes behind
// Debian's haproxy on loopback, one PostgreSQL and one Redis; each round, Alice and Bob (one per instance) chat and
// signal a mesh call while Alice's instance is stopped with SIGTERM. The figure is the time from the SIGTERM until
// Alice's client has resumed its session on the other instance (its `Connected` event), and the process's exit time
// beside it. The stopped instance is started again between rounds. BENCH_ROUNDS (default 10) rounds; prints each,
// the median and worst, and writes reports/hand-over.json. Each round also checks what the test checks.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ClusterStack, type HandOverRound, handOverRound, startClusterStack } from '../cluster/stack.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const reportPath = fileURLToPath(new URL('../../reports/hand-over.json', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: ClusterStack;
beforeAll(async () => {
  stack = await startClusterStack(2);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

it(`measures SIGTERM → resumed elsewhere over ${rounds} rounds`, { timeout: 30 * 60_000 }, async () => {
  const proxy = await stack.proxy();
  const results: HandOverRound[] = [];
  for (let i = 0; i < rounds; i++) {
    const round = await handOverRound(stack, proxy, i);
    results.push(round);
    console.log(
      `round ${i + 1}: resumed ${round.handOverMs} ms after SIGTERM (exit ${round.exitCode} after ${round.exitMs} ms)`,
    );
    expect(new Set(round.homes).size).toBe(2);
    expect(round.resumed).toBe(true);
    expect(round.exitCode).toBe(0);
    expect(round.leftSeenByBob).toEqual([]);
    expect(round.joinedSeenByBob).toEqual([]);
    expect(round.signalsReceived).toEqual(round.signalsSent);
    for (const ids of [round.receivedByAlice, round.receivedByBob]) {
      expect(round.acknowledged.filter((id) => !ids.includes(id))).toEqual([]);
      expect(new Set(ids).size).toBe(ids.length);
    }
    await stack.instances[round.homes[0]]!.restart();
    // haproxy takes it back after one passed check (every second).
    await sleep(2_500);
  }
  const handOver = results.map((r) => r.handOverMs);
  const exit = results.map((r) => r.exitMs);
  const summary = {
    rounds,
    handOverMs: { median: median(handOver), worst: Math.max(...handOver), all: handOver },
    exitMs: { median: median(exit), worst: Math.max(...exit), all: exit },
  };
  console.log(JSON.stringify(summary, null, 2));
  await mkdir(fileURLToPath(new URL('../../reports/', import.meta.url)), { recursive: true });
  await writeFile(reportPath, `${JSON.stringify(summary, null, 2)}\n`);
});
