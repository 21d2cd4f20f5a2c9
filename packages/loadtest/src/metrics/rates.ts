import type { InboundCounters, OutboundCounters, PageSample, RtpCounters } from '../page-api.js';

/** One participant's traffic over one interval between two page samples. */
export interface TrafficRates {
  /** Video payload sent, Mbit/s. */
  upVideoMbps: number;
  /** Audio payload sent, Mbit/s. */
  upAudioMbps: number;
  /** Video payload received, Mbit/s. */
  downVideoMbps: number;
  /** Audio payload received, Mbit/s. */
  downAudioMbps: number;
  /** Video frames encoded per second, over every outbound stream. */
  framesEncodedPerSecond: number;
  /** Video frames decoded per second, over every inbound stream. */
  framesDecodedPerSecond: number;
  /** Video freezes that began in the interval. */
  freezes: number;
  /** Packets lost over packets expected in the interval, inbound, 0–1. */
  loss: number;
  /** The worst quality limitation among the outbound video streams at the end of the interval. */
  qualityLimitationReason: string;
  /** Median round-trip time of the connected candidate pairs, ms, or null. */
  rttMs: number | null;
  /** The smallest height of the outbound videos' frames at the end of the interval, px, or null before any. */
  sentFrameHeight: number | null;
}

// Worst first: a stream held back by the network says more about the topology than one held back by the CPU.
const LIMITATION_ORDER = ['bandwidth', 'cpu', 'other', 'none'];

/**
 * The rates between two samples of one page. Each stream's change is divided by the time between its own two
 * readings (the RTCStats timestamps), not between the page samples: on a loaded machine one page's getStats can
 * return late, and a rate over the wrong interval would be off by as much. Streams are matched by id, so a peer
 * connection that appears or closes between the samples adds nothing instead of a jump.
 */
export function trafficBetween(before: PageSample, after: PageSample): TrafficRates {
  if (after.timestamp <= before.timestamp) throw new Error('samples must be in time order');
  const outRates = perSecond(before.outbound, after.outbound);
  const inRates = perSecond(before.inbound, after.inbound);
  const mbps = (list: StreamRate<RtpCounters>[], kind: string) =>
    (list.filter((entry) => entry.now.kind === kind).reduce((total, entry) => total + entry.bytes, 0) * 8) / 1e6;
  const frames = (list: StreamRate<RtpCounters>[]) =>
    list.filter((entry) => entry.now.kind === 'video').reduce((total, entry) => total + entry.frames, 0);
  const lost = inRates.reduce((total, entry) => total + Math.max(0, entry.now.packetsLost - entry.then.packetsLost), 0);
  const received = inRates.reduce((total, entry) => total + Math.max(0, entry.now.packets - entry.then.packets), 0);
  const reasons = after.outbound
    .filter((stream) => stream.kind === 'video' && stream.qualityLimitationReason)
    .map((stream) => stream.qualityLimitationReason!);
  // Bandwidth limits show as a smaller picture: the encoder scales down before it gives up frames.
  const heights = after.outbound
    .filter((stream) => stream.kind === 'video' && stream.frameHeight)
    .map((stream) => stream.frameHeight!);
  return {
    upVideoMbps: mbps(outRates, 'video'),
    upAudioMbps: mbps(outRates, 'audio'),
    downVideoMbps: mbps(inRates, 'video'),
    downAudioMbps: mbps(inRates, 'audio'),
    framesEncodedPerSecond: frames(outRates),
    framesDecodedPerSecond: frames(inRates),
    freezes: inRates.reduce((total, entry) => total + Math.max(0, entry.now.freezeCount - entry.then.freezeCount), 0),
    loss: lost + received > 0 ? lost / (lost + received) : 0,
    qualityLimitationReason: LIMITATION_ORDER.find((reason) => reasons.includes(reason)) ?? 'none',
    rttMs: after.rtt.length > 0 ? median(after.rtt) * 1000 : null,
    sentFrameHeight: heights.length > 0 ? Math.min(...heights) : null,
  };
}

/** One stream's bytes and frames per second between two readings. */
interface StreamRate<T> {
  now: T;
  then: T;
  bytes: number;
  frames: number;
}

function perSecond<T extends OutboundCounters | InboundCounters>(
  before: readonly T[],
  after: readonly T[],
): StreamRate<T>[] {
  const earlier = new Map(before.map((stream) => [stream.id, stream]));
  return after.flatMap((now) => {
    const then = earlier.get(now.id);
    const seconds = then ? (now.timestamp - then.timestamp) / 1000 : 0;
    // Counters only grow; a smaller one is a restarted stream, whose interval is unknown.
    if (!then || seconds <= 0 || now.bytes < then.bytes) return [];
    return [{ now, then, bytes: (now.bytes - then.bytes) / seconds, frames: (now.frames - then.frames) / seconds }];
  });
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The arithmetic mean, or 0 for an empty list. */
export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 0;
}
