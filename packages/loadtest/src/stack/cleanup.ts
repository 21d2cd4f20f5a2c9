/**
 * Everything a run started, stopped in reverse order: on the normal path, on an error, and on SIGINT, SIGTERM or
 * SIGHUP, so an interrupted run leaves no browser, server or network namespace behind.
 */
export class Cleanup {
  readonly #steps: { name: string; stop: () => Promise<void> | void }[] = [];
  #running: Promise<void> | null = null;
  readonly #onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n[loadtest] ${signal}: stopping browsers and servers\n`);
    void this.run().finally(() => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15)));
  };

  /** Starts listening for the signals that end a run early. */
  constructor() {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, this.#onSignal);
  }

  /** Whether stopping has begun (after an interrupt the run must not start anything more). */
  get stopping(): boolean {
    return this.#running !== null;
  }

  /**
   * Registers how to stop something just started. Once stopping has begun, it is stopped at once instead: a run
   * interrupted while it launches browsers must not leave the ones it launches after the signal.
   */
  add(name: string, stop: () => Promise<void> | void): void {
    if (this.#running) {
      void Promise.resolve()
        .then(stop)
        .catch(() => {});
      return;
    }
    this.#steps.push({ name, stop });
  }

  /** Stops everything registered, newest first; later calls wait for the first. */
  run(): Promise<void> {
    this.#running ??= (async () => {
      for (const step of this.#steps.splice(0).reverse()) {
        try {
          await step.stop();
        } catch (error) {
          process.stderr.write(`[loadtest] could not stop ${step.name}: ${String(error)}\n`);
        }
      }
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, this.#onSignal);
    })();
    return this.#running;
  }
}
