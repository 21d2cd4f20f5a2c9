// biome-ignore lint/suspicious/noExplicitAny: listener parameters vary per event; each map entry narrows them.
type Listener = (...args: any[]) => void;

/** A map from event name to listener signature, such as `CallEventCallbacks`. */
export type EventCallbacks<T> = { [K in keyof T]: Listener };

/** A tiny typed event emitter: `on` checks the listener against the callbacks map and returns an unsubscribe. */
export class TypedEmitter<C extends EventCallbacks<C>> {
  readonly #listeners = new Map<keyof C, Set<Listener>>();

  /** Calls `listener` on every `event` until the returned function is called. */
  on<E extends keyof C>(event: E, listener: C[E]): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => this.off(event, listener);
  }

  /** Calls `listener` on the next `event` only. */
  once<E extends keyof C>(event: E, listener: C[E]): () => void {
    const off = this.on(event, ((...args: Parameters<C[E]>) => {
      off();
      listener(...args);
    }) as C[E]);
    return off;
  }

  /** Stops calling `listener` on `event`. */
  off<E extends keyof C>(event: E, listener: C[E]): void {
    this.#listeners.get(event)?.delete(listener);
  }

  /** Removes every listener, e.g. when the emitter is closed for good. */
  removeAllListeners(): void {
    this.#listeners.clear();
  }

  protected emit<E extends keyof C>(event: E, ...args: Parameters<C[E]>): void {
    // Copy so a listener that unsubscribes itself does not skip the next one.
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener(...args);
      } catch (error) {
        // One broken listener must not stop the others nor the emitter's own state machine.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
