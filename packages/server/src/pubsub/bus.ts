/** Stops a subscription. */
export type Unsubscribe = () => void;

/**
 * Topic-based fan-out between the parts of the server. Signaling publishes through it instead of writing
 * to sockets directly, so that a Redis implementation can later carry the same events across instances.
 */
export interface PubSub<T> {
  /** Delivers `event` to every subscriber of `topic`. */
  publish(topic: string, event: T): void;
  /** Calls `listener` for each event on `topic` until unsubscribed. */
  subscribe(topic: string, listener: (event: T) => void): Unsubscribe;
}

/** A bus inside one process: delivery is synchronous and in publish order. */
export class InProcessPubSub<T> implements PubSub<T> {
  readonly #topics = new Map<string, Set<(event: T) => void>>();

  /** Delivers `event` to every subscriber of `topic`. */
  publish(topic: string, event: T): void {
    // Copied, so that a listener that unsubscribes while being called does not skip its neighbour.
    for (const listener of [...(this.#topics.get(topic) ?? [])]) listener(event);
  }

  /** Calls `listener` for each event on `topic` until unsubscribed. */
  subscribe(topic: string, listener: (event: T) => void): Unsubscribe {
    const listeners = this.#topics.get(topic) ?? new Set();
    this.#topics.set(topic, listeners);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.#topics.get(topic) === listeners) this.#topics.delete(topic);
    };
  }

  /** How many topics have subscribers; lets tests prove that subscriptions do not leak. */
  get topicCount(): number {
    return this.#topics.size;
  }
}
