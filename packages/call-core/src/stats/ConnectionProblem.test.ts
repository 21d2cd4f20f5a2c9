import { describe, expect, it } from 'vitest';
import { ConnectionProblemDetector, type ProblemInterval } from './ConnectionProblem.js';

/** One-second intervals from t = 1 s on; each entry overrides a healthy interval (50 packets, none lost, 20 ms). */
function feed(detector: ConnectionProblemDetector, intervals: Partial<ProblemInterval>[]): boolean[] {
  return intervals.map((overrides, index) =>
    detector.update({
      timestamp: (index + 1) * 1_000,
      intervalMs: 1_000,
      packetsReceived: 50,
      packetsLost: 0,
      roundTripTime: 0.02,
      expectsMedia: true,
      steadyStream: true,
      ...overrides,
    }),
  );
}

const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);

describe('ConnectionProblemDetector (Nextcloud Talk thresholds)', () => {
  it('sees no problem on a healthy connection', () => {
    expect(feed(new ConnectionProblemDetector(), times(10, {}))).toEqual(times(10, false));
  });

  it('warns at 30 % loss over 5 s, not at 29 %, and only once 5 s are in', () => {
    const lossy = { packetsReceived: 35, packetsLost: 15 };
    expect(feed(new ConnectionProblemDetector(), times(6, lossy))).toEqual([false, false, false, false, true, true]);
    const almost = { packetsReceived: 71, packetsLost: 29 };
    expect(feed(new ConnectionProblemDetector(), times(6, almost))).toEqual(times(6, false));
  });

  it('weighs the loss over the whole window: one bad second in five is no problem', () => {
    const verdicts = feed(new ConnectionProblemDetector(), [{}, {}, {}, {}, { packetsReceived: 10, packetsLost: 40 }]);
    expect(verdicts.at(-1)).toBe(false);
  });

  it('warns below 10 packets a second, not at 10', () => {
    expect(feed(new ConnectionProblemDetector(), times(5, { packetsReceived: 9 })).at(-1)).toBe(true);
    expect(feed(new ConnectionProblemDetector(), times(5, { packetsReceived: 10 })).at(-1)).toBe(false);
  });

  it('applies the packet rate only with video: audio alone may pause in silence', () => {
    expect(feed(new ConnectionProblemDetector(), times(5, { packetsReceived: 3, steadyStream: false })).at(-1)).toBe(
      false,
    );
  });

  it('warns at once above 1.5 s round trip, not at 1.5 s', () => {
    expect(feed(new ConnectionProblemDetector(), [{ roundTripTime: 1.6 }])).toEqual([true]);
    expect(feed(new ConnectionProblemDetector(), times(6, { roundTripTime: 1.5 }))).toEqual(times(6, false));
  });

  it('says nothing of a participant with microphone and camera off, and starts over when they come on', () => {
    const detector = new ConnectionProblemDetector();
    expect(feed(detector, times(6, { packetsReceived: 0, expectsMedia: false }))).toEqual(times(6, false));
    // Back on with nothing arriving: a problem only after a whole window.
    const after = [7, 8, 9, 10, 11].map((second) =>
      detector.update({
        timestamp: second * 1_000,
        intervalMs: 1_000,
        packetsReceived: 0,
        packetsLost: 0,
        roundTripTime: undefined,
        expectsMedia: true,
        steadyStream: true,
      }),
    );
    expect(after).toEqual([false, false, false, false, true]);
  });

  it('clears the warning once the connection recovers for a window', () => {
    const bad = { packetsReceived: 5 };
    const verdicts = feed(new ConnectionProblemDetector(), [...times(5, bad), ...times(5, {})]);
    expect(verdicts.slice(4, 5)).toEqual([true]);
    expect(verdicts.at(-1)).toBe(false);
  });
});
