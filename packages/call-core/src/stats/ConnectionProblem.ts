/**
 * Nextcloud Talk's thresholds for telling a participant "there is a problem with the connection" (its
 * PeerConnectionAnalyzer): over the last few seconds, much of what was sent got lost, almost nothing arrives, or
 * the round trip takes too long for a conversation.
 */
export interface ConnectionProblemThresholds {
  /** How far back the verdict looks, in milliseconds. */
  windowMs: number;
  /** Packets lost, as a fraction of those expected over the window, from which it is a problem. */
  maxLoss: number;
  /** Packets received per second over the window below which it is a problem. */
  minPacketsPerSecond: number;
  /** Round-trip time, in seconds, above which it is a problem. */
  maxRoundTripTime: number;
}

/** Talk's values: 30 % loss over 5 s, fewer than 10 packets a second, more than 1.5 s round trip. */
export const DEFAULT_CONNECTION_PROBLEM_THRESHOLDS: ConnectionProblemThresholds = {
  windowMs: 5_000,
  maxLoss: 0.3,
  minPacketsPerSecond: 10,
  maxRoundTripTime: 1.5,
};

/** One stats interval of one participant, as the detector reads it. */
export interface ProblemInterval {
  /** When the interval ended, in milliseconds. */
  timestamp: number;
  /** The interval's length, in milliseconds. */
  intervalMs: number;
  /** Packets received in the interval, audio and video. */
  packetsReceived: number;
  /** Packets lost in the interval, audio and video. */
  packetsLost: number;
  /** Round-trip time, in seconds, when known. */
  roundTripTime: number | undefined;
  /**
   * Whether the participant announced media that should arrive (microphone or camera on). A participant with
   * both off sends next to nothing, which is no connection problem.
   */
  expectsMedia: boolean;
  /**
   * Whether a camera or screen is announced: video flows at a steady rate, while audio alone may pause in silence
   * (Opus DTX, which LiveKit turns on), so the packet-rate rule applies only with video.
   */
  steadyStream: boolean;
}

/**
 * Watches one remote participant's intervals and says whether its connection has a problem. It judges only once
 * a whole window of intervals is in, so that the first second of a call (or of a switch) warns of nothing.
 */
export class ConnectionProblemDetector {
  readonly #thresholds: ConnectionProblemThresholds;
  #intervals: ProblemInterval[] = [];

  constructor(thresholds: Partial<ConnectionProblemThresholds> = {}) {
    this.#thresholds = { ...DEFAULT_CONNECTION_PROBLEM_THRESHOLDS, ...thresholds };
  }

  /** Adds an interval and answers the verdict over the window that ends with it. */
  update(interval: ProblemInterval): boolean {
    const { windowMs, maxLoss, minPacketsPerSecond, maxRoundTripTime } = this.#thresholds;
    // A participant who switched media off starts a fresh window when it comes back on.
    if (!interval.expectsMedia) {
      this.#intervals = [];
      return false;
    }
    this.#intervals.push(interval);
    const start = interval.timestamp - windowMs;
    this.#intervals = this.#intervals.filter((i) => i.timestamp - i.intervalMs >= start - 1);
    const covered = this.#intervals.reduce((total, i) => total + i.intervalMs, 0);
    if (interval.roundTripTime !== undefined && interval.roundTripTime > maxRoundTripTime) return true;
    // A window not yet full would judge the call's first second by itself.
    if (covered < windowMs * 0.9) return false;
    const received = this.#intervals.reduce((total, i) => total + i.packetsReceived, 0);
    const lost = this.#intervals.reduce((total, i) => total + i.packetsLost, 0);
    if (received + lost > 0 && lost / (received + lost) >= maxLoss) return true;
    return interval.steadyStream && (received * 1000) / covered < minPacketsPerSecond;
  }

  /** Forgets the intervals, e.g. after a topology switch. */
  reset(): void {
    this.#intervals = [];
  }
}
