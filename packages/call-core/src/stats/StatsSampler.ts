import type { CallStats, InboundTrackStats } from './CallStats.js';

/** How well media from a participant arrives, from loss, round-trip time and freezes of the last interval. */
export enum ConnectionQuality {
  Excellent = 'excellent',
  Good = 'good',
  Poor = 'poor',
  /** Nothing arrived in the last interval although the participant has tracks. */
  Lost = 'lost',
  /** No statistics yet. */
  Unknown = 'unknown',
}

/** What arrived from one remote participant over the last interval. */
export interface ParticipantRates {
  /** The participant's session id. */
  sessionId: string;
  /** Video received, in bits per second. */
  videoBitrateDown: number;
  /** Audio received, in bits per second. */
  audioBitrateDown: number;
  /** Video frames decoded per second. */
  framesDecodedPerSecond: number;
  /** Video frames dropped in the interval. */
  framesDropped: number;
  /** Video freezes that began in the interval. */
  freezes: number;
  /** Packets lost in the interval, as a fraction of those expected. */
  packetLoss: number;
  /** Packets received in the interval, audio and video. */
  packetsReceived: number;
  /** Packets lost in the interval, audio and video. */
  packetsLost: number;
  /**
   * Mean audio level (0–1, as WebRTC's `audioLevel`) over the interval, from the received audio's energy: it
   * catches speech (or the fake microphone's beep) between two readings, where an instantaneous level may not.
   */
  audioLevel: number;
  /** Round-trip time to where the media comes from (the peer, or the SFU), in seconds, when known. */
  roundTripTime: number | undefined;
  /** The verdict the quality badge shows. */
  quality: ConnectionQuality;
}

/** What this browser sent of one kind over the last interval. */
export interface LocalRates {
  /** Audio or video. */
  kind: string;
  /** Sent, in bits per second, summed over peers (mesh) or simulcast layers (SFU). */
  bitrateUp: number;
  /** Video frames encoded per second, summed the same way. */
  framesEncodedPerSecond: number;
  /** Why the encoder holds back, the worst over streams: `none`, `cpu`, `bandwidth` or `other`. */
  qualityLimitationReason: string;
}

/** One interval's statistics, as `CallEvent.StatsUpdated` delivers them every second (by default). */
export interface StatsSample {
  /** The topology media flowed on. */
  topology: CallStats['topology'];
  /** When the interval ended, in milliseconds since the epoch. */
  timestamp: number;
  /** The interval's length, in milliseconds. */
  intervalMs: number;
  /** What this browser sent. */
  local: LocalRates[];
  /** What arrived from each remote participant. */
  remote: ParticipantRates[];
  /** The raw counters the rates come from, per participant and per track. */
  stats: CallStats;
}

/** Counters grow; after a switch or a new stream they start again, which counts as nothing in between. */
const delta = (next: number, previous: number | undefined) => Math.max(0, next - (previous ?? next));

const sum = (tracks: InboundTrackStats[], kind: string, field: keyof InboundTrackStats) =>
  tracks.filter((t) => t.kind === kind).reduce((total, t) => total + Number(t[field] ?? 0), 0);

/** Judges a participant's connection the way a quality badge should: loss first, then delay, then freezes. */
export function judgeQuality(
  rates: Omit<ParticipantRates, 'quality' | 'sessionId' | 'packetsReceived' | 'packetsLost'>,
  hasTracks: boolean,
): ConnectionQuality {
  if (hasTracks && rates.videoBitrateDown + rates.audioBitrateDown === 0) return ConnectionQuality.Lost;
  const rtt = rates.roundTripTime ?? 0;
  if (rates.packetLoss > 0.05 || rtt > 0.4 || rates.freezes > 0) return ConnectionQuality.Poor;
  if (rates.packetLoss > 0.01 || rtt > 0.2) return ConnectionQuality.Good;
  return ConnectionQuality.Excellent;
}

/** Turns two snapshots of counters into rates over the time between them. */
export function computeSample(previous: CallStats | undefined, next: CallStats): StatsSample {
  const intervalMs = previous ? Math.max(1, next.timestamp - previous.timestamp) : 0;
  const perSecond = (count: number) => (intervalMs ? (count * 1000) / intervalMs : 0);
  const remote = next.remote.map(({ sessionId, tracks }) => {
    const before = previous?.remote.find((p) => p.sessionId === sessionId)?.tracks ?? [];
    const had = (kind: string, field: keyof InboundTrackStats) => (previous ? sum(before, kind, field) : undefined);
    const counter = (kind: string, field: keyof InboundTrackStats) => delta(sum(tracks, kind, field), had(kind, field));
    const received = counter('video', 'packetsReceived') + counter('audio', 'packetsReceived');
    const lost = counter('video', 'packetsLost') + counter('audio', 'packetsLost');
    const audioSeconds = counter('audio', 'totalSamplesDuration');
    const rtts = tracks.map((t) => t.roundTripTime).filter((rtt): rtt is number => rtt !== undefined);
    const rates = {
      videoBitrateDown: perSecond(counter('video', 'bytesReceived') * 8),
      audioBitrateDown: perSecond(counter('audio', 'bytesReceived') * 8),
      framesDecodedPerSecond: perSecond(counter('video', 'framesDecoded')),
      framesDropped: counter('video', 'framesDropped'),
      freezes: counter('video', 'freezeCount'),
      packetLoss: received + lost > 0 ? lost / (received + lost) : 0,
      packetsReceived: received,
      packetsLost: lost,
      audioLevel: audioSeconds > 0 ? Math.sqrt(counter('audio', 'totalAudioEnergy') / audioSeconds) : 0,
      roundTripTime: rtts.length ? Math.max(...rtts) : undefined,
    };
    const quality = previous ? judgeQuality(rates, tracks.length > 0) : ConnectionQuality.Unknown;
    return { sessionId, ...rates, quality };
  });
  const local = next.local.map((stats) => {
    const before = previous?.local.find((l) => l.kind === stats.kind);
    return {
      kind: stats.kind,
      bitrateUp: perSecond(delta(stats.bytesSent, before?.bytesSent) * 8),
      framesEncodedPerSecond: perSecond(delta(stats.framesEncoded, before?.framesEncoded)),
      qualityLimitationReason: stats.qualityLimitationReason,
    };
  });
  return { topology: next.topology, timestamp: next.timestamp, intervalMs, local, remote, stats: next };
}
