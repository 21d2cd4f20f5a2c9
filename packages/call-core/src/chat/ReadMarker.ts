import { type ChatItem, countsAsUnread, mentions } from './ChatItem.js';

/** What is unread, as a badge and a divider show it. */
export interface UnreadState {
  /** Messages from others after the read marker. */
  readonly count: number;
  /** How many of those mention the user (or @all). */
  readonly mentions: number;
  /** The id of the first unread message, before which a list draws its divider; null when all was read on opening. */
  readonly dividerBefore: number | null;
}

/** What the server said about the conversation when it opened. */
export interface UnreadOnOpen {
  /** Messages after the read marker, not the user's own. */
  readonly unreadMessages?: number;
  /** Of those, the ones mentioning the user. */
  readonly unreadMentions?: number;
}

/**
 * The user's read marker in one conversation. The server tells only how many messages are unread, so on opening
 * the marker is placed before the that-many-th newest message from others; from then on it moves forward as the
 * element reports what was on screen, and the server is told at most once per `delayMs`. The divider stays where it
 * was put (as in Talk) until the store closes, so the reader still sees where the new part began.
 */
export class ReadMarker {
  readonly #post: (lastReadMessageId: number) => Promise<void>;
  readonly #delayMs: number;
  #lastRead = 0;
  #posted = 0;
  #dividerBefore: number | null = null;
  /** Unread messages older than the oldest one loaded, which the count includes though the list does not hold them. */
  #beyond = 0;
  #beyondMentions = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(post: (lastReadMessageId: number) => Promise<void>, delayMs = 500) {
    this.#post = post;
    this.#delayMs = delayMs;
  }

  /** The newest id counted as read. */
  get lastReadId(): number {
    return this.#lastRead;
  }

  /** Places the marker from the server's counts over the first page (oldest first). */
  open(items: readonly ChatItem[], userId: string | null, counts: UnreadOnOpen): void {
    const unread = counts.unreadMessages ?? 0;
    const candidates = items.filter((item) => countsAsUnread(item, userId));
    const newest = items.reduce((max, item) => Math.max(max, item.id ?? 0), 0);
    if (unread === 0 || candidates.length === 0) {
      this.#lastRead = newest;
      this.#posted = newest;
      return;
    }
    const first = candidates[Math.max(0, candidates.length - unread)]!;
    this.#dividerBefore = first.id;
    this.#lastRead = (first.id ?? 1) - 1;
    this.#posted = this.#lastRead;
    this.#beyond = Math.max(0, unread - candidates.length);
    const loadedMentions = candidates.filter((item) => (item.id ?? 0) > this.#lastRead && mentions(item, userId));
    this.#beyondMentions = Math.max(0, (counts.unreadMentions ?? 0) - loadedMentions.length);
  }

  /** A message from someone else arrived; the divider goes before it if none is drawn yet. */
  arrived(item: ChatItem, userId: string | null): void {
    if (this.#dividerBefore === null && countsAsUnread(item, userId) && (item.id ?? 0) > this.#lastRead) {
      this.#dividerBefore = item.id;
    }
  }

  /** The user saw everything up to `id` (or wrote it); returns whether the marker moved. */
  seen(id: number): boolean {
    if (id <= this.#lastRead) return false;
    this.#lastRead = id;
    // What lies before a seen message was scrolled past, so the older unread beyond the list count as read too.
    this.#beyond = 0;
    this.#beyondMentions = 0;
    this.#timer ??= setTimeout(() => this.flush(), this.#delayMs);
    return true;
  }

  /** Tells the server now rather than after the delay. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const id = this.#lastRead;
    if (id <= this.#posted) return Promise.resolve();
    this.#posted = id;
    return this.#post(id).catch(() => {
      // Told again with the next move; the server never moves a marker back, so a late retry is harmless.
      this.#posted = Math.min(this.#posted, id - 1);
    });
  }

  /** Counts over the items held now. */
  state(items: readonly ChatItem[], userId: string | null): UnreadState {
    let count = this.#beyond;
    let mentioned = this.#beyondMentions;
    for (const item of items) {
      if ((item.id ?? 0) <= this.#lastRead || !countsAsUnread(item, userId)) continue;
      count++;
      if (mentions(item, userId)) mentioned++;
    }
    return { count, mentions: mentioned, dividerBefore: this.#dividerBefore };
  }

  /** Sends what is pending and stops the timer. */
  close(): void {
    if (this.#timer !== undefined) void this.flush();
  }
}
