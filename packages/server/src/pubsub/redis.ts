import { Redis, type RedisOptions } from 'ioredis';
import {
  type DeliveryLogOptions,
  LOGGED_PUBLISH,
  LOGGED_PUBLISH_SCRIPT,
  logCounterKey,
  logKey,
  splitLogged,
} from '../cluster/delivery-log.js';
import { type Listener, Listeners, type PubSub, type Unsubscribe } from './bus.js';

/** How long one Redis command may take before it fails (a hung or unreachable Redis), in ms. */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/**
 * ioredis's defaults queue every command while disconnected and retry it forever, so during an outage every
 * publish (and the HTTP write awaiting it) hangs. These fail a command after one reconnect attempt or the
 * timeout, and reconnect every second at most, so that the bus is back soon after Redis is.
 */
export const REDIS_OPTIONS: RedisOptions = {
  lazyConnect: false,
  enableAutoPipelining: false,
  maxRetriesPerRequest: 1,
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
  retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
};

/**
 * A bus over Redis pub/sub, so that signaling and chat push reach sessions on every server instance. One
 * connection publishes (Redis keeps its order), one subscribes; each instance subscribes only to the topics
 * its own sessions need. Events are JSON. With `log`, every event is also kept a while, numbered (see
 * {@link DeliveryLogOptions}), and delivered with its number.
 */
export class RedisPubSub<T> implements PubSub<T> {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #listeners = new Listeners<T>();
  readonly #prefix: string;
  /** Topic → its SUBSCRIBE in flight or done, so a second listener waits for the first one's confirmation. */
  readonly #subscribed = new Map<string, Promise<unknown>>();
  readonly #resyncListeners = new Set<() => Promise<void>>();
  /** Set when the subscriber lost its connection: what was published meanwhile never reached this instance. */
  #lost = false;
  /** While resync listeners run: the events that arrived, delivered after them. */
  #held: Array<[string, T, number | undefined]> | undefined;
  /** Set when the connection came back again while a resync ran: it runs once more. */
  #again = false;
  readonly #log: DeliveryLogOptions | undefined;

  constructor(url: string, prefix = 'talk:', log?: DeliveryLogOptions) {
    this.#prefix = prefix;
    this.#log = log;
    this.#publisher = new Redis(url, REDIS_OPTIONS);
    this.#publisher.defineCommand(LOGGED_PUBLISH, { numberOfKeys: 2, lua: LOGGED_PUBLISH_SCRIPT });
    // Queued until the first connection is up, so nothing published at start is lost; after that a publish
    // while Redis is away fails at once instead of waiting out the command timeout: one request publishes
    // several events (the change, each member's notice), and each would add the whole timeout to its answer.
    this.#publisher.once('ready', () => {
      this.#publisher.options.enableOfflineQueue = false;
    });
    this.#subscriber = new Redis(url, REDIS_OPTIONS);
    this.#subscriber.on('message', (channel: string, payload: string) => {
      if (!channel.startsWith(this.#prefix)) return;
      let event: T;
      const { position, json } = splitLogged(payload);
      try {
        event = JSON.parse(json) as T;
      } catch {
        return; // not ours: something else published garbage on our prefix
      }
      const topic = channel.slice(this.#prefix.length);
      if (this.#held) this.#held.push([topic, event, position]);
      else this.#listeners.deliver(topic, event, position);
    });
    // ioredis reconnects by itself (and subscribes again); without listeners its errors would be unhandled.
    this.#publisher.on('error', () => {});
    this.#subscriber.on('error', () => {});
    this.#subscriber.on('close', () => {
      this.#lost = true;
    });
    this.#subscriber.on('ready', () => {
      if (!this.#lost) return;
      this.#lost = false;
      void this.#resync();
    });
  }

  /** Publishes `event` to every instance subscribed to `topic`. */
  async publish(topic: string, event: T): Promise<void> {
    // Redis answers PUBLISH after queueing the event to every subscriber, which is what orders it before
    // anything published later elsewhere. A failed publish is lost like a dropped push: clients catch up, and
    // the resync after the outage repairs what a lost control change would have done.
    const channel = this.#prefix + topic;
    const json = JSON.stringify(event);
    if (!this.#log) {
      await this.#publisher.publish(channel, json).catch(() => {});
      return;
    }
    const { keep, ttlMs } = this.#log;
    const keys = [logKey(this.#prefix, topic), logCounterKey(this.#prefix)];
    // defineCommand adds the method at run time; its type is not known to ioredis's declarations.
    const publisher = this.#publisher as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await publisher[LOGGED_PUBLISH]!(...keys, json, channel, keep, ttlMs).catch(() => {});
  }

  /** Subscribes; resolves once Redis has confirmed, so nothing published after that is missed. */
  async subscribe(topic: string, listener: Listener<T>): Promise<Unsubscribe> {
    const { first, remove } = this.#listeners.add(topic, listener);
    // Asked again when an earlier SUBSCRIBE of the topic failed, even if its listeners have yet to hear so.
    if (first || !this.#subscribed.has(topic)) {
      this.#subscribed.set(topic, this.#subscriber.subscribe(this.#prefix + topic));
    }
    const confirmation = this.#subscribed.get(topic);
    try {
      await confirmation;
    } catch (error) {
      // Redis is away: this listener is not subscribed, and the next subscriber of the topic asks again.
      remove();
      if (this.#subscribed.get(topic) === confirmation) this.#subscribed.delete(topic);
      throw error;
    }
    return () => {
      if (!remove()) return;
      this.#subscribed.delete(topic);
      void this.#subscriber.unsubscribe(this.#prefix + topic).catch(() => {});
    };
  }

  /** Calls `listener` after each reconnection of the subscriber, holding deliveries back until it settles. */
  onResync(listener: () => Promise<void>): Unsubscribe {
    this.#resyncListeners.add(listener);
    return () => void this.#resyncListeners.delete(listener);
  }

  /** Closes both connections. */
  async close(): Promise<void> {
    this.#resyncListeners.clear();
    await Promise.allSettled([this.#publisher.quit(), this.#subscriber.quit()]);
  }

  async #resync(): Promise<void> {
    if (this.#held) {
      this.#again = true; // what the running one read may predate this outage
      return;
    }
    this.#held = [];
    do {
      this.#again = false;
      await Promise.allSettled([...this.#resyncListeners].map((listener) => listener()));
    } while (this.#again);
    const held = this.#held;
    this.#held = undefined;
    for (const [topic, event, position] of held) this.#listeners.deliver(topic, event, position);
  }
}
