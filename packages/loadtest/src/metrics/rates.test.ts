import { describe, expect, it } from 'vitest';
import type { PageSample } from '../page-api.js';
import { trafficBetween } from './rates.js';

function sample(timestamp: number, videoBytes: number, extra: Partial<PageSample> = {}): PageSample {
  return {
    timestamp,
    topology: 'mesh',
    remoteParticipants: 1,
    peerConnections: 1,
    outbound: [
      {
        id: '0/v',
        kind: 'video',
        timestamp,
        bytes: videoBytes,
        packets: 0,
        frames: 0,
        qualityLimitationReason: 'none',
      },
      { id: '0/a', kind: 'audio', timestamp, bytes: videoBytes / 40, packets: 0, frames: 0 },
    ],
    inbound: [
      {
        id: '0/in',
        kind: 'video',
        timestamp,
        bytes: videoBytes,
        packets: 100,
        frames: 15,
        packetsLost: 0,
        freezeCount: 0,
      },
    ],
    rtt: [0.002],
    videoEncodingCap: 1e6,
    topLayerCap: 1e6,
    ...extra,
  };
}

describe('rates between two page samples', () => {
  it('turns byte counters into Mbit/s per kind over the real interval', () => {
    const rates = trafficBetween(sample(0, 0), sample(2000, 250_000));
    expect(rates.upVideoMbps).toBeCloseTo(1);
    expect(rates.upAudioMbps).toBeCloseTo(0.025);
    expect(rates.downVideoMbps).toBeCloseTo(1);
    expect(rates.rttMs).toBeCloseTo(2);
  });

  it('ignores a stream that appears between the samples instead of counting its whole history', () => {
    const later = sample(1000, 125_000);
    later.outbound.push({ id: '1/v', kind: 'video', timestamp: 1000, bytes: 9_000_000, packets: 0, frames: 0 });
    expect(trafficBetween(sample(0, 0), later).upVideoMbps).toBeCloseTo(1);
  });

  it('reports bandwidth as the limitation when any outbound video stream is held back by it', () => {
    const later = sample(1000, 125_000);
    later.outbound.push({
      id: '1/v',
      kind: 'video',
      timestamp: 1000,
      bytes: 0,
      packets: 0,
      frames: 0,
      qualityLimitationReason: 'bandwidth',
    });
    expect(trafficBetween(sample(0, 0), later).qualityLimitationReason).toBe('bandwidth');
  });

  it('reports the smallest picture any outbound video sends, and none before the first frame', () => {
    const later = sample(1000, 125_000);
    expect(trafficBetween(sample(0, 0), later).sentFrameHeight).toBeNull();
    later.outbound[0]!.frameHeight = 480;
    later.outbound.push({
      id: '1/v',
      kind: 'video',
      timestamp: 1000,
      bytes: 0,
      packets: 0,
      frames: 0,
      frameHeight: 360,
    });
    expect(trafficBetween(sample(0, 0), later).sentFrameHeight).toBe(360);
  });

  it('divides by the time between a stream’s own readings when the page answered late', () => {
    // The page's sample came back 900 ms late last time; the stream itself was read one second apart.
    const before = sample(0, 0);
    before.timestamp = 900;
    const after = sample(1000, 125_000);
    after.timestamp = 1010;
    expect(trafficBetween(before, after).upVideoMbps).toBeCloseTo(1);
  });

  it('computes inbound loss from the packets lost and received in the interval', () => {
    const before = sample(0, 0);
    const after = sample(1000, 1000);
    after.inbound[0] = { ...after.inbound[0]!, packets: 190, packetsLost: 10 };
    expect(trafficBetween(before, after).loss).toBeCloseTo(10 / 100);
  });
});
