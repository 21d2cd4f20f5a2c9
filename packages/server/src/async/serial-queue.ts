/**
 * Runs tasks one after another, in the order they were queued, even though each may await: the way the server
 * keeps one session's messages, or one call's decisions, from interleaving. A task that fails does not stop
 * the ones queued after it.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  /** Runs `task` once every task queued before it has settled; settles as the task does. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    this.#pending += 1;
    const result = this.#tail.then(task).finally(() => {
      this.#pending -= 1;
    });
    this.#tail = result.catch(() => {});
    return result;
  }

  /** Whether no task is queued or running. */
  get idle(): boolean {
    return this.#pending === 0;
  }
}

/** A {@link SerialQueue} per key, forgotten once idle: tasks of one key run in order, keys run side by side. */
export class KeyedSerialQueue {
  readonly #queues = new Map<string, SerialQueue>();

  /** Runs `task` after every task queued before it under `key`. */
  run<T>(key: string, task: () => T | Promise<T>): Promise<T> {
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = new SerialQueue();
      this.#queues.set(key, queue);
    }
    const owner = queue;
    const result = owner.run(task);
    const forget = () => {
      if (owner.idle && this.#queues.get(key) === owner) this.#queues.delete(key);
    };
    result.then(forget, forget);
    return result;
  }

  /** How many keys have tasks queued or running. */
  get size(): number {
    return this.#queues.size;
  }
}
