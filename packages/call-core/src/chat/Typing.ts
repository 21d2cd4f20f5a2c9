import type { ServerMessageOf } from '@talk/protocol';

/** Someone typing in the conversation. */
export interface Typist {
  /** Their session; one user may type in two tabs. */
  readonly sessionId: string;
  /** Their user id. */
  readonly userId: string;
  /** Their name. */
  readonly displayName: string;
}

/** Timings of typing notices. */
export interface TypingOptions {
  /** At most one "typing" notice per this many milliseconds while the user keeps typing. */
  throttleMs?: number;
  /** After this long without a key, "stopped typing" is sent. */
  idleMs?: number;
  /** A received "typing" counts for this long unless renewed; covers a sender that vanished without "stopped". */
  expiryMs?: number;
}

/**
 * Typing in both directions. Out: `noteTyping()` on every edit sends "typing" at most once per `throttleMs` and
 * "stopped" after `idleMs` of quiet or on `stop()`. In: who is typing, each entry expiring after `expiryMs` unless
 * renewed, since a closed tab never says it stopped.
 */
export class TypingTracker {
  readonly #send: (typing: boolean) => boolean;
  readonly #changed: (typists: readonly Typist[]) => void;
  readonly #options: Required<TypingOptions>;
  readonly #typists = new Map<string, { typist: Typist; timer: ReturnType<typeof setTimeout> }>();
  #lastSent = Number.NEGATIVE_INFINITY;
  #typing = false;
  /** A "typing" that could not go out while the user kept typing; `connected()` sends it. */
  #unsent = false;
  #idle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Sends a notice; false when it could not go out (signaling still connecting), so the next key tries again. */
    send: (typing: boolean) => boolean,
    changed: (typists: readonly Typist[]) => void,
    options: TypingOptions = {},
  ) {
    this.#send = send;
    this.#changed = changed;
    // The expiry is twice the throttle, so one lost renewal does not make the line flicker.
    this.#options = { throttleMs: 3_000, idleMs: 4_000, expiryMs: 7_000, ...options };
  }

  /** Who is typing now, in the order they started. */
  get typists(): readonly Typist[] {
    return [...this.#typists.values()].map((entry) => entry.typist);
  }

  /** The user edited the draft. */
  noteTyping(): void {
    const now = Date.now();
    if (!this.#typing || now - this.#lastSent >= this.#options.throttleMs) {
      this.#unsent = !this.#send(true);
      if (!this.#unsent) {
        this.#typing = true;
        this.#lastSent = now;
      }
    }
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.stop(), this.#options.idleMs);
  }

  /**
   * Signaling is (back) in the conversation: a "typing" that could not go out is sent now if the user is still
   * typing, so a user who starts writing while the page connects is seen without waiting for another key.
   */
  connected(): void {
    if (!this.#unsent) return;
    this.#unsent = false;
    if (this.#send(true)) {
      this.#typing = true;
      this.#lastSent = Date.now();
    }
  }

  /** The user sent or cleared the draft: say so at once if "typing" was said. */
  stop(): void {
    clearTimeout(this.#idle);
    this.#unsent = false;
    if (!this.#typing) return;
    this.#typing = false;
    this.#lastSent = Number.NEGATIVE_INFINITY;
    this.#send(false);
  }

  /** A typing notice from another session. */
  receive(notice: Pick<ServerMessageOf<'typing'>, 'sessionId' | 'userId' | 'displayName' | 'typing'>): void {
    const existing = this.#typists.get(notice.sessionId);
    if (existing) clearTimeout(existing.timer);
    if (!notice.typing) {
      if (existing) {
        this.#typists.delete(notice.sessionId);
        this.#changed(this.typists);
      }
      return;
    }
    const typist: Typist = { sessionId: notice.sessionId, userId: notice.userId, displayName: notice.displayName };
    const timer = setTimeout(() => this.receive({ ...typist, typing: false }), this.#options.expiryMs);
    this.#typists.set(notice.sessionId, { typist, timer });
    if (!existing) this.#changed(this.typists);
  }

  /** A session left the conversation: it types no more. */
  forget(sessionId: string): void {
    if (this.#typists.has(sessionId)) this.receive({ sessionId, userId: '', displayName: '', typing: false });
  }

  /** Stops every timer; nothing is sent. */
  close(): void {
    clearTimeout(this.#idle);
    for (const { timer } of this.#typists.values()) clearTimeout(timer);
    this.#typists.clear();
  }
}
