import { asTalkError, type ChatMessage, type TalkClientLike, TalkErrorCode } from '@talk/call-core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { TalkErrorEvent } from '../../events/talk-error.js';

/** The client method search needs; a stand-in client without it (the fixture) offers no search. */
export type SearchClient = Required<Pick<TalkClientLike, 'searchMessages'>>;

/** How long typing must pause before a search goes out. */
export const SEARCH_DEBOUNCE_MS = 250;

/** The client as a search client, when it has the method. */
export function searchClientOf(client: TalkClientLike): SearchClient | null {
  const { searchMessages } = client;
  return searchMessages ? { searchMessages: searchMessages.bind(client) } : null;
}

/**
 * The search box's state: open or not, the words, the results (newest first) and the one the arrow keys are on.
 * Typing searches after a short pause; only the answer to the latest words is kept, so a slow early answer never
 * replaces a later one.
 */
export class SearchController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #source: () => { client: TalkClientLike; conversation: string } | null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #request = 0;

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

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    source: () => { client: TalkClientLike; conversation: string } | null,
  ) {
    this.#host = host;
    this.#source = source;
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#request++;
  }

  /** Whether search works with this client. */
  get available(): boolean {
    const source = this.#source();
    return source !== null && searchClientOf(source.client) !== null;
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
    this.#timer = setTimeout(() => void this.#search(query.trim()), SEARCH_DEBOUNCE_MS);
    this.#host.requestUpdate();
  }

  /** Moves the active result by `step`, stopping at the ends. */
  move(step: number): void {
    if (this.results.length === 0) return;
    this.active = Math.max(0, Math.min(this.results.length - 1, this.active + step));
    this.#host.requestUpdate();
  }

  #reset(query: string): void {
    clearTimeout(this.#timer);
    this.#request++;
    this.query = query;
    this.results = [];
    this.active = -1;
    this.busy = false;
    this.#host.requestUpdate();
  }

  async #search(q: string): Promise<void> {
    const source = this.#source();
    const client = source && searchClientOf(source.client);
    if (!source || !client) return;
    const request = ++this.#request;
    try {
      const page = await client.searchMessages(source.conversation, { q: q.slice(0, 200), limit: 20 });
      if (request !== this.#request) return;
      this.results = page.messages;
      this.active = page.messages.length > 0 ? 0 : -1;
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
