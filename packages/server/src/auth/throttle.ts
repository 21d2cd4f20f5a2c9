import { ErrorCode } from '@talk/protocol';
import { TalkServerError } from '../errors.js';

/** One count an attempt is made under: a key (e.g. a client address) and how many attempts it may have per window. */
export interface ThrottleKey {
  /** What is counted, e.g. `client|198.51.100.7`. */
  key: string;
  /** Attempts allowed within the window, those still being checked included. */
  max: number;
}

/** How long an attempt counts, in ms: long enough that guessing stays slow, short enough that a typo is forgiven. */
export const THROTTLE_WINDOW_MS = 5 * 60_000;

/** An attempt that passed the throttle and is being checked. */
export interface Attempt {
  /** The attempt was right: it no longer counts against anyone. A failed attempt simply stays counted. */
  succeeded(): void;
}

/**
 * Where password attempts are counted: {@link InMemoryThrottle} for one instance, `RedisThrottle` when instances
 * share a Redis, so that guesses spread over the instances behind a balancer meet one count.
 */
export interface Throttle {
  /**
   * Records an attempt under every key, or rejects with `rate-limited` (429), recording nothing, when any key has
   * had its fill within the window.
   */
  begin(keys: readonly ThrottleKey[]): Promise<Attempt>;
}

/** The {@link Throttle} of a single instance: an {@link AttemptThrottle} in this process. */
export class InMemoryThrottle implements Throttle {
  readonly #throttle: AttemptThrottle;

  constructor(windowMs?: number) {
    this.#throttle = new AttemptThrottle(windowMs);
  }

  /** Records an attempt or rejects; see {@link AttemptThrottle.begin}. */
  async begin(keys: readonly ThrottleKey[]): Promise<Attempt> {
    return this.#throttle.begin(keys);
  }
}

/**
 * Counts attempts per key in a sliding window and refuses more once a key has had its fill, so that a
 * conversation password cannot be guessed at speed. An attempt counts from the moment it passes, before the slow
 * hash that checks it: N guesses fired in parallel are N attempts at once, not N that each saw zero failures. A
 * right one is forgotten when it succeeds. Entries expire with the window. Kept per process (`RedisThrottle`
 * keeps the same count across instances).
 */
export class AttemptThrottle {
  /** Key → when each attempt still counted under it began, oldest first. */
  readonly #attempts = new Map<string, number[]>();
  #sweptAt = 0;

  constructor(
    /** The window, in ms. */
    private readonly windowMs = THROTTLE_WINDOW_MS,
  ) {}

  /**
   * Records an attempt under every key, or throws `rate-limited` (429), recording nothing, when any key has
   * had its fill within the window.
   */
  begin(keys: readonly ThrottleKey[], now = Date.now()): Attempt {
    this.#sweep(now);
    for (const { key, max } of keys) {
      const recent = this.#recent(key, now);
      if (recent.length >= max) {
        const retryIn = Math.max(1, Math.ceil((recent[recent.length - max]! + this.windowMs - now) / 1000));
        throw new TalkServerError(ErrorCode.RateLimited, `Too many failed attempts; try again in ${retryIn} s`, {
          retryAfter: retryIn,
        });
      }
    }
    // Nothing awaited between the check and the record: no other attempt can pass in between.
    for (const { key } of keys) this.#recent(key, now).push(now);
    let settled = false;
    return {
      succeeded: () => {
        if (settled) return;
        settled = true;
        for (const { key } of keys) this.#forget(key, now);
      },
    };
  }

  /** How many keys hold attempts now (for tests: entries expire). */
  get size(): number {
    return this.#attempts.size;
  }

  #recent(key: string, now: number): number[] {
    let recent = this.#attempts.get(key);
    if (!recent) {
      recent = [];
      this.#attempts.set(key, recent);
    }
    while (recent.length > 0 && now - recent[0]! >= this.windowMs) recent.shift();
    return recent;
  }

  #forget(key: string, at: number): void {
    const recent = this.#attempts.get(key);
    const index = recent?.lastIndexOf(at) ?? -1;
    if (index >= 0) recent!.splice(index, 1);
    if (recent?.length === 0) this.#attempts.delete(key);
  }

  /** Once per window, drops every key whose attempts have all expired, so memory follows recent traffic. */
  #sweep(now: number): void {
    if (now - this.#sweptAt < this.windowMs) return;
    this.#sweptAt = now;
    for (const [key, attempts] of this.#attempts) {
      if (attempts.every((at) => now - at >= this.windowMs)) this.#attempts.delete(key);
    }
  }
}

/**
 * What a conversation password attempt counts under: this client at this conversation (a person who mistyped
 * can retry a few times), the conversation from every client (guesses spread over many addresses), and the
 * client at every conversation (one address trying many).
 */
export function passwordAttemptKeys(client: string, conversation: string): ThrottleKey[] {
  return [
    { key: `client-conversation|${client}|${conversation}`, max: 5 },
    { key: `conversation|${conversation}`, max: 20 },
    { key: `client|${client}`, max: 30 },
  ];
}
