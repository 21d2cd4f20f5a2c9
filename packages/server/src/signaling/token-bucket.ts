/**
 * A token bucket: up to `burst` actions at once, refilled at `ratePerSecond`. It limits how fast one session
 * may send, without a timer: the refill is worked out from the time of each take.
 */
export class TokenBucket {
  #tokens: number;
  #lastRefill: number;

  constructor(
    /** Tokens added per second, up to the burst. */
    readonly ratePerSecond: number,
    /** How many tokens the bucket holds when full (and starts with). */
    readonly burst: number,
    now = Date.now(),
  ) {
    this.#tokens = burst;
    this.#lastRefill = now;
  }

  /** Takes one token; false when the bucket is empty. */
  take(now = Date.now()): boolean {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#lastRefill) / 1000) * this.ratePerSecond);
    this.#lastRefill = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
