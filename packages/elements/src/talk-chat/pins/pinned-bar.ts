import { msg, str } from '@lit/localize';
import { css, html, nothing, type TemplateResult } from 'lit';
import { formatNumber } from '../../i18n/format.js';
import { t } from '../../theme/tokens.js';
import type { PinnedMessage } from './pins-controller.js';

/** What the bar does when used. */
export interface PinnedBarActions {
  /** Opens the message in context. */
  readonly jump: (messageId: number) => void;
  /** Shows the next (1) or previous (-1) pin. */
  readonly cycle: (step: 1 | -1) => void;
}

/** A message's text on one line: markdown marks and line breaks would only be noise in a bar. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The bar above the list: the pinned message shown now (author and one line of its text, a button that opens it in
 * context), how many there are, and previous/next when there are several. Nothing when nothing is pinned.
 */
export function renderPinnedBar(
  lang: string,
  pins: readonly PinnedMessage[],
  index: number,
  actions: PinnedBarActions,
): TemplateResult | typeof nothing {
  const pin = pins[index];
  if (!pin) return nothing;
  const author = pin.message.actorDisplayName || pin.message.actorId;
  const position = formatNumber(lang, index + 1);
  const total = formatNumber(lang, pins.length);
  const label = msg('Pinned messages', { id: 'chat.pins.label' });
  return html`<div part="pinned" role="region" aria-label=${label} data-count=${pins.length}>
    <span class="pin-icon" aria-hidden="true">📌</span>
    <button
      part="pinned-message"
      type="button"
      class="pinned-message"
      data-id=${pin.message.id}
      @click=${() => actions.jump(pin.message.id)}
    >
      <span class="pinned-author"><bdi>${author}</bdi></span>
      <span class="pinned-text" dir="auto">${oneLine(pin.message.message)}</span>
    </button>
    ${
      pins.length > 1
        ? html`<span part="pinned-count">${msg(str`${position} of ${total}`, { id: 'chat.pins.position' })}</span>
            <button
              type="button"
              class="icon"
              data-action="previous-pin"
              aria-label=${msg('Previous pinned message', { id: 'chat.pins.previous' })}
              title=${msg('Previous pinned message', { id: 'chat.pins.previous' })}
              @click=${() => actions.cycle(-1)}
            >
              <span class="flip" aria-hidden="true">‹</span>
            </button>
            <button
              type="button"
              class="icon"
              data-action="next-pin"
              aria-label=${msg('Next pinned message', { id: 'chat.pins.next' })}
              title=${msg('Next pinned message', { id: 'chat.pins.next' })}
              @click=${() => actions.cycle(1)}
            >
              <span class="flip" aria-hidden="true">›</span>
            </button>`
        : nothing
    }
  </div>`;
}

/** The bar's look: one line under the header, the text cut with an ellipsis. */
export const pinnedBarStyles = css`
  [part='pinned'] {
    display: flex;
    align-items: center;
    gap: 0.5em;
    padding-block: 0.25em;
    padding-inline: 0.75em;
    border-block-end: 1px solid ${t.border};
    background: ${t.surface};
    color: ${t.text};
  }
  .pinned-message {
    flex: 1;
    min-inline-size: 0;
    display: flex;
    gap: 0.5em;
    align-items: baseline;
    border: none;
    background: none;
    color: inherit;
    font: inherit;
    text-align: start;
    cursor: pointer;
    padding-block: 0.25em;
    padding-inline: 0.25em;
    border-radius: ${t.radius};
  }
  .pinned-message:hover {
    background: ${t.control};
  }
  .pinned-author {
    font-weight: 600;
    flex: none;
  }
  .pinned-text {
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  [part='pinned-count'] {
    color: ${t.muted};
    font-size: 0.875em;
    flex: none;
  }
  /* A message opened from a pin or a search result, for a moment, so that the eye finds it: an accent ring on the
     focus background, since an accent tint behind the muted author and time took them below AA contrast. */
  [part='message'][data-highlighted] {
    background: color-mix(in srgb, ${t.control} 45%, transparent);
    outline: 2px solid ${t.accent};
    outline-offset: -2px;
  }
  :host(:dir(rtl)) .flip {
    display: inline-block;
    transform: scaleX(-1);
  }
`;
