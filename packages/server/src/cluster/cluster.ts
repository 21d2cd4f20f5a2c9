import { Redis } from 'ioredis';
import { REDIS_OPTIONS } from '../pubsub/redis.js';
import type { ClusterDeps } from '../signaling/hub.js';
import { RESUME_BUFFER } from '../signaling/session.js';
import { DeliveryLog } from './delivery-log.js';
import { SessionDirectory } from './session-directory.js';

/** What several instances on one Redis share so that sessions move between them, with its connection. */
export interface Cluster extends ClusterDeps {
  /** Closes the connection. */
  close(): Promise<void>;
}

/** Opens the session directory and the delivery log's reader on a connection of their own. */
export function openCluster(redisUrl: string, resumeGraceMs: number): Cluster {
  const redis = new Redis(redisUrl, REDIS_OPTIONS);
  // ioredis reconnects by itself; without a listener its errors would be unhandled.
  redis.on('error', () => {});
  return {
    directory: new SessionDirectory(redis, resumeGraceMs),
    log: new DeliveryLog(redis, { keep: RESUME_BUFFER, ttlMs: resumeGraceMs }),
    async close() {
      await redis.quit().catch(() => {});
    },
  };
}
