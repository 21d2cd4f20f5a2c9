import type { NetworkShaping } from '../network/shaping.js';
import type { RequestedTopology } from '../page-api.js';
import type { SfuNodesReport } from './sfu-nodes.js';

/** One participant over one second. */
export interface ParticipantSecond {
  /** Seconds since measuring began (negative during the warm-up). */
  t: number;
  /** The participant's index, 0-based. */
  participant: number;
  /** The harness agent whose host ran it, in a run spread over agents (`--agents`); absent in a local run. */
  agent?: string;
  /** The topology its call reports. */
  topology: string;
  /** Peer connections open in its page; more than n − 1 in a mesh means duplicate negotiation. */
  peerConnections: number;
  /** Video and audio payload, Mbit/s. */
  upVideoMbps: number;
  upAudioMbps: number;
  downVideoMbps: number;
  downAudioMbps: number;
  /** Frames per second encoded over every outbound video stream, and decoded over every inbound one. */
  framesEncodedPerSecond: number;
  framesDecodedPerSecond: number;
  /** Freezes that began this second. */
  freezes: number;
  /** The worst quality limitation of its outbound video. */
  qualityLimitationReason: string;
  /** Median RTT of its connections, ms. */
  rttMs: number | null;
  /** The smallest height of its outbound video, px (smaller than the source once it scales down). */
  sentFrameHeight: number | null;
  /** Inbound packet loss, 0–1. */
  loss: number;
  /** Its share of its browser's CPU, % of one core. */
  cpuPercent: number;
  /** Its share of its browser's memory (PSS), MiB. */
  memoryMiB: number;
  /** What the model expects of it this second. */
  modelUpMbps: number;
  modelDownMbps: number;
}

/** The averages of one participant over the measured window. */
export interface ParticipantSummary {
  participant: number;
  /** The harness agent whose host ran it; absent in a local run. */
  agent?: string;
  upVideoMbps: number;
  downVideoMbps: number;
  upAudioMbps: number;
  downAudioMbps: number;
  modelUpMbps: number;
  modelDownMbps: number;
  cpuPercent: number;
  memoryMiB: number;
  framesEncodedPerSecond: number;
  framesDecodedPerSecond: number;
  freezes: number;
  /** Share of seconds whose outbound video was limited by bandwidth, and by CPU. */
  bandwidthLimited: number;
  cpuLimited: number;
  rttMs: number | null;
  loss: number;
}

/** CPU and memory of a server process over the measured window. */
export interface ProcessSummary {
  cpuPercent: number;
  memoryMiB: number;
}

/** The outcome of one call of n participants in one topology. */
export interface RunResult {
  /** What was asked for. */
  topology: RequestedTopology;
  /** With several livekit-server nodes: where the participants connected, and the rooms each node listed. */
  sfuNodes?: SfuNodesReport;
  /** What the calls reported over the measured window (the most frequent). */
  effectiveTopology: string;
  participants: number;
  /** Per-stream video cap, kbit/s. */
  bitrateKbps: number;
  /** How each participant's link was shaped (its upload cap, delay, loss); absent when it was not. */
  shaping?: NetworkShaping;
  /** Seconds measured, after the warm-up. */
  durationSeconds: number;
  warmupSeconds: number;
  /** The fake camera's clip: size, rate, and its noise amplitude when not the full range. */
  video: { width: number; height: number; fps: number; noise?: number };
  /** Participants per browser. */
  tabsPerBrowser: number;
  /** The participants' browser; absent in runs made before the harness could use Firefox (Chromium). */
  browser?: 'chromium' | 'firefox';
  /** False for a video-only call; absent in runs made before the harness could leave audio out. */
  audio?: boolean;
  /** Means over participants of their means. */
  mean: {
    upVideoMbps: number;
    downVideoMbps: number;
    upAudioMbps: number;
    downAudioMbps: number;
    modelUpMbps: number;
    modelDownMbps: number;
    cpuPercent: number;
    memoryMiB: number;
  };
  /** measured / model of the means. */
  ratio: { up: number | null; down: number | null };
  /** Largest over smallest per-participant uplink. */
  uplinkSpread: number | null;
  /** Share of participant-seconds whose outbound video was limited by bandwidth. */
  bandwidthLimited: number;
  /** Share of participant-seconds whose outbound video was limited by CPU. */
  cpuLimited: number;
  /** The whole machine's CPU use, % of all cores, over the window. */
  machineCpuPercent: number;
  server?: ProcessSummary;
  livekit?: ProcessSummary;
  /** The harness agents a run spread over (`--agents`), each with its share; absent in a local run. */
  agents?: AgentShare[];
  perParticipant: ParticipantSummary[];
  /** Every participant-second, warm-up included. */
  timeline: ParticipantSecond[];
}

/** One harness agent's share of a run. */
export interface AgentShare {
  /** Its name (its address unless it was given one). */
  agent: string;
  /** The indices of the participants it ran. */
  participants: number[];
  /** What the agent said of its host's link (e.g. its shaping), if anything. */
  network?: string;
  /** Its machine's CPU use, % of all its cores, over the measured window. */
  machineCpuPercent: number;
}

/**
 * How a run differs from a normal local Chromium call, for labels: `Firefox`, `video only`, `2 agents`, some of
 * them, or nothing.
 */
export function mediaLabel(run: Pick<RunResult, 'audio' | 'browser' | 'agents'>): string {
  return [
    run.browser === 'firefox' ? 'Firefox' : '',
    run.audio === false ? 'video only' : '',
    run.agents?.length ? `${run.agents.length} agents` : '',
  ]
    .filter(Boolean)
    .join(', ');
}
