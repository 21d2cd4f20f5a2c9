import { msg } from '@lit/localize';
import type { Mention } from '@talk/call-core';
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';

/** How long typing must pause before the server is asked, in milliseconds. */
const DEBOUNCE_MS = 150;
/** The id of the listbox, which the textarea's `aria-controls` names. */
export const MENTION_LIST_ID = 'mention-suggestions';

/** The `@…` being written just before the caret: where its `@` is and what follows it. */
export interface MentionQuery {
  /** Index of the `@` in the text. */
  readonly start: number;
  /** What follows the `@`, up to the caret. */
  readonly search: string;
}

/**
 * The mention being typed at `caret`: an `@` at the start or after a character that is not a word character, `@`
 * or `"` (as the server reads mentions), followed by no space.
 */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const match = /(?:^|[^\w@"])@([^\s@"]{0,64})$/u.exec(text.slice(0, caret));
  if (!match) return null;
  const search = match[1]!;
  return { start: caret - search.length - 1, search };
}

/** The text that makes the server read `mention`: `@id` for users whose id reads bare, `@"…"` otherwise. */
export function mentionText(mention: Mention): string {
  if (mention.type === 'all') return '@all';
  if (mention.type === 'user' && /^[A-Za-z0-9._@-]*[A-Za-z0-9_-]$/.test(mention.id)) return `@${mention.id}`;
  return `@"${mention.type === 'guest' ? mention.name : mention.id}"`;
}

/** Asks for suggestions: the client's `mentionSuggestions` of the current conversation. */
export type SuggestFn = (search: string) => Promise<Mention[]>;

/**
 * The `@` autocomplete of the composer, after the ARIA combobox pattern with a textarea: the textarea keeps focus
 * and points at the highlighted option with `aria-activedescendant`; arrows move, Enter or Tab picks, Escape
 * closes. The server is asked after a pause in typing, and only its answer to the latest question is shown.
 */
export class MentionAutocomplete {
  /** The suggestions shown; empty when closed. */
  suggestions: readonly Mention[] = [];
  /** The highlighted suggestion. */
  active = 0;
  readonly #host: ReactiveControllerHost;
  #query: MentionQuery | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #asked = 0;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
  }

  /** Whether the popup is showing. */
  get open(): boolean {
    return this.suggestions.length > 0;
  }

  /** Looks at the text before the caret; asks for suggestions (debounced) while an `@…` is being typed. */
  update(text: string, caret: number, suggest: SuggestFn | null): void {
    const query = suggest ? mentionQueryAt(text, caret) : null;
    clearTimeout(this.#timer);
    if (!query || !suggest) {
      this.close();
      return;
    }
    this.#query = query;
    const asked = ++this.#asked;
    this.#timer = setTimeout(() => {
      suggest(query.search).then(
        (found) => {
          if (asked !== this.#asked) return; // an answer to an older question
          this.suggestions = found;
          this.active = 0;
          this.#host.requestUpdate();
        },
        () => asked === this.#asked && this.close(),
      );
    }, DEBOUNCE_MS);
  }

  /** Closes the popup and forgets pending answers. */
  close(): void {
    clearTimeout(this.#timer);
    this.#asked++;
    const wasOpen = this.open;
    this.suggestions = [];
    this.#query = null;
    if (wasOpen) this.#host.requestUpdate();
  }

  /** Handles the popup's keys; true when the key was used (the caller then prevents its default). */
  keydown(event: KeyboardEvent, pick: (mention: Mention) => void): boolean {
    if (!this.open) return false;
    const count = this.suggestions.length;
    switch (event.key) {
      case 'ArrowDown':
        this.active = (this.active + 1) % count;
        break;
      case 'ArrowUp':
        this.active = (this.active - 1 + count) % count;
        break;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey || event.isComposing) return false;
        pick(this.suggestions[this.active]!);
        return true;
      case 'Escape':
        this.close();
        return true;
      default:
        return false;
    }
    this.#host.requestUpdate();
    return true;
  }

  /** `text` with the `@…` being typed replaced by `mention`, and where the caret goes after it. */
  insert(text: string, mention: Mention): { text: string; caret: number } | null {
    const query = this.#query;
    this.close();
    if (!query) return null;
    const end = query.start + 1 + query.search.length;
    const inserted = `${mentionText(mention)} `;
    return { text: text.slice(0, query.start) + inserted + text.slice(end), caret: query.start + inserted.length };
  }

  /** The id of the highlighted option, for the textarea's `aria-activedescendant`. */
  get activeId(): string | undefined {
    return this.open ? `${MENTION_LIST_ID}-${this.active}` : undefined;
  }

  /** The listbox; `pick` is called with the option clicked. */
  render(pick: (mention: Mention) => void): TemplateResult | typeof nothing {
    if (!this.open) return nothing;
    return html`<ul
      part="mentions"
      id=${MENTION_LIST_ID}
      role="listbox"
      aria-label=${msg('People to mention', { id: 'chat.composer.mentions.label' })}
    >
      ${this.suggestions.map(
        (mention, index) => html`<li
          id=${`${MENTION_LIST_ID}-${index}`}
          role="option"
          aria-selected=${index === this.active ? 'true' : 'false'}
          data-id=${mention.id}
          @mousedown=${(event: Event) => event.preventDefault()}
          @click=${() => pick(mention)}
        >
          ${
            mention.type === 'all'
              ? html`<span class="mention-name">@all</span>
                  <span class="mention-id">${msg('Everyone in this conversation', { id: 'chat.composer.mentions.all' })}</span>`
              : html`<span class="mention-name"><bdi>${mention.name}</bdi></span>
                  <span class="mention-id"><bdi>${mention.id}</bdi></span>`
          }
        </li>`,
      )}
    </ul>`;
  }
}
