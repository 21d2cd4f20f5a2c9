import type { TrackKind } from '../call/track.js';

/** What this browser receives of one remote track. */
export interface InboundTrackStats {
  /** Audio or video. */
  kind: TrackKind;
  /** Payload and header bytes received so far. */
  bytesReceived: number;
  /** RTP packets received so far. */
  packetsReceived: number;
  /** RTP packets lost so far. */
  packetsLost: number;
  /** Video frames decoded so far; 0 for audio. */
  framesDecoded: number;
  /** Width of the last decoded frame; 0 for audio or before the first frame. */
  frameWidth: number;
  /** Height of the last decoded frame; 0 for audio or before the first frame. */
  frameHeight: number;
  /** Video frames dropped before or after decoding so far; 0 for audio. */
  framesDropped: number;
  /** Video freezes so far, as WebRTC counts them; 0 for audio. */
  freezeCount: number;
  /** Seconds spent frozen so far; 0 for audio. */
  totalFreezesDuration: number;
  /** Sum of squared audio levels times their duration so far, as WebRTC counts it; 0 for video. */
  totalAudioEnergy: number;
  /** Seconds of audio received so far; with `totalAudioEnergy` it gives the mean level over an interval. */
  totalSamplesDuration: number;
  /** Round-trip time of the connection carrying this stream, in seconds, when known. */
  roundTripTime?: number;
}

/** What this browser sends of one local track, summed over peers (mesh) or simulcast layers (SFU). */
export interface OutboundTrackStats {
  /** Audio or video. */
  kind: TrackKind;
  /** Payload and header bytes sent so far. */
  bytesSent: number;
  /** RTP packets sent so far. */
  packetsSent: number;
  /** Video frames encoded so far; 0 for audio. */
  framesEncoded: number;
  /** Largest frame width being sent. */
  frameWidth: number;
  /** Largest frame height being sent. */
  frameHeight: number;
  /** Why the encoder sends less than it could (`cpu`, `bandwidth`, `other`), the worst over streams; `none` if not. */
  qualityLimitationReason: string;
}

/** Statistics of one remote participant. */
export interface RemoteParticipantStats {
  /** The participant's session id. */
  sessionId: string;
  /** One entry per received track. */
  tracks: InboundTrackStats[];
}

/** A snapshot of a call's RTP statistics, as `Call.getStats()` answers. */
export interface CallStats {
  /** The topology the call runs on. */
  topology: 'mesh' | 'sfu';
  /** When the snapshot was taken, in milliseconds since the epoch. */
  timestamp: number;
  /** One entry per kind of local track being sent. */
  local: OutboundTrackStats[];
  /** One entry per remote participant with at least one track. */
  remote: RemoteParticipantStats[];
}

// RTCStats entries are dictionaries whose fields depend on `type`; this is the subset read here.
interface RtpStats {
  type: string;
  kind?: string;
  bytesReceived?: number;
  bytesSent?: number;
  packetsReceived?: number;
  packetsSent?: number;
  packetsLost?: number;
  framesDecoded?: number;
  framesEncoded?: number;
  frameWidth?: number;
  frameHeight?: number;
  framesDropped?: number;
  freezeCount?: number;
  totalFreezesDuration?: number;
  totalAudioEnergy?: number;
  totalSamplesDuration?: number;
  qualityLimitationReason?: string;
  state?: string;
  nominated?: boolean;
  currentRoundTripTime?: number;
}

function entries(report: RTCStatsReport | undefined): RtpStats[] {
  const list: RtpStats[] = [];
  report?.forEach((value: RtpStats) => {
    list.push(value);
  });
  return list;
}

/** The round-trip time of a report's connection: its nominated, succeeded candidate pair. */
function roundTripTime(list: RtpStats[]): number | undefined {
  return list.find((stats) => stats.type === 'candidate-pair' && stats.state === 'succeeded' && stats.nominated)
    ?.currentRoundTripTime;
}

/** Reads the inbound RTP streams of a report, one entry per stream. */
export function readInbound(report: RTCStatsReport | undefined): InboundTrackStats[] {
  const list = entries(report);
  const rtt = roundTripTime(list);
  return list
    .filter((stats) => stats.type === 'inbound-rtp')
    .map((stats) => ({
      kind: stats.kind as TrackKind,
      bytesReceived: stats.bytesReceived ?? 0,
      packetsReceived: stats.packetsReceived ?? 0,
      packetsLost: stats.packetsLost ?? 0,
      framesDecoded: stats.framesDecoded ?? 0,
      frameWidth: stats.frameWidth ?? 0,
      frameHeight: stats.frameHeight ?? 0,
      framesDropped: stats.framesDropped ?? 0,
      freezeCount: stats.freezeCount ?? 0,
      totalFreezesDuration: stats.totalFreezesDuration ?? 0,
      totalAudioEnergy: stats.totalAudioEnergy ?? 0,
      totalSamplesDuration: stats.totalSamplesDuration ?? 0,
      ...(rtt === undefined ? {} : { roundTripTime: rtt }),
    }));
}

// Worst first: a stream held back by the network says more than one held back by the CPU.
const LIMITATIONS = ['bandwidth', 'cpu', 'other', 'none'];

/** Reads the outbound RTP streams of some reports and sums them per kind. */
export function readOutbound(reports: readonly (RTCStatsReport | undefined)[]): OutboundTrackStats[] {
  const byKind = new Map<string, OutboundTrackStats>();
  for (const stats of reports.flatMap(entries)) {
    if (stats.type !== 'outbound-rtp' || !stats.kind) continue;
    const sum = byKind.get(stats.kind) ?? {
      kind: stats.kind as TrackKind,
      bytesSent: 0,
      packetsSent: 0,
      framesEncoded: 0,
      frameWidth: 0,
      frameHeight: 0,
      qualityLimitationReason: 'none',
    };
    const reason = stats.qualityLimitationReason ?? 'none';
    if (LIMITATIONS.indexOf(reason) < LIMITATIONS.indexOf(sum.qualityLimitationReason)) {
      sum.qualityLimitationReason = reason;
    }
    sum.bytesSent += stats.bytesSent ?? 0;
    sum.packetsSent += stats.packetsSent ?? 0;
    sum.framesEncoded += stats.framesEncoded ?? 0;
    sum.frameWidth = Math.max(sum.frameWidth, stats.frameWidth ?? 0);
    sum.frameHeight = Math.max(sum.frameHeight, stats.frameHeight ?? 0);
    byKind.set(stats.kind, sum);
  }
  return [...byKind.values()];
}
