import { randomBytes } from 'node:crypto';
import type { LaunchedBrowser } from '@talk/testing';
import type { Page } from 'puppeteer-core';
import { cpuPercent, type TreeUsage } from '../metrics/process.js';
import { mean, median, trafficBetween } from '../metrics/rates.js';
import { type ModelRates, meshModel, ratio, sfuModel } from '../model.js';
import { createTestNetwork } from '../network/namespaces.js';
import { isShaped, type NetworkShaping, shapingRefusal } from '../network/shaping.js';
import type { JoinResult, PageSample, RequestedTopology } from '../page-api.js';
import { Cleanup } from '../stack/cleanup.js';
import { startStack } from '../stack/server.js';
import {
  harnessClip,
  joinPage,
  launchParticipantBrowser,
  leavePage,
  openParticipantPage,
  samplePage,
} from './pages.js';
import {
  checkRunLength,
  LIMITS,
  type Reading,
  readProcesses,
  runDeadline,
  sampleSeconds,
  waitUntilEveryoneSees,
} from './sampling.js';
import { reportSfuNodes, watchSockets } from './sfu-nodes.js';
import type { ParticipantSecond, ParticipantSummary, ProcessSummary, RunResult } from './types.js';

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

export { LIMITS } from './sampling.js';

interface Participant {
  page: Page;
  browser: number;
  join?: JoinResult;
}

/** One second's reading of a local run: every page, and the process trees of server, livekit-server and browsers. */
interface LocalReading extends Reading {
  pages: PageSample[];
}

/**
 * Runs one call: starts the server (and livekit-server), opens n headless participants, has them join one
 * conversation's call through call-core, samples every participant each second, and stops everything again,
 * also when it fails or is interrupted.
 */
export async function runCall(options: CallRunOptions): Promise<RunResult> {
  const { participants: n, topology } = options;
  checkRunLength(options);
  const shaping = isShaped(options.shaping) ? options.shaping : undefined;
  const refusal = shaping && shapingRefusal(options);
  if (refusal) throw new Error(refusal);
  const cleanup = new Cleanup();
  const deadline = runDeadline(options, cleanup);
  try {
    options.onProgress?.({ phase: 'starting', elapsed: 0, total: 0 });
    const clipPath = await harnessClip(options.video);
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
        const launched = await launchParticipantBrowser({
          browser: options.browser,
          clipPath,
          // http://localhost is a secure context, the bridge's address is not.
          ...(network && {
            insecureOrigin: stack.url,
            namespace: { name: network.namespaces[browserIndex]!, ip: network.ip },
          }),
        });
        browsers[browserIndex] = launched;
        cleanup.add(`browser ${browserIndex}`, () => launched.close());
      }
      const page = await openParticipantPage(browsers[browserIndex]!, {
        serverUrl: stack.url,
        label: `p${index}`,
        viewport: viewportFor(n - 1, options.video),
        beforeLoad:
          stack.livekitNodes && options.browser !== 'firefox'
            ? async (opened) => void socketsOf.push(await watchSockets(opened))
            : undefined,
      });
      people.push({ page, browser: browserIndex });
    }

    const runId = randomBytes(6).toString('hex');
    const joinStart = Date.now();
    for (const [index, person] of people.entries()) {
      options.onProgress?.({ phase: 'joining', elapsed: index, total: n });
      person.join = await joinPage(person.page, {
        runId,
        userId: `p${index}`,
        topology,
        audio: options.audio,
        tile: { width: options.video.width, height: options.video.height },
      });
    }
    const sampleAll = () => Promise.all(people.map((person) => samplePage(person.page)));
    await waitUntilEveryoneSees(sampleAll, n - 1, joinStart + LIMITS.joinTimeoutMs);
    const sfuNodes = stack.livekitNodes
      ? await reportSfuNodes(
          stack.livekitNodes,
          socketsOf.map((sockets) => sockets()),
        )
      : undefined;

    const browserPids = browsers.map((launched) => launched.browser.process()?.pid ?? -1);
    const tabsIn = browsers.map((_, b) => people.filter((person) => person.browser === b).length);
    // The server's and livekit-server's trees first, as the loop reads them; then each browser's.
    const roots = [stack.serverPid ?? -1, stack.livekit?.process.pid ?? -1, ...browserPids];
    const read = async (): Promise<LocalReading> => {
      const at = Date.now();
      const [pages, processes] = await Promise.all([sampleAll(), readProcesses(roots)]);
      return { at, pages, ...processes };
    };
    const sampled = await sampleSeconds(options, read, (previous, current, t) => {
      const seconds = (current.treesAt - previous.treesAt) / 1000;
      return people.map((person, index) => {
        const tree = (list: TreeUsage[]) => list[2 + person.browser]!;
        const tabs = tabsIn[person.browser]!;
        const model = modelFor(index, current.pages, options.bitrateKbps / 1000);
        return {
          t,
          participant: index,
          topology: current.pages[index]!.topology,
          peerConnections: current.pages[index]!.peerConnections,
          ...trafficBetween(previous.pages[index]!, current.pages[index]!),
          cpuPercent: cpuPercent(tree(previous.trees), tree(current.trees), seconds) / tabs,
          memoryMiB: tree(current.trees).memoryMiB / tabs,
          modelUpMbps: model.upMbps,
          modelDownMbps: model.downMbps,
        } satisfies ParticipantSecond;
      });
    });
    await Promise.all(people.map((person) => leavePage(person.page)));
    const result = summarize(
      options,
      sampled.timeline,
      sampled.serverSeconds,
      sampled.machine,
      stack.serverPid !== undefined,
      !!stack.livekit,
    );
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
