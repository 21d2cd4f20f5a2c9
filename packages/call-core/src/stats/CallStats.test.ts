import { describe, expect, it } from 'vitest';
import { readInbound, readOutbound } from './CallStats.js';

const report = (...entries: object[]) =>
  new Map(entries.map((entry, i) => [`s${i}`, entry])) as unknown as RTCStatsReport;

describe('stats readers', () => {
  it('reads inbound video and audio and ignores other entries', () => {
    const stats = readInbound(
      report(
        {
          type: 'inbound-rtp',
          kind: 'video',
          bytesReceived: 900,
          framesDecoded: 30,
          frameWidth: 640,
          frameHeight: 480,
        },
        { type: 'inbound-rtp', kind: 'audio', bytesReceived: 100 },
        {
          type: 'candidate-pair',
          bytesReceived: 5000,
          state: 'succeeded',
          nominated: true,
          currentRoundTripTime: 0.02,
        },
      ),
    );
    expect(stats).toEqual([
      expect.objectContaining({
        kind: 'video',
        bytesReceived: 900,
        framesDecoded: 30,
        frameWidth: 640,
        roundTripTime: 0.02,
      }),
      expect.objectContaining({ kind: 'audio', bytesReceived: 100, framesDecoded: 0, frameWidth: 0 }),
    ]);
  });

  it('sums outbound streams per kind across peers and simulcast layers', () => {
    const stats = readOutbound([
      report(
        {
          type: 'outbound-rtp',
          kind: 'video',
          bytesSent: 10,
          framesEncoded: 3,
          frameWidth: 320,
          frameHeight: 180,
          qualityLimitationReason: 'cpu',
        },
        {
          type: 'outbound-rtp',
          kind: 'video',
          bytesSent: 30,
          framesEncoded: 3,
          frameWidth: 1280,
          frameHeight: 720,
          qualityLimitationReason: 'bandwidth',
        },
      ),
      report({ type: 'outbound-rtp', kind: 'audio', bytesSent: 7, packetsSent: 2 }),
      undefined,
    ]);
    expect(stats).toEqual([
      {
        kind: 'video',
        bytesSent: 40,
        packetsSent: 0,
        framesEncoded: 6,
        frameWidth: 1280,
        frameHeight: 720,
        qualityLimitationReason: 'bandwidth',
      },
      {
        kind: 'audio',
        bytesSent: 7,
        packetsSent: 2,
        framesEncoded: 0,
        frameWidth: 0,
        frameHeight: 0,
        qualityLimitationReason: 'none',
      },
    ]);
  });
});
