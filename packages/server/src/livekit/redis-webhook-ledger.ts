import type { Redis } from 'ioredis';
import type { WebhookEvent } from 'livekit-server-sdk';
import { joinedAtMs, type WebhookLedger } from './webhook-ledger.js';

/** How long a webhook id and a participant's newest connection are remembered: far beyond LiveKit's retries. */
const REMEMBERED_MS = 24 * 60 * 60_000;

/**
 * The in-memory ledger's rules in one script, so that two instances handling deliveries of the same participant
 * at once cannot both admit: the id is claimed with SET NX PX (a retry finds it taken), then the participant's
 * newest connection (a hash of sid, joinedAtMs, left) is compared and updated.
 * KEYS: the id's key, the participant's key. ARGV: ttl ms, has id, has participant, sid, joinedAtMs, left.
 * Answers 1 to admit, 0 to drop.
 */
const ADMIT = `
local ttl = tonumber(ARGV[1])
if ARGV[2] == '1' and not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ttl) then return 0 end
if ARGV[3] ~= '1' then return 1 end
local newest = redis.call('HMGET', KEYS[2], 'sid', 'joinedAtMs', 'left')
if newest[1] == ARGV[4] then
  if newest[3] == '1' then return 0 end
  redis.call('HSET', KEYS[2], 'left', ARGV[6])
  redis.call('PEXPIRE', KEYS[2], ttl)
  return 1
end
if newest[1] and tonumber(newest[2]) > tonumber(ARGV[5]) then return 0 end
redis.call('HSET', KEYS[2], 'sid', ARGV[4], 'joinedAtMs', ARGV[5], 'left', ARGV[6])
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
`;

/**
 * The {@link WebhookLedger} of instances that share a Redis. When Redis cannot be asked, `admit` rejects: the route
 * answers 5xx and LiveKit delivers again later, which is better than acting twice on a participant's leave.
 */
export class RedisWebhookLedger implements WebhookLedger {
  constructor(
    private readonly redis: Redis,
    /** Prepended to every key, so that several deployments (or test servers) can share one Redis. */
    private readonly prefix: string,
  ) {}

  /** Whether this event is new and about the participant's newest connection; records it if so. */
  async admit(event: WebhookEvent): Promise<boolean> {
    const participant = event.participant;
    const room = event.room?.name;
    const hasParticipant = Boolean(participant && room && participant.sid);
    const admitted = await this.redis.eval(
      ADMIT,
      2,
      `${this.prefix}webhook:id:${event.id ?? ''}`,
      `${this.prefix}webhook:connection:${room ?? ''}\u0000${participant?.identity ?? ''}`,
      REMEMBERED_MS,
      event.id ? '1' : '0',
      hasParticipant ? '1' : '0',
      participant?.sid ?? '',
      participant ? joinedAtMs(participant) : 0,
      event.event === 'participant_left' ? '1' : '0',
    );
    return Number(admitted) === 1;
  }
}
