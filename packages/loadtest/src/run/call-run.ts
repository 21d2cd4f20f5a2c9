import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LaunchedBrowser, launchChromium, launchFirefox } from '@talk/testing';
import type { Page } from 'puppeteer-core';
import { type ClipFormat, clipFileName, writeNoiseClip } from '../media/noise-clip.js';
import { machineBusyPercent, readMachineTimes } from '../metrics/machine.js';
import { cpuPercent, measureTrees, type TreeUsage } from '../metrics/process.js';
import { mean, median, trafficBetween } from '../metrics/rates.js';
import { type ModelRates, meshModel, ratio, sfuModel } from '../model.js';
import { createTestNetwork } from '../network/namespaces.js';
import { isShaped, type NetworkShaping, shapingRefusal } from '../network/shaping.js';
import type { JoinResult, PageApi, PageSample, RequestedTopology } from '../page-api.js';
import { Cleanup } from '../stack/cleanup.js';
import { startStack } from '../stack/server.js';
import { reportSfuNodes, watchSockets } from './sfu-nodes.js';
import type { ParticipantSecond, ParticipantSummary, ProcessSummary, RunResult } from './types.js';

/** Where generated clips are kept between runs (git-ignored). */
const CACHE_DIR = fileURLToPath(new URL('../../.cache', import.meta.url));

/** The browsers a run's participants can use. */
export type BrowserName = 'chromium' | 'firefox';

/** Options of one measured call. */
export interface CallRunOptions {
  participants: number;
  topology: RequestedTopology;
  /** Seconds measured after the warm-up. */
  durationSeconds: number;
  /** Seconds after everyone receives everyone's video before measuring, while congestion control ramps up. */
  warmupSeconds: number;
  /** Per-stream video cap, kbit/s. */
  bitrateKbps: number;
  /** Size, rate and noise amplitude (1–128, full range when absent) of the clip that the fake camera plays. */
  video: { width: number; height: number; fps: number; noise?: number };
  /** Participants per browser (tabs); 1 gives each its own browser. */
  tabsPerBrowser: number;
  /** Chromium (the default) or Firefox; Firefox's fake camera plays its own pattern, not the noise clip. */
  browser?: BrowserName;
  /** Whether participants send and play audio too; false makes a video-only call. */
  audio: boolean;
  /** A running server on loopback that serves dist-page, instead of starting one. */
  url?: string;
  /** livekit-server nodes on one Redis (LiveKit's multi-node mode) for sfu and auto runs; one when unset. */
  sfuNodes?: number;
  /**
   * Shapes each participant's link, which puts each browser in a network namespace of its own, joined to a bridge
   * where the server listens. Mesh only, one participant per browser.
   */
  shaping?: NetworkShaping;
  /** Called once a second with what was measured. */
  onProgress?: (progress: CallProgress) => void;
  /** Server log file. */
  logFile?: string;
}

/** What the progress display shows. */
export interface CallProgress {
  phase: 'starting' | 'joining' | 'warm-up' | 'measuring';
  /** Seconds into the phase and its length. */
  elapsed: number;
  total: number;
  /** Means over participants this second. */
  upVideoMbps?: number;
  downVideoMbps?: number;
  cpuPercent?: number;
  topology?: string;
}

/** Hard limits, so that no run can grow or last without bound. */
export const LIMITS = { participants: 16, durationSeconds: 600, joinTimeoutMs: 90_000 } as const;

interface Participant {
  page: Page;
  browser: number;
  join?: JoinResult;
}

/**
 * Runs one call: starts the server (and livekit-server), opens n headless participants, has them join one
 * conversation's call through call-core, samples every participant each second, and stops everything again,
 * also when it fails or is interrupted.
 */
export async function runCall(options: CallRunOptions): Promise<RunResult> {
  const { participants: n, topology } = options;
  if (!Number.isInteger(n) || n < 2 || n > LIMITS.participants) {
    throw new Error(`participants must be 2–${LIMITS.participants}, got ${n}`);
  }
  if (options.durationSeconds + options.warmupSeconds > LIMITS.durationSeconds) {
    throw new Error(`a run lasts at most ${LIMITS.durationSeconds} s`);
  }
  const shaping = isShaped(options.shaping) ? options.shaping : undefined;
  const refusal = shaping && shapingRefusal(options);
  if (refusal) throw new Error(refusal);
  const cleanup = new Cleanup();
  // The whole run is bounded in time even if a browser hangs: joining, warm-up, measuring and a margin.
  const deadline = setTimeout(
    () => {
      process.stderr.write('[loadtest] run exceeded its time limit; stopping\n');
      void cleanup.run().finally(() => process.exit(124));
    },
    // Starting a browser and joining take far longer on a loaded machine; each participant gets 30 s of margin.
    LIMITS.joinTimeoutMs * 2 + (n * 30 + options.durationSeconds + options.warmupSeconds + 60) * 1000,
  );
  deadline.unref();
  try {
    options.onProgress?.({ phase: 'starting', elapsed: 0, total: 0 });
    const clip: ClipFormat = { ...options.video, seconds: 4 };
    const clipPath = await writeNoiseClip(join(CACHE_DIR, clipFileName(clip)), clip);
    // Made before the server, which listens on its bridge, and removed after it.
    const network = shaping ? await createTestNetwork(n, shaping, cleanup) : undefined;
    const stack = await startStack(
      {
        url: options.url,
        sfu: topology !== 'mesh',
        sfuNodes: options.sfuNodes,
        maxVideoBitrate: options.bitrateKbps * 1000,
        serverDecidesTopology: topology === 'auto',
        servePage: true,
        logFile: options.logFile,
        listenAddress: network?.hostAddress,
      },
      cleanup,
    );
    const browsers: LaunchedBrowser[] = [];
    const people: Participant[] = [];
    // With several nodes: which node each participant's SFU connection went to (Chromium only: DevTools protocol).
    const socketsOf: Array<() => string[]> = [];
    for (let index = 0; index < n; index += 1) {
      if (cleanup.stopping) throw new Error('interrupted');
      const browserIndex = Math.floor(index / options.tabsPerBrowser);
      if (!browsers[browserIndex]) {
        // The run's clean-up owns the signals: it must get to remove what it started.
        const launched =
          options.browser === 'firefox'
            ? await launchFirefox({ handleSignals: false })
            : await launchChromium({
                fakeVideoFile: clipPath,
                handleSignals: false,
                ...(network && {
                  // getUserMedia needs a secure context; http://localhost is one, the bridge's address is not.
                  args: [`--unsafely-treat-insecure-origin-as-secure=${stack.url}`],
                  namespace: { name: network.namespaces[browserIndex]!, ip: network.ip },
                }),
              });
        browsers[browserIndex] = launched;
        cleanup.add(`browser ${browserIndex}`, () => launched.close());
      }
      // A window each, not a tab: a background tab is hidden, presents no video, and the SFU pauses its videos.
      const page = await browsers[browserIndex]!.browser.newPage({ type: 'window' });
      // Every remote video must be on screen: the SFU's adaptive stream pauses video whose element is not visible.
      await page.setViewport(viewportFor(n - 1, options.video));
      page.on('pageerror', (error) => process.stderr.write(`[p${index}] page error: ${String(error)}\n`));
      if (stack.livekitNodes && options.browser !== 'firefox') socketsOf.push(await watchSockets(page));
      await page.goto(`${stack.url}/index.html`);
      // The page defines window.loadtest once call-core has loaded; a string, since this side has no DOM types.
      await page.waitForFunction('window.loadtest !== undefined', { timeout: 20_000 });
      people.push({ page, browser: browserIndex });
    }

    const runId = randomBytes(6).toString('hex');
    const joinStart = Date.now();
    for (const [index, person] of people.entries()) {
      options.onProgress?.({ phase: 'joining', elapsed: index, total: n });
      person.join = await person.page.evaluate(
        (request) => (globalThis as unknown as { loadtest: PageApi }).loadtest.join(request),
        {
          runId,
          userId: `p${index}`,
          topology,
          audio: options.audio,
          tile: { width: options.video.width, height: options.video.height },
        },
      );
    }
    await waitUntilEveryoneSees(people, n - 1, joinStart + LIMITS.joinTimeoutMs);
    const sfuNodes = stack.livekitNodes
      ? await reportSfuNodes(
          stack.livekitNodes,
          socketsOf.map((sockets) => sockets()),
        )
      : undefined;

    const browserPids = browsers.map((launched) => launched.browser.process()?.pid ?? -1);
    const tabsIn = browsers.map((_, b) => people.filter((person) => person.browser === b).length);
    const roots = [...browserPids, stack.serverPid ?? -1, stack.livekit?.process.pid ?? -1];
    const timeline: ParticipantSecond[] = [];
    const serverSeconds: { server: ProcessSummary; livekit: ProcessSummary }[] = [];
    const machine: number[] = [];

    let previous = await sampleAll(people);
    let [previousTrees, previousTreesAt] = await timed(measureTrees(roots));
    let previousMachine = await readMachineTimes();
    const total = options.warmupSeconds + options.durationSeconds;
    for (let second = 1; second <= total; second += 1) {
      await sleepUntil(previous[0]!.timestamp + 1000);
      const [current, [trees, treesAt], machineTimes] = await Promise.all([
        sampleAll(people),
        timed(measureTrees(roots)),
        readMachineTimes(),
      ]);
      // CPU time is divided by the time between the two /proc readings, not between page samples, which a
      // loaded machine can delay by different amounts.
      const seconds = (treesAt - previousTreesAt) / 1000;
      const t = second - options.warmupSeconds;
      const rows = people.map((person, index) => {
        const traffic = trafficBetween(previous[index]!, current[index]!);
        const tree = (list: TreeUsage[]) => list[person.browser]!;
        const tabs = tabsIn[person.browser]!;
        const model = modelFor(index, current, options.bitrateKbps / 1000);
        return {
          t,
          participant: index,
          topology: current[index]!.topology,
          peerConnections: current[index]!.peerConnections,
          ...traffic,
          cpuPercent: cpuPercent(tree(previousTrees), tree(trees), seconds) / tabs,
          memoryMiB: tree(trees).memoryMiB / tabs,
          modelUpMbps: model.upMbps,
          modelDownMbps: model.downMbps,
        } satisfies ParticipantSecond;
      });
      timeline.push(...rows);
      const serverIndex = browsers.length;
      if (t > 0) {
        serverSeconds.push({
          server: {
            cpuPercent: cpuPercent(previousTrees[serverIndex]!, trees[serverIndex]!, seconds),
            memoryMiB: trees[serverIndex]!.memoryMiB,
          },
          livekit: {
            cpuPercent: cpuPercent(previousTrees[serverIndex + 1]!, trees[serverIndex + 1]!, seconds),
            memoryMiB: trees[serverIndex + 1]!.memoryMiB,
          },
        });
        machine.push(machineBusyPercent(previousMachine, machineTimes));
      }
      options.onProgress?.({
        phase: t > 0 ? 'measuring' : 'warm-up',
        elapsed: t > 0 ? t : second,
        total: t > 0 ? options.durationSeconds : options.warmupSeconds,
        upVideoMbps: mean(rows.map((row) => row.upVideoMbps)),
        downVideoMbps: mean(rows.map((row) => row.downVideoMbps)),
        cpuPercent: mean(rows.map((row) => row.cpuPercent)),
        topology: rows[0]?.topology,
      });
      previous = current;
      previousTrees = trees;
      previousTreesAt = treesAt;
      previousMachine = machineTimes;
    }
    await Promise.all(
      people.map((person) =>
        person.page.evaluate(() => (globalThis as unknown as { loadtest: PageApi }).loadtest.leave()).catch(() => {}),
      ),
    );
    const result = summarize(options, timeline, serverSeconds, machine, stack.serverPid !== undefined, !!stack.livekit);
    return sfuNodes ? { ...result, sfuNodes } : result;
  } finally {
    clearTimeout(deadline);
    await cleanup.run();
  }
}

/** The model for one participant this second, from what the calls report they are doing. */
export function modelFor(index: number, samples: PageSample[], bitrateMbps: number): ModelRates {
  const own = samples[index]!;
  if (own.topology !== 'sfu') return meshModel(bitrateMbps, samples.length);
  // An SFU publisher without caps is held against the configured rate.
  const layers = (cap: number) => (cap > 0 ? cap / 1e6 : bitrateMbps);
  const others = samples.filter((_, other) => other !== index).map((sample) => layers(sample.topLayerCap));
  return sfuModel(layers(own.videoEncodingCap), others);
}

async function sampleAll(people: Participant[]): Promise<PageSample[]> {
  return Promise.all(
    people.map((person) =>
      person.page.evaluate(() => (globalThis as unknown as { loadtest: PageApi }).loadtest.sample()),
    ),
  );
}

async function waitUntilEveryoneSees(people: Participant[], others: number, deadline: number): Promise<void> {
  for (;;) {
    const samples = await sampleAll(people);
    const decoding = samples.map((sample) => sample.inbound.filter((s) => s.kind === 'video' && s.frames > 0).length);
    if (samples.every((sample, i) => sample.remoteParticipants >= others && decoding[i]! >= others)) return;
    if (Date.now() > deadline) {
      throw new Error(`not every participant received video from ${others} others in time: ${decoding.join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The value with the time its reading began, which is when /proc's CPU times are read (memory comes after). */
async function timed<T>(promise: Promise<T>): Promise<[T, number]> {
  const start = Date.now();
  return [await promise, start];
}

async function sleepUntil(epochMs: number): Promise<void> {
  const wait = epochMs - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** The run's result from its timeline: per-participant and overall means against the model. */
export function summarize(
  options: Omit<CallRunOptions, 'onProgress' | 'logFile'>,
  timeline: ParticipantSecond[],
  serverSeconds: { server: ProcessSummary; livekit: ProcessSummary }[],
  machine: number[],
  hasServer: boolean,
  hasLivekit: boolean,
): RunResult {
  const window = timeline.filter((row) => row.t > 0);
  const perParticipant: ParticipantSummary[] = Array.from({ length: options.participants }, (_, participant) => {
    const rows = window.filter((row) => row.participant === participant);
    const avg = (pick: (row: ParticipantSecond) => number) => mean(rows.map(pick));
    const rtts = rows.map((row) => row.rttMs).filter((rtt): rtt is number => rtt !== null);
    return {
      participant,
      upVideoMbps: avg((row) => row.upVideoMbps),
      downVideoMbps: avg((row) => row.downVideoMbps),
      upAudioMbps: avg((row) => row.upAudioMbps),
      downAudioMbps: avg((row) => row.downAudioMbps),
      modelUpMbps: avg((row) => row.modelUpMbps),
      modelDownMbps: avg((row) => row.modelDownMbps),
      cpuPercent: avg((row) => row.cpuPercent),
      memoryMiB: avg((row) => row.memoryMiB),
      framesEncodedPerSecond: avg((row) => row.framesEncodedPerSecond),
      framesDecodedPerSecond: avg((row) => row.framesDecodedPerSecond),
      freezes: rows.reduce((sum, row) => sum + row.freezes, 0),
      bandwidthLimited: avg((row) => (row.qualityLimitationReason === 'bandwidth' ? 1 : 0)),
      cpuLimited: avg((row) => (row.qualityLimitationReason === 'cpu' ? 1 : 0)),
      rttMs: rtts.length ? median(rtts) : null,
      loss: avg((row) => row.loss),
    };
  });
  const of = (pick: (p: ParticipantSummary) => number) => mean(perParticipant.map(pick));
  const meanRates = {
    upVideoMbps: of((p) => p.upVideoMbps),
    downVideoMbps: of((p) => p.downVideoMbps),
    upAudioMbps: of((p) => p.upAudioMbps),
    downAudioMbps: of((p) => p.downAudioMbps),
    modelUpMbps: of((p) => p.modelUpMbps),
    modelDownMbps: of((p) => p.modelDownMbps),
    cpuPercent: of((p) => p.cpuPercent),
    memoryMiB: of((p) => p.memoryMiB),
  };
  const uplinks = perParticipant.map((p) => p.upVideoMbps);
  const topologies = new Map<string, number>();
  for (const row of window) topologies.set(row.topology, (topologies.get(row.topology) ?? 0) + 1);
  const processMean = (pick: (s: (typeof serverSeconds)[number]) => ProcessSummary): ProcessSummary => ({
    cpuPercent: mean(serverSeconds.map((s) => pick(s).cpuPercent)),
    memoryMiB: mean(serverSeconds.map((s) => pick(s).memoryMiB)),
  });
  return {
    topology: options.topology,
    effectiveTopology: [...topologies].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'none',
    participants: options.participants,
    bitrateKbps: options.bitrateKbps,
    shaping: isShaped(options.shaping) ? options.shaping : undefined,
    durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds,
    video: options.video,
    tabsPerBrowser: options.tabsPerBrowser,
    browser: options.browser ?? 'chromium',
    audio: options.audio,
    mean: meanRates,
    ratio: {
      up: ratio(meanRates.upVideoMbps, meanRates.modelUpMbps),
      down: ratio(meanRates.downVideoMbps, meanRates.modelDownMbps),
    },
    uplinkSpread: Math.min(...uplinks) > 0 ? Math.max(...uplinks) / Math.min(...uplinks) : null,
    bandwidthLimited: mean(window.map((row) => (row.qualityLimitationReason === 'bandwidth' ? 1 : 0))),
    cpuLimited: mean(window.map((row) => (row.qualityLimitationReason === 'cpu' ? 1 : 0))),
    machineCpuPercent: mean(machine),
    server: hasServer ? processMean((s) => s.server) : undefined,
    livekit: hasLivekit ? processMean((s) => s.livekit) : undefined,
    perParticipant,
    timeline,
  };
}

/** A viewport that shows `tiles` videos of the given size at once, in a near-square grid with room for gaps. */
export function viewportFor(tiles: number, tile: { width: number; height: number }): { width: number; height: number } {
  const columns = Math.max(1, Math.ceil(Math.sqrt(tiles)));
  const rows = Math.max(1, Math.ceil(tiles / columns));
  const gap = 8;
  return { width: columns * (tile.width + gap), height: rows * (tile.height + gap) };
}
