// What a measured call does the same way whether its participants run here or on harness agents: the checks on its
// size and length, the bound on its time, the wait until everyone receives everyone, and the second-by-second loop.
import { type MachineTimes, machineBusyPercent, readMachineTimes } from '../metrics/machine.js';
import { cpuPercent, measureTrees, type TreeUsage } from '../metrics/process.js';
import { mean } from '../metrics/rates.js';
import type { PageSample } from '../page-api.js';
import type { Cleanup } from '../stack/cleanup.js';
import type { CallProgress } from './call-run.js';
import type { ParticipantSecond, ProcessSummary } from './types.js';

/** Hard limits, so that no run can grow or last without bound. */
export const LIMITS = { participants: 16, durationSeconds: 600, joinTimeoutMs: 90_000 } as const;

/** How long a run is and what it reports to. */
export interface RunLength {
  participants: number;
  /** Seconds measured after the warm-up. */
  durationSeconds: number;
  /** Seconds after everyone receives everyone's video before measuring. */
  warmupSeconds: number;
  /** Called once a second with what was measured. */
  onProgress?: (progress: CallProgress) => void;
}

/** Refuses a run of a size or length beyond {@link LIMITS}. */
export function checkRunLength({ participants: n, durationSeconds, warmupSeconds }: RunLength): void {
  if (!Number.isInteger(n) || n < 2 || n > LIMITS.participants) {
    throw new Error(`participants must be 2–${LIMITS.participants}, got ${n}`);
  }
  if (durationSeconds + warmupSeconds > LIMITS.durationSeconds) {
    throw new Error(`a run lasts at most ${LIMITS.durationSeconds} s`);
  }
}

/**
 * Bounds the whole run in time even if a browser hangs (joining, warm-up, measuring and a margin): past it, the
 * clean-up runs and the process exits with 124. Clear the timer when the run ends.
 */
export function runDeadline(run: RunLength, cleanup: Cleanup): NodeJS.Timeout {
  const deadline = setTimeout(
    () => {
      process.stderr.write('[loadtest] run exceeded its time limit; stopping\n');
      void cleanup.run().finally(() => process.exit(124));
    },
    // Starting a browser and joining take far longer on a loaded machine; each participant gets 30 s of margin.
    LIMITS.joinTimeoutMs * 2 + (run.participants * 30 + run.durationSeconds + run.warmupSeconds + 60) * 1000,
  );
  deadline.unref();
  return deadline;
}

/** Reads every participant's page until each receives and decodes video from `others`; fails past `deadline`. */
export async function waitUntilEveryoneSees(
  read: () => Promise<PageSample[]>,
  others: number,
  deadline: number,
): Promise<void> {
  for (;;) {
    const pages = await read();
    const decoding = pages.map((page) => page.inbound.filter((s) => s.kind === 'video' && s.frames > 0).length);
    if (pages.every((page, i) => page.remoteParticipants >= others && decoding[i]! >= others)) return;
    if (Date.now() > deadline) {
      throw new Error(`not every participant received video from ${others} others in time: ${decoding.join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** One reading of the run, each second: what the loop itself needs of it. */
export interface Reading {
  /** When the reading began, ms since the epoch; the next one begins a second later. */
  at: number;
  /** Process trees: the server's and livekit-server's first, then any others the run reads. */
  trees: TreeUsage[];
  /** When /proc's CPU times were read for `trees` (memory comes after). */
  treesAt: number;
  /** This machine's CPU counters. */
  machine: MachineTimes;
}

/** What the loop gathered: every participant-second, and the server's and the machine's measured seconds. */
export interface Sampled {
  timeline: ParticipantSecond[];
  serverSeconds: { server: ProcessSummary; livekit: ProcessSummary }[];
  /** This machine's busy share of all cores, each measured second, %. */
  machine: number[];
}

/**
 * Reads the run once, then each second for its warm-up and its measured seconds; `rowsOf` turns two readings a second
 * apart into that second's row per participant (`t` ≤ 0 during the warm-up). Progress goes to `onProgress`.
 */
export async function sampleSeconds<R extends Reading>(
  run: RunLength,
  read: () => Promise<R>,
  rowsOf: (previous: R, current: R, t: number) => ParticipantSecond[],
): Promise<Sampled> {
  const sampled: Sampled = { timeline: [], serverSeconds: [], machine: [] };
  let previous = await read();
  const total = run.warmupSeconds + run.durationSeconds;
  for (let second = 1; second <= total; second += 1) {
    await sleepUntil(previous.at + 1000);
    const current = await read();
    const t = second - run.warmupSeconds;
    const rows = rowsOf(previous, current, t);
    sampled.timeline.push(...rows);
    if (t > 0) {
      // CPU time is divided by the time between the two /proc readings, not between page samples, which a loaded
      // machine can delay by different amounts.
      const seconds = (current.treesAt - previous.treesAt) / 1000;
      const usage = (i: number): ProcessSummary => ({
        cpuPercent: cpuPercent(previous.trees[i]!, current.trees[i]!, seconds),
        memoryMiB: current.trees[i]!.memoryMiB,
      });
      sampled.serverSeconds.push({ server: usage(0), livekit: usage(1) });
      sampled.machine.push(machineBusyPercent(previous.machine, current.machine));
    }
    run.onProgress?.({
      phase: t > 0 ? 'measuring' : 'warm-up',
      elapsed: t > 0 ? t : second,
      total: t > 0 ? run.durationSeconds : run.warmupSeconds,
      upVideoMbps: mean(rows.map((row) => row.upVideoMbps)),
      downVideoMbps: mean(rows.map((row) => row.downVideoMbps)),
      cpuPercent: mean(rows.map((row) => row.cpuPercent)),
      topology: rows[0]?.topology,
    });
    previous = current;
  }
  return sampled;
}

/** Reads the process trees of `roots` (the server's and livekit-server's first) and this machine's CPU counters. */
export async function readProcesses(roots: readonly number[]): Promise<Omit<Reading, 'at'>> {
  // Taken when the reading begins, which is when /proc's CPU times are read (memory comes after).
  const treesAt = Date.now();
  const [trees, machine] = await Promise.all([measureTrees(roots), readMachineTimes()]);
  return { trees, treesAt, machine };
}

async function sleepUntil(epochMs: number): Promise<void> {
  const wait = epochMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
