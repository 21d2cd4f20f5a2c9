// The switch benchmark: `npm run bench:switch -w @talk/call-core`. A call of BENCH_PARTICIPANTS (default 4)
// participants in one headless Chromium (tabs; BENCH_WINDOWS=1 for a window each, drawing every remote video) is
// moved to the SFU by one more joining and back to mesh by it leaving,
// BENCH_SWITCHES (default 10) times each way. Around each switch every page measures, for every remote camera, the
// longest wait between two decoded frames of the track it shows, across the swap from the old path's track to the
// new one's (a worker times each frame as it arrives, so a busy page does not blur the figure), and the freeze time
// WebRTC itself counted. Prints a line per round and writes reports/switch-gap.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserStack, join, startStack, type TestParticipant, untilFlowing } from '../browser/harness.js';

const stable = Number(process.env.BENCH_PARTICIPANTS ?? 4);
const switches = Number(process.env.BENCH_SWITCHES ?? 10);
/** BENCH_WINDOWS=1: a window per participant, drawing every remote video, instead of background tabs that do not. */
const windows = process.env.BENCH_WINDOWS === '1';
/** How long after the switch completes the measurement goes on, to catch a stall right after it. */
const SETTLE_MS = 1_500;
const reportPath = fileURLToPath(new URL('../../reports/switch-gap.json', import.meta.url));

interface SwitchResult {
  direction: 'mesh→sfu' | 'sfu→mesh';
  /** From the trigger until every page reported the new topology, in ms. */
  switchMs: number;
  /** Longest framesDecoded gap of any remote camera on any page, in ms. */
  decodedGapMs: number;
  /** The longest of those gaps that spanned the swap from a camera's old track to its new one, in ms. */
  swapGapMs: number;
  /** Most freeze time WebRTC counted on one shown remote camera during the switch, in ms. */
  freezeMs: number;
  /** How late the most delayed page ran its timers, in ms: how busy the machine was (not a bound on the gaps). */
  readingGapMs: number;
}

let stack: BrowserStack;
const pages: TestParticipant[] = [];

beforeAll(async () => {
  stack = await startStack({
    sfu: true,
    topology: { sfuFrom: stable + 1, meshAtMost: stable, downgradeDelayMs: 500 },
    windows,
  });
});

afterAll(async () => {
  for (const page of pages) await page.close();
  await stack?.stop();
});

async function measured(
  direction: SwitchResult['direction'],
  target: string,
  trigger: () => Promise<void>,
  group: TestParticipant[],
): Promise<SwitchResult> {
  const sessions = new Set(group.map((p) => p.sessionId));
  await Promise.all(group.map((page) => page.call('measureGaps', true)));
  const started = Date.now();
  await trigger();
  await Promise.all(group.map((page) => page.until((s) => s.topology === target && !s.switchingTo, target, 60_000)));
  const switchMs = Date.now() - started;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const gaps = await Promise.all(group.map((page) => page.call('measureGaps', false)));
  if (process.env.BENCH_DEBUG) console.log(direction, JSON.stringify(gaps));
  const pick = (record: Record<string, number>, keep: Set<string>) =>
    Object.entries(record)
      .filter(([key]) => keep.has(key))
      .map(([, gap]) => gap);
  return {
    direction,
    switchMs,
    decodedGapMs: Math.round(Math.max(0, ...gaps.flatMap((g) => pick(g.decoded, sessions)))),
    swapGapMs: Math.round(Math.max(0, ...gaps.flatMap((g) => pick(g.acrossSwap, sessions)))),
    freezeMs: Math.round(Math.max(0, ...gaps.flatMap((g) => pick(g.freezes, sessions)))),
    readingGapMs: Math.round(Math.max(0, ...gaps.map((g) => g.readingGap))),
  };
}

it(`measures the longest video gap over ${switches} switches each way`, { timeout: 60 * 60_000 }, async () => {
  for (let i = 0; i < stable; i++) pages.push(await join(stack, { user: `p${i}`, room: 'bench', topology: 'auto' }));
  for (const page of pages)
    await untilFlowing(
      page,
      pages.filter((other) => other !== page),
      'cameraFrames',
      60_000,
    );
  // The noise floor: the same measurement over a stretch without a switch.
  const baseline = await measured(
    'mesh→sfu',
    'mesh',
    () => new Promise((resolve) => setTimeout(resolve, 5_000)),
    pages,
  );
  console.log(`baseline without a switch: gap decoded ${baseline.decodedGapMs} ms, frozen ${baseline.freezeMs} ms`);
  const extra = await join(stack, { user: 'extra', room: 'bench', topology: 'auto' });
  const results: SwitchResult[] = [];
  // The extra participant joined once already, which moved the call to the SFU; it leaves to start the cycle.
  await Promise.all(pages.map((page) => page.until((s) => s.topology === 'sfu' && !s.switchingTo, 'sfu', 60_000)));
  for (let round = 0; round < switches; round++) {
    results.push(await measured('sfu→mesh', 'mesh', () => extra.call('leave'), pages));
    results.push(await measured('mesh→sfu', 'sfu', () => extra.call('rejoin'), pages));
    const last = results.slice(-2);
    console.log(
      `round ${round + 1}: ${last.map((r) => `${r.direction} ${r.switchMs} ms, gap decoded ${r.decodedGapMs} ms (at the swap ${r.swapGapMs} ms, page late ${r.readingGapMs} ms), frozen ${r.freezeMs} ms`).join('; ')}`,
    );
  }
  await extra.close();
  const worst = (
    direction: SwitchResult['direction'],
    field: 'decodedGapMs' | 'swapGapMs' | 'freezeMs' | 'readingGapMs',
  ) => Math.max(...results.filter((r) => r.direction === direction).map((r) => r[field]));
  const summary = {
    participants: stable,
    pages: windows ? 'windows' : 'tabs',
    switchesEachWay: switches,
    baselineDecodedGapMs: baseline.decodedGapMs,
    maxDecodedGapMs: { meshToSfu: worst('mesh→sfu', 'decodedGapMs'), sfuToMesh: worst('sfu→mesh', 'decodedGapMs') },
    maxSwapGapMs: { meshToSfu: worst('mesh→sfu', 'swapGapMs'), sfuToMesh: worst('sfu→mesh', 'swapGapMs') },
    maxFreezeMs: { meshToSfu: worst('mesh→sfu', 'freezeMs'), sfuToMesh: worst('sfu→mesh', 'freezeMs') },
    maxPageLateMs: {
      meshToSfu: worst('mesh→sfu', 'readingGapMs'),
      sfuToMesh: worst('sfu→mesh', 'readingGapMs'),
    },
    results,
  };
  console.log(JSON.stringify({ ...summary, results: undefined }, null, 2));
  await mkdir(fileURLToPath(new URL('../../reports/', import.meta.url)), { recursive: true });
  await writeFile(reportPath, `${JSON.stringify(summary, null, 2)}\n`);
  // Every switch completed and was measured; the figure itself is reported, not asserted (it depends on the load).
  expect(results).toHaveLength(2 * switches);
});
