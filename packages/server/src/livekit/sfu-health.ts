/** What {@link SfuHealth} needs. */
export interface SfuHealthOptions {
  /** The SFU's URL as clients get it (ws:// or wss://); its HTTP twin is probed. */
  url: string;
  /** Told when the SFU goes down or comes back. */
  onChange: (available: boolean) => void;
  /** How often to probe, in ms. */
  intervalMs?: number;
  /** How long one probe may take, in ms. */
  timeoutMs?: number;
  /** How many probes in a row must fail before the SFU counts as down. */
  failuresToDown?: number;
}

/**
 * Watches whether the SFU answers, so that calls on it go back to the mesh when it dies instead of leaving
 * everyone without media: livekit-server answers `GET /` while it runs. One failed probe may be a hiccup; a
 * few in a row are an outage. A probe that answers again brings the SFU back. An SFU never seen up is left
 * alone (counted available, as configured): what this watches for is one that went away.
 */
export class SfuHealth {
  readonly #options: Required<SfuHealthOptions>;
  readonly #probeUrl: string;
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  #available = true;
  #seenUp = false;

  constructor(options: SfuHealthOptions) {
    this.#options = { intervalMs: 1_000, timeoutMs: 1_000, failuresToDown: 2, ...options };
    this.#probeUrl = options.url.replace(/^ws/, 'http');
  }

  /** Whether the SFU answered lately. */
  get available(): boolean {
    return this.#available;
  }

  /** Starts probing. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.#probe(), this.#options.intervalMs);
    this.#timer.unref();
    // At once too: an SFU that dies before the first interval ends must already have been seen up to count as down.
    void this.#probe();
  }

  /** Stops probing. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #probe(): Promise<void> {
    let ok: boolean;
    try {
      const response = await fetch(this.#probeUrl, { signal: AbortSignal.timeout(this.#options.timeoutMs) });
      await response.body?.cancel();
      ok = response.status < 500;
    } catch {
      ok = false;
    }
    if (!this.#timer) return; // stopped meanwhile
    if (ok) this.#seenUp = true;
    if (!this.#seenUp) return;
    this.#failures = ok ? 0 : this.#failures + 1;
    const available = ok || (this.#available && this.#failures < this.#options.failuresToDown);
    if (available === this.#available) return;
    this.#available = available;
    this.#options.onChange(available);
  }
}
