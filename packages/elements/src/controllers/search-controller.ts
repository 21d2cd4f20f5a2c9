import { asTalkError, type ChatMessage, type MessagePage, type TalkClientLike, TalkErrorCode } from '@talk/call-core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { TalkErrorEvent } from '../events/talk-error.js';

/** One search request: the words, and where the page starts (the previous page's `nextBefore`). */
export type Searcher = (query: { q: string; before?: number; limit: number }) => Promise<MessagePage>;

/** How long typing must pause before a search goes out. */
export const SEARCH_DEBOUNCE_MS = 250;
/** How many results a page holds. */
export const SEARCH_PAGE = 20;

/** A search in one conversation, when the client has it (a stand-in client may not). */
export function conversationSearcher(client: TalkClientLike, conversation: string): Searcher | null {
  const { searchMessages } = client;
  return searchMessages ? (query) => searchMessages.call(client, conversation, query) : null;
}

/** A search across every conversation the user may read, when the client has it. */
export function everywhereSearcher(client: TalkClientLike): Searcher | null {
  const { searchAllMessages } = client;
  return searchAllMessages ? (query) => searchAllMessages.call(client, query) : null;
}

/**
 * A search box's state: open or not, the words, the results (newest first), the one the arrow keys are on, and
 * whether older results exist. Typing searches after a short pause; only the answer to the latest words is kept, so a
 * slow early answer never replaces a later one; "more results" pages back from the last answer. The searcher says
 * where (one conversation or all of them).
 */
export class SearchController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #searcher: () => Searcher | null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #request = 0;
  #nextBefore: number | null = null;

  /** Whether the box is open. */
  open = false;
  /** The words as typed. */
  query = '';
  /** The matches for `query`, newest first. */
  results: readonly ChatMessage[] = [];
  /** Which result the arrow keys are on; -1 before any. */
  active = -1;
  /** Whether an answer is on its way. */
  busy = false;

  constructor(host: ReactiveControllerHost & HTMLElement, searcher: () => Searcher | null) {
    this.#host = host;
    this.#searcher = searcher;
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#request++;
  }

  /** Whether search works with this client. */
  get available(): boolean {
    return this.#searcher() !== null;
  }

  /** Whether older results than those shown exist. */
  get more(): boolean {
    return this.#nextBefore !== null;
  }

  /** Opens the box, empty. */
  show(): void {
    this.open = true;
    this.#reset('');
  }

  /** Closes the box and forgets the search. */
  hide(): void {
    this.open = false;
    this.#reset('');
  }

  /** The words changed: searches after a pause, or clears at once when they are empty. */
  type(query: string): void {
    this.#reset(query);
    if (query.trim() === '') return;
    this.busy = true;
    this.#timer = setTimeout(() => void this.#search(query.trim().slice(0, 200)), SEARCH_DEBOUNCE_MS);
    this.#host.requestUpdate();
  }

  /** Moves the active result by `step`, stopping at the ends. */
  move(step: number): void {
    if (this.results.length === 0) return;
    this.active = Math.max(0, Math.min(this.results.length - 1, this.active + step));
    this.#host.requestUpdate();
  }

  /** Moves the active result to `index`. */
  activate(index: number): void {
    if (index < 0 || index >= this.results.length) return;
    this.active = index;
    this.#host.requestUpdate();
  }

  /** Loads the next older page of results for the same words, after those shown. */
  async loadMore(): Promise<void> {
    const before = this.#nextBefore;
    const q = this.query.trim().slice(0, 200);
    if (before === null || this.busy || q === '') return;
    this.busy = true;
    this.#host.requestUpdate();
    await this.#search(q, before);
  }

  #reset(query: string): void {
    clearTimeout(this.#timer);
    this.#request++;
    this.query = query;
    this.results = [];
    this.active = -1;
    this.busy = false;
    this.#nextBefore = null;
    this.#host.requestUpdate();
  }

  async #search(q: string, before?: number): Promise<void> {
    const searcher = this.#searcher();
    if (!searcher) return;
    const request = ++this.#request;
    try {
      const page = await searcher({ q, limit: SEARCH_PAGE, ...(before === undefined ? {} : { before }) });
      if (request !== this.#request) return;
      if (before === undefined) {
        this.results = page.messages;
        this.active = page.messages.length > 0 ? 0 : -1;
      } else {
        // The first of the new page becomes active, so that the keyboard goes on where the eye does.
        const known = new Set(this.results.map((message) => `${message.conversation}\n${message.id}`));
        const fresh = page.messages.filter((message) => !known.has(`${message.conversation}\n${message.id}`));
        if (fresh.length > 0) this.active = this.results.length;
        this.results = [...this.results, ...fresh];
      }
      this.#nextBefore = page.nextBefore;
    } catch (error) {
      if (request !== this.#request) return;
      this.#host.dispatchEvent(new TalkErrorEvent(asTalkError(error, TalkErrorCode.Network)));
    } finally {
      if (request === this.#request) {
        this.busy = false;
        this.#host.requestUpdate();
      }
    }
  }
}

/**
 * Splits `text` around the words of `query` (each matched as the start of a word, in any case, as the server does),
 * so that the matches can be marked; the pieces stay plain text.
 */
export function highlightParts(text: string, query: string): { text: string; match: boolean }[] {
  const words = query
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length === 0) return [{ text, match: false }];
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})`, 'giu');
  const parts: { text: string; match: boolean }[] = [];
  let at = 0;
  for (const found of text.matchAll(pattern)) {
    if (found.index > at) parts.push({ text: text.slice(at, found.index), match: false });
    parts.push({ text: found[0], match: true });
    at = found.index + found[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}
