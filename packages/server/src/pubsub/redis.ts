import { Redis } from 'ioredis';
import { Listeners, type PubSub, type Unsubscribe } from './bus.js';

/**
 * A bus over Redis pub/sub, so that signaling and chat push reach sessions on every server instance. One
 * connection publishes (Redis keeps its order), one subscribes; each instance subscribes only to the topics
 * its own sessions need. Events are JSON.
 */
export class RedisPubSub<T> implements PubSub<T> {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #listeners = new Listeners<T>();
  readonly #prefix: string;
  /** Topic → its SUBSCRIBE in flight or done, so a second listener waits for the first one's confirmation. */
  readonly #subscribed = new Map<string, Promise<unknown>>();

  constructor(url: string, prefix = 'talk:') {
    this.#prefix = prefix;
    const options = { lazyConnect: false, maxRetriesPerRequest: null, enableAutoPipelining: false };
    this.#publisher = new Redis(url, options);
    this.#subscriber = new Redis(url, options);
    this.#subscriber.on('message', (channel: string, payload: string) => {
      if (!channel.startsWith(this.#prefix)) return;
      let event: T;
      try {
        event = JSON.parse(payload) as T;
      } catch {
        return; // not ours: something else published garbage on our prefix
      }
      this.#listeners.deliver(channel.slice(this.#prefix.length), event);
    });
    // ioredis reconnects by itself; without listeners its errors would be unhandled.
    this.#publisher.on('error', () => {});
    this.#subscriber.on('error', () => {});
  }

  /** Publishes `event` to every instance subscribed to `topic`. */
  async publish(topic: string, event: T): Promise<void> {
    // Redis answers PUBLISH after queueing the event to every subscriber, which is what orders it before
    // anything published later elsewhere. A failed publish is lost like a dropped push: clients catch up.
    await this.#publisher.publish(this.#prefix + topic, JSON.stringify(event)).catch(() => {});
  }

  /** Subscribes; resolves once Redis has confirmed, so nothing published after that is missed. */
  async subscribe(topic: string, listener: (event: T) => void): Promise<Unsubscribe> {
    const { first, remove } = this.#listeners.add(topic, listener);
    if (first) this.#subscribed.set(topic, this.#subscriber.subscribe(this.#prefix + topic));
    await this.#subscribed.get(topic);
    return () => {
      if (!remove()) return;
      this.#subscribed.delete(topic);
      void this.#subscriber.unsubscribe(this.#prefix + topic).catch(() => {});
    };
  }

  /** Closes both connections. */
  async close(): Promise<void> {
    await Promise.allSettled([this.#publisher.quit(), this.#subscriber.quit()]);
  }
}
