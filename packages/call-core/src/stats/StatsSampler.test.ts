import { describe, expect, it } from 'vitest';
import { TrackKind } from '../call/track.js';
import type { CallStats, InboundTrackStats } from './CallStats.js';
import { ConnectionQuality, computeSample } from './StatsSampler.js';

const inbound = (kind: TrackKind, fields: Partial<InboundTrackStats>): InboundTrackStats => ({
  kind,
  bytesReceived: 0,
  packetsReceived: 0,
  packetsLost: 0,
  framesDecoded: 0,
  frameWidth: 0,
  frameHeight: 0,
  framesDropped: 0,
  freezeCount: 0,
  totalFreezesDuration: 0,
  totalAudioEnergy: 0,
  totalSamplesDuration: 0,
  ...fields,
});

const snapshot = (timestamp: number, video: Partial<InboundTrackStats>, bytesSent: number): CallStats => ({
  topology: 'mesh',
  timestamp,
  local: [
    {
      kind: TrackKind.Video,
      bytesSent,
      packetsSent: 0,
      framesEncoded: timestamp / 100,
      frameWidth: 320,
      frameHeight: 240,
      qualityLimitationReason: 'cpu',
    },
  ],
  remote: [{ sessionId: 'bob', tracks: [inbound(TrackKind.Video, video)] }],
});

describe('per-second statistics', () => {
  it('turns counters into bitrates, frame rates and loss over the interval', () => {
    const first = snapshot(1_000, { bytesReceived: 1_000, packetsReceived: 100, framesDecoded: 10 }, 500);
    const second = snapshot(
      3_000,
      { bytesReceived: 251_000, packetsReceived: 190, packetsLost: 10, framesDecoded: 70, roundTripTime: 0.03 },
      250_500,
    );
    const sample = computeSample(first, second);
    expect(sample.intervalMs).toBe(2_000);
    expect(sample.remote[0]).toMatchObject({
      sessionId: 'bob',
      videoBitrateDown: 1_000_000,
      framesDecodedPerSecond: 30,
      packetLoss: 0.1,
      roundTripTime: 0.03,
      quality: ConnectionQuality.Poor,
    });
    expect(sample.local[0]).toMatchObject({ bitrateUp: 1_000_000, qualityLimitationReason: 'cpu' });
  });

  it('calls a participant lost when nothing arrived, and unknown before a second reading', () => {
    const first = snapshot(1_000, { bytesReceived: 5_000, packetsReceived: 50 }, 0);
    expect(computeSample(undefined, first).remote[0]?.quality).toBe(ConnectionQuality.Unknown);
    const stalled = snapshot(2_000, { bytesReceived: 5_000, packetsReceived: 50 }, 0);
    expect(computeSample(first, stalled).remote[0]?.quality).toBe(ConnectionQuality.Lost);
    const fine = snapshot(3_000, { bytesReceived: 50_000, packetsReceived: 150 }, 0);
    expect(computeSample(stalled, fine).remote[0]?.quality).toBe(ConnectionQuality.Excellent);
  });

  it('gives the mean audio level over the interval, so a short beep between readings still counts', () => {
    const audio = (timestamp: number, fields: Partial<InboundTrackStats>): CallStats => ({
      topology: 'sfu',
      timestamp,
      local: [],
      remote: [{ sessionId: 'bob', tracks: [inbound(TrackKind.Audio, fields)] }],
    });
    // A tenth of a second at level 0.4 in a second of silence: energy 0.4² × 0.1.
    const first = audio(1_000, { totalAudioEnergy: 0.5, totalSamplesDuration: 10 });
    const second = audio(2_000, { totalAudioEnergy: 0.5 + 0.016, totalSamplesDuration: 11 });
    expect(computeSample(first, second).remote[0]?.audioLevel).toBeCloseTo(Math.sqrt(0.016), 6);
    expect(
      computeSample(second, audio(3_000, { totalAudioEnergy: 0.516, totalSamplesDuration: 12 })).remote[0]?.audioLevel,
    ).toBe(0);
  });

  it('does not count a counter that started again (a new stream after a switch) as negative', () => {
    const before = snapshot(1_000, { bytesReceived: 900_000, packetsReceived: 900 }, 0);
    const after = snapshot(2_000, { bytesReceived: 10_000, packetsReceived: 20 }, 0);
    expect(computeSample(before, after).remote[0]?.videoBitrateDown).toBe(0);
  });
});
