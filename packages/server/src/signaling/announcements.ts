/**
 * Keeps a session's announcements (typing, a raised hand) from flooding a conversation: each kind in each
 * conversation goes out at most once per interval. A repeat of the state last sent is dropped; a change that
 * comes too soon is held and sent when the interval ends, so the others always end up with the latest state
 * (a `typing: false` is never lost, only delayed).
 */
export class AnnouncementGate {
  readonly #last = new Map<string, { fingerprint: string; at: number }>();
  readonly #held = new Map<string, NodeJS.Timeout>();

  constructor(
    /** The shortest time between two announcements of one kind in one conversation, in ms. */
    readonly intervalMs: number,
    /** Runs a held announcement when its time comes (in the session's queue, after what came before it). */
    private readonly defer: (task: () => Promise<void>) => void,
  ) {}

  /**
   * Sends now, holds, or drops an announcement of `kind` in `conversation` whose content is `fingerprint`; a
   * held one is replaced by a later one. `send` may throw, and then counts as not sent.
   */
  async offer(kind: string, conversation: string, fingerprint: string, send: () => Promise<void>): Promise<void> {
    const now = Date.now();
    const key = `${kind}:${conversation}`;
    clearTimeout(this.#held.get(key));
    this.#held.delete(key);
    const last = this.#last.get(key);
    if (!last || now - last.at >= this.intervalMs) return this.#send(key, fingerprint, send);
    if (last.fingerprint === fingerprint) return; // a repeat, or a change taken back before it went out
    const timer = setTimeout(
      () => {
        this.#held.delete(key);
        this.defer(() => this.#send(key, fingerprint, send));
      },
      this.intervalMs - (now - last.at),
    );
    timer.unref();
    this.#held.set(key, timer);
  }

  /** Forgets one conversation's announcements (the session left it or its call) or all (the session ended). */
  clear(conversation?: string): void {
    const mine = (key: string) => conversation === undefined || key.endsWith(`:${conversation}`);
    for (const [key, timer] of this.#held) {
      if (!mine(key)) continue;
      clearTimeout(timer);
      this.#held.delete(key);
    }
    for (const key of this.#last.keys()) if (mine(key)) this.#last.delete(key);
  }

  async #send(key: string, fingerprint: string, send: () => Promise<void>): Promise<void> {
    await send();
    this.#last.set(key, { fingerprint, at: Date.now() });
  }
}
