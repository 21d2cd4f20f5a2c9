/** Stops a subscription. */
export type Unsubscribe = () => void;

/**
 * Hears one event. `position` is the event's place in the cluster's delivery log, when the bus keeps one (Redis):
 * one number, growing across all topics in publish order, that a client hands back to resume from.
 */
export type Listener<T> = (event: T, position?: number) => void;

/**
 * Topic-based fan-out between the parts of the server, and between server instances when it is Redis.
 * Signaling publishes through it instead of writing to sockets directly. Events on one topic from one
 * publisher arrive in the order they were published.
 */
export interface PubSub<T> {
  /**
   * Delivers `event` to every subscriber of `topic`, on every instance. Resolves once the bus has taken it:
   * an event published after that, from any instance, reaches each subscriber after this one.
   */
  publish(topic: string, event: T): Promise<void>;
  /** Calls `listener` for each event on `topic` until unsubscribed; resolves once events are sure to arrive. */
  subscribe(topic: string, listener: Listener<T>): Promise<Unsubscribe>;
  /**
   * Calls `listener` when the bus comes back after losing its connection, when events may have been lost; the
   * bus holds back what arrives meanwhile until every listener's promise has settled, so that they can re-check
   * state (such as who may still hear a conversation) before anything more is delivered.
   */
  onResync(listener: () => Promise<void>): Unsubscribe;
  /** Releases connections. */
  close(): Promise<void>;
}

/** A set of listeners per topic: the local half of every bus. */
export class Listeners<T> {
  readonly #topics = new Map<string, Set<Listener<T>>>();

  /** Calls each listener of `topic`. */
  deliver(topic: string, event: T, position?: number): void {
    // Copied, so that a listener that unsubscribes while being called does not skip its neighbour.
    for (const listener of [...(this.#topics.get(topic) ?? [])]) listener(event, position);
  }

  /** Adds a listener; `first` is true when the topic had none before. */
  add(topic: string, listener: Listener<T>): { first: boolean; remove: () => boolean } {
    const listeners = this.#topics.get(topic) ?? new Set();
    const first = listeners.size === 0;
    this.#topics.set(topic, listeners);
    listeners.add(listener);
    return {
      first,
      // True when that was the topic's last listener.
      remove: () => {
        listeners.delete(listener);
        if (listeners.size === 0 && this.#topics.get(topic) === listeners) {
          this.#topics.delete(topic);
          return true;
        }
        return false;
      },
    };
  }

  /** How many topics have listeners. */
  get size(): number {
    return this.#topics.size;
  }
}

/** A bus inside one process: delivery is synchronous and in publish order. */
export class InProcessPubSub<T> implements PubSub<T> {
  readonly #listeners = new Listeners<T>();

  /** Delivers `event` to every subscriber of `topic`. */
  async publish(topic: string, event: T): Promise<void> {
    this.#listeners.deliver(topic, event);
  }

  /** Calls `listener` for each event on `topic` until unsubscribed. */
  async subscribe(topic: string, listener: Listener<T>): Promise<Unsubscribe> {
    const { remove } = this.#listeners.add(topic, listener);
    return () => void remove();
  }

  /** Never called: nothing is lost inside one process. */
  onResync(_listener: () => Promise<void>): Unsubscribe {
    return () => {};
  }

  /** Nothing to release. */
  async close(): Promise<void> {}

  /** How many topics have subscribers; lets tests prove that subscriptions do not leak. */
  get topicCount(): number {
    return this.#listeners.size;
  }
}
