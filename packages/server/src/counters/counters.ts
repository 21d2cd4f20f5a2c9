import { Redis } from 'ioredis';
import { RedisThrottle } from '../auth/redis-throttle.js';
import { InMemoryThrottle, type Throttle } from '../auth/throttle.js';
import type { TalkConfig } from '../config.js';
import { RedisWebhookLedger } from '../livekit/redis-webhook-ledger.js';
import { InMemoryWebhookLedger, type WebhookLedger } from '../livekit/webhook-ledger.js';
import { REDIS_OPTIONS } from '../pubsub/redis.js';

/** The prefix of the counters' Redis keys unless configured. */
const DEFAULT_PREFIX = 'talk:';

/**
 * The state that must hold across instances to mean anything: who guessed a password how often, what LiveKit's
 * webhooks already said, and the REST rate limits' counts. In this process's memory for a single instance; in
 * Redis, with expiry, when the instances share one. Picked once, at start.
 */
export interface Counters {
  /** The conversation-password throttle. */
  passwordThrottle: Throttle;
  /** The LiveKit webhook ledger. */
  webhookLedger: WebhookLedger;
  /** The Redis connection `@fastify/rate-limit` keeps its counts in, or none to count in memory. */
  rateLimits: { redis: Redis; nameSpace: string } | undefined;
  /** Closes the Redis connection, if any. */
  close(): Promise<void>;
}

/** The counters for `config`: Redis-backed when it names a Redis, in memory otherwise. */
export function openCounters(config: Pick<TalkConfig, 'redisUrl' | 'redisKeyPrefix'>): Counters {
  if (!config.redisUrl) {
    return {
      passwordThrottle: new InMemoryThrottle(),
      webhookLedger: new InMemoryWebhookLedger(),
      rateLimits: undefined,
      close: async () => {},
    };
  }
  const prefix = config.redisKeyPrefix ?? DEFAULT_PREFIX;
  // Its own connection, with the bus's bounded retries: a counter that cannot be read fails fast, never hangs.
  const redis = new Redis(config.redisUrl, REDIS_OPTIONS);
  redis.on('error', () => {}); // ioredis reconnects by itself; each command that fails says so to its caller
  // The rate limits ask on every limited request and go through when Redis cannot answer: with no offline queue
  // they learn that at once (the first requests at start too, before the connection is up) rather than after
  // the command timeout, which would delay each request that much during an outage.
  const limits = new Redis(config.redisUrl, { ...REDIS_OPTIONS, enableOfflineQueue: false });
  limits.on('error', () => {});
  return {
    passwordThrottle: new RedisThrottle(redis, `${prefix}throttle:`),
    webhookLedger: new RedisWebhookLedger(redis, prefix),
    rateLimits: { redis: limits, nameSpace: `${prefix}rate:` },
    close: async () => {
      await Promise.all([redis.quit().catch(() => {}), limits.quit().catch(() => {})]);
    },
  };
}
