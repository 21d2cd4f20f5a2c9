import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@talk/protocol';
import type { Redis } from 'ioredis';
import { TalkServerError } from '../errors.js';
import { type Attempt, THROTTLE_WINDOW_MS, type Throttle, type ThrottleKey } from './throttle.js';

/**
 * One attempt against every key, atomically (a script runs alone in Redis): each key is a sorted set of the
 * attempts still counted, scored by when they began on Redis's clock (so instances with skewed clocks agree).
 * Expired attempts are dropped; if any key is full, the wait until its oldest counted attempt expires comes back
 * and nothing is recorded; otherwise the attempt is added under every key and 0 comes back.
 * KEYS: the keys. ARGV: window in ms, the attempt's id, then each key's max.
 */
const BEGIN = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local max = tonumber(ARGV[2 + i])
  local count = redis.call('ZCARD', key)
  if count >= max then
    local oldest = redis.call('ZRANGE', key, count - max, count - max, 'WITHSCORES')
    local left = tonumber(oldest[2]) + window - now
    if left > wait then wait = left end
  end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, window)
end
return 0
`;

/**
 * The password {@link Throttle} of instances that share a Redis: the same sliding window as `AttemptThrottle`,
 * in sorted sets that expire with it, so that guesses spread over every instance meet one count.
 *
 * When Redis cannot be asked, attempts are refused (fails closed): a login throttle that lets attempts through
 * whenever its store is away turns any Redis outage — or anything an attacker can do to cause one — into unlimited
 * guessing, while refusing costs a rightful guest a retry a little later. Chat traffic's rate limits fail open
 * instead (see http/rate-limits.ts): there the harm of an outage is a burst, not a broken password.
 */
export class RedisThrottle implements Throttle {
  constructor(
    private readonly redis: Redis,
    /** Prepended to every key, so that several deployments (or test servers) can share one Redis. */
    private readonly prefix: string,
    private readonly windowMs = THROTTLE_WINDOW_MS,
  ) {}

  /** Records an attempt under every key, or rejects with `rate-limited`; also when Redis cannot be reached. */
  async begin(keys: readonly ThrottleKey[]): Promise<Attempt> {
    const names = keys.map(({ key }) => this.prefix + key);
    const id = randomUUID();
    let wait: number;
    try {
      wait = Number(
        await this.redis.eval(BEGIN, names.length, ...names, this.windowMs, id, ...keys.map(({ max }) => max)),
      );
    } catch (error) {
      throw new TalkServerError(ErrorCode.RateLimited, 'Password attempts cannot be counted now; try again soon', {
        cause: error,
      });
    }
    if (wait > 0) {
      const retryIn = Math.max(1, Math.ceil(wait / 1000));
      throw new TalkServerError(ErrorCode.RateLimited, `Too many failed attempts; try again in ${retryIn} s`);
    }
    let settled = false;
    return {
      succeeded: () => {
        if (settled) return;
        settled = true;
        // A right password stops counting; if Redis is away just then, the attempt expires with its window.
        const forget = this.redis.multi();
        for (const name of names) forget.zrem(name, id);
        void forget.exec().catch(() => {});
      },
    };
  }
}
