import { ErrorCode } from '@talk/protocol';
import { TalkServerError } from '../errors.js';

/**
 * Counts failures per key (client address and conversation) in a sliding window and refuses further attempts
 * once there were too many, so a conversation password cannot be guessed at speed. Kept per process.
 */
export class FailureThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(
    /** Failures allowed within the window. */
    private readonly maxFailures = 5,
    /** The window, in ms. */
    private readonly windowMs = 5 * 60_000,
  ) {}

  /** Throws `rate-limited` (429) when `key` has failed too often lately. */
  check(key: string, now = Date.now()): void {
    const recent = this.#recent(key, now);
    if (recent.length >= this.maxFailures) {
      const retryIn = Math.ceil((recent[0]! + this.windowMs - now) / 1000);
      throw new TalkServerError(ErrorCode.RateLimited, `Too many failed attempts; try again in ${retryIn} s`);
    }
  }

  /** Records a failure of `key`. */
  fail(key: string, now = Date.now()): void {
    const recent = this.#recent(key, now);
    recent.push(now);
    this.#failures.set(key, recent);
  }

  #recent(key: string, now: number): number[] {
    const recent = (this.#failures.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length === 0) this.#failures.delete(key);
    return recent;
  }
}
