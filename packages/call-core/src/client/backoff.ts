/** How long to wait between reconnect attempts. */
export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. */
  initialDelayMs?: number;
  /** Longest delay between two retries, in milliseconds. */
  maxDelayMs?: number;
  /** Fraction of each delay that is randomised, so that many clients do not reconnect in lockstep. */
  jitter?: number;
}

/** Exponential backoff with jitter: attempt n waits about initial·2ⁿ, capped at max. */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const { initialDelayMs = 500, maxDelayMs = 10_000, jitter = 0.3 } = options;
  const base = Math.min(maxDelayMs, initialDelayMs * 2 ** attempt);
  return Math.round(base * (1 - jitter + jitter * 2 * random()));
}
