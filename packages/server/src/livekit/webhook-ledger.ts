import type { WebhookEvent } from 'livekit-server-sdk';

/** How many webhook ids, and participants' latest connections, are remembered. */
const REMEMBERED = 10_000;

/** A participant's connection to a room as LiveKit numbers it. */
interface Connection {
  /** LiveKit's id of this one connection; a reconnect gets a new one. */
  sid: string;
  /** When it joined, in milliseconds. */
  joinedAtMs: number;
  /** Whether LiveKit said it left: a `participant_joined` of it arriving later is stale. */
  left: boolean;
}

/**
 * What LiveKit's webhooks already said, so that each counts once and in order. LiveKit retries a delivery it saw
 * fail (the same `id` again) and posts concurrently, so a `participant_left` of an old connection can arrive after
 * the `participant_joined` of its reconnect. Per participant, only events about its newest connection are acted on.
 * {@link InMemoryWebhookLedger} for one instance; `RedisWebhookLedger` when instances share a Redis, so that a
 * delivery retried onto another instance behind the balancer is still recognised.
 */
export interface WebhookLedger {
  /** Whether this event is new and about the participant's newest connection; records it if so. */
  admit(event: WebhookEvent): Promise<boolean>;
}

/** The {@link WebhookLedger} of a single instance, bounded to the latest {@link REMEMBERED} ids and participants. */
export class InMemoryWebhookLedger implements WebhookLedger {
  readonly #seen = new Set<string>();
  readonly #connections = new Map<string, Connection>();

  /** Whether this event is new and about the participant's newest connection; records it if so. */
  async admit(event: WebhookEvent): Promise<boolean> {
    if (event.id) {
      if (this.#seen.has(event.id)) return false;
      remember(this.#seen, event.id);
    }
    const participant = event.participant;
    const room = event.room?.name;
    if (!participant || !room || !participant.sid) return true;
    const key = `${room}\u0000${participant.identity}`;
    const left = event.event === 'participant_left';
    const newest = this.#connections.get(key);
    if (newest?.sid === participant.sid) {
      if (newest.left) return false; // it left already; nothing later about this connection counts
      newest.left = left;
      return true;
    }
    const connection = { sid: participant.sid, joinedAtMs: joinedAtMs(participant), left };
    if (newest && newest.joinedAtMs > connection.joinedAtMs) return false; // an older connection, overtaken
    this.#connections.delete(key);
    this.#connections.set(key, connection);
    if (this.#connections.size > REMEMBERED) this.#connections.delete(this.#connections.keys().next().value!);
    return true;
  }
}

/** When a participant joined, in milliseconds, from the finest field LiveKit filled in. */
export function joinedAtMs(participant: NonNullable<WebhookEvent['participant']>): number {
  const ms = Number(participant.joinedAtMs ?? 0n);
  return ms > 0 ? ms : Number(participant.joinedAt ?? 0n) * 1000;
}

/** Adds to a bounded set, forgetting the oldest entry. */
function remember(set: Set<string>, value: string): void {
  set.add(value);
  if (set.size > REMEMBERED) set.delete(set.values().next().value!);
}
