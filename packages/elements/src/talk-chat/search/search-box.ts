import { msg } from '@lit/localize';
import type { ChatMessage } from '@talk/call-core';
import { css, html, nothing, type TemplateResult } from 'lit';
import { highlightParts, type SearchController } from '../../controllers/search-controller.js';
import { t } from '../../theme/tokens.js';
import { oneLine } from '../pins/pinned-bar.js';

/** What the box does when used. */
export interface SearchBoxActions {
  /** Opens a result in context. */
  readonly jump: (messageId: number) => void;
  /** Closes the box. */
  readonly close: () => void;
}

function renderResult(message: ChatMessage, index: number, search: SearchController, actions: SearchBoxActions) {
  const author = message.actorDisplayName || message.actorId;
  return html`<li
    part="search-result"
    id=${`search-result-${index}`}
    role="option"
    data-id=${message.id}
    aria-selected=${index === search.active ? 'true' : 'false'}
    @click=${() => actions.jump(message.id)}
  >
    <span class="result-author"><bdi>${author}</bdi></span>
    <span class="result-text" dir="auto"
      >${highlightParts(oneLine(message.message), search.query).map((part) =>
        part.match ? html`<mark>${part.text}</mark>` : part.text,
      )}</span
    >
  </li>`;
}

/**
 * The search box under the header: a search field that owns the results listbox (arrow keys move, Enter opens,
 * Escape closes; Down past the last result loads older ones, as "More results" does), and how many were found.
 */
export function renderSearchBox(search: SearchController, actions: SearchBoxActions): TemplateResult | typeof nothing {
  if (!search.open) return nothing;
  const keydown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') {
      // Past the last result, the next page, as the "More results" button does.
      if (search.active === search.results.length - 1 && search.more) void search.loadMore();
      else search.move(1);
    } else if (event.key === 'ArrowUp') search.move(-1);
    else if (event.key === 'Enter') {
      const result = search.results[search.active];
      if (result) actions.jump(result.id);
    } else if (event.key === 'Escape') actions.close();
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
  const hasResults = search.results.length > 0;
  const status = search.busy
    ? msg('Searching…', { id: 'chat.search.busy' })
    : search.query.trim() !== '' && !hasResults
      ? msg('No messages found', { id: 'chat.search.none' })
      : '';
  return html`<div part="search" role="search">
    <input
      part="search-input"
      type="search"
      role="combobox"
      aria-label=${msg('Search messages', { id: 'chat.search.label' })}
      placeholder=${msg('Search messages', { id: 'chat.search.label' })}
      aria-expanded=${hasResults ? 'true' : 'false'}
      aria-controls="search-results"
      aria-autocomplete="list"
      aria-activedescendant=${search.active >= 0 ? `search-result-${search.active}` : nothing}
      .value=${search.query}
      @input=${(event: InputEvent) => search.type((event.target as HTMLInputElement).value)}
      @keydown=${keydown}
    />
    <div class="search-status" role="status">${status}</div>
    <ul
      part="search-results"
      id="search-results"
      role="listbox"
      aria-label=${msg('Search results', { id: 'chat.search.results' })}
      ?hidden=${!hasResults}
    >
      ${search.results.map((message, index) => renderResult(message, index, search, actions))}
    </ul>
    ${
      hasResults && search.more
        ? html`<button
            part="search-more"
            type="button"
            ?disabled=${search.busy}
            @click=${() => void search.loadMore()}
          >
            ${msg('More results', { id: 'chat.search.more' })}
          </button>`
        : nothing
    }
  </div>`;
}

/** The box's look: a field the width of the chat, the results in a scrolling list below it. */
export const searchBoxStyles = css`
  .header {
    display: flex;
    justify-content: flex-end;
    gap: 0.25em;
    padding-block: 0.25em;
    padding-inline: 0.5em;
    border-block-end: 1px solid ${t.border};
  }
  [part='search'] {
    padding-block: 0.5em;
    padding-inline: 0.75em;
    border-block-end: 1px solid ${t.border};
  }
  [part='search-input'] {
    box-sizing: border-box;
    inline-size: 100%;
    font: inherit;
    color: ${t.text};
    background: ${t.surface};
    border: 1px solid ${t.inputBorder};
    border-radius: ${t.radius};
    padding-block: 0.375em;
    padding-inline: 0.5em;
  }
  .search-status {
    color: ${t.muted};
    font-size: 0.875em;
  }
  .search-status:empty {
    display: none;
  }
  [part='search-results'] {
    list-style: none;
    margin: 0;
    padding: 0;
    max-block-size: 12em;
    overflow-y: auto;
  }
  [part='search-result'] {
    display: flex;
    gap: 0.5em;
    padding-block: 0.25em;
    padding-inline: 0.5em;
    border-radius: ${t.radius};
    cursor: pointer;
  }
  [part='search-result'][aria-selected='true'],
  [part='search-result']:hover {
    background: ${t.control};
  }
  .result-author {
    font-weight: 600;
    flex: none;
  }
  .result-text {
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  [part='search-more'] {
    margin-block-start: 0.25em;
  }
  [part='search-result'] mark {
    background: none;
    color: inherit;
    font-weight: 700;
    text-decoration: underline;
  }
`;
