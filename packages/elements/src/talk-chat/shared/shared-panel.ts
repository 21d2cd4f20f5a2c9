import { msg, str } from '@lit/localize';
import type { Attachment, ChatMessage, SharedItemType } from '@talk/call-core';
import { css, html, nothing, type TemplateResult } from 'lit';
import { formatFileSize, formatRelativeTime } from '../../i18n/format.js';
import { t } from '../../theme/tokens.js';
import { isPreviewable } from '../attachments.js';
import { oneLine } from '../pins/pinned-bar.js';
import { SHARED_TYPES, type SharedItemsController } from './shared-controller.js';

/** What the panel does when used, and what it needs from the chat. */
export interface SharedPanelContext {
  readonly lang: string;
  /** An attachment's signed URL, or null while it is asked for. */
  readonly urlOf: (attachment: Attachment) => string | null;
  /** Opens the item's message in context. */
  readonly jump: (messageId: number) => void;
  /** Closes the panel. */
  readonly close: () => void;
}

/** The first web address in a message's text, shown as the link's title. */
export function firstLink(text: string): string | null {
  return /https?:\/\/[^\s<>"'`]+/i.exec(text)?.[0] ?? null;
}

function heading(type: SharedItemType): string {
  switch (type) {
    case 'image':
      return msg('Images', { id: 'chat.shared.images' });
    case 'file':
      return msg('Files', { id: 'chat.shared.files' });
    case 'link':
      return msg('Links', { id: 'chat.shared.links' });
    case 'poll':
      return msg('Polls', { id: 'chat.shared.polls' });
  }
}

function byline(item: ChatMessage, lang: string): string {
  const author = item.actorDisplayName || item.actorId;
  const date = formatRelativeTime(lang, item.createdAt);
  return msg(str`${author}, ${date}`, { id: 'chat.shared.byline' });
}

function renderItem(type: SharedItemType, item: ChatMessage, context: SharedPanelContext): TemplateResult {
  const open = () => context.jump(item.id);
  const attachment = item.attachment;
  if (type === 'image' && attachment) {
    const url = isPreviewable(attachment.contentType) ? context.urlOf(attachment) : null;
    return html`<li>
      <button
        part="shared-item"
        type="button"
        class="thumbnail"
        data-type=${type}
        data-id=${item.id}
        aria-label=${attachment.name}
        title=${`${attachment.name} · ${byline(item, context.lang)}`}
        @click=${open}
      >
        ${url ? html`<img part="shared-thumbnail" src=${url} alt="" loading="lazy" />` : html`<span aria-hidden="true">🖼️</span>`}
      </button>
    </li>`;
  }
  const [icon, title, detail] =
    type === 'file' && attachment
      ? ['📄', attachment.name, `${formatFileSize(context.lang, attachment.size)} · ${byline(item, context.lang)}`]
      : type === 'link'
        ? ['🔗', firstLink(item.message) ?? oneLine(item.message), byline(item, context.lang)]
        : ['📊', oneLine(item.message), byline(item, context.lang)];
  return html`<li>
    <button part="shared-item" type="button" class="entry" data-type=${type} data-id=${item.id} @click=${open}>
      <span class="entry-icon" aria-hidden="true">${icon}</span>
      <span class="entry-text">
        <bdi class="entry-title" dir="auto">${title}</bdi>
        <span class="entry-detail"><bdi>${detail}</bdi></span>
      </span>
    </button>
  </li>`;
}

function renderSection(type: SharedItemType, shared: SharedItemsController, context: SharedPanelContext) {
  const section = shared.sections[type];
  if (section.items.length === 0) return nothing;
  const id = `shared-${type}`;
  return html`<section part="shared-section" data-type=${type} aria-labelledby=${id}>
    <h3 id=${id}>${heading(type)}</h3>
    <ul class=${type === 'image' ? 'grid' : 'entries'}>
      ${section.items.map((item) => renderItem(type, item, context))}
    </ul>
    ${
      section.more
        ? html`<button
            part="shared-more"
            type="button"
            data-type=${type}
            ?disabled=${section.loading}
            aria-busy=${section.loading ? 'true' : 'false'}
            @click=${() => void shared.more(type)}
          >
            ${msg('Show more', { id: 'chat.shared.more' })}
          </button>`
        : nothing
    }
  </section>`;
}

/**
 * The shared-items panel, after Nextcloud Talk's sidebar: the conversation's images (thumbnails), files, links and
 * polls, newest first, each type with "Show more"; an item opens its message in context. Escape closes it.
 */
export function renderSharedPanel(
  shared: SharedItemsController,
  context: SharedPanelContext,
): TemplateResult | typeof nothing {
  if (!shared.open) return nothing;
  const title = msg('Shared items', { id: 'chat.shared.title' });
  const close = msg('Close shared items', { id: 'chat.shared.close' });
  const keydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    context.close();
  };
  return html`<aside
    part="shared"
    aria-labelledby="shared-title"
    aria-busy=${shared.loading ? 'true' : 'false'}
    @keydown=${keydown}
  >
    <div class="shared-header">
      <h2 id="shared-title">${title}</h2>
      <button type="button" class="icon" data-action="close-shared" aria-label=${close} title=${close} @click=${context.close}>
        ✕
      </button>
    </div>
    <div class="shared-status" role="status">
      ${
        shared.loading
          ? msg('Loading…', { id: 'chat.shared.loading' })
          : shared.empty
            ? msg('Nothing has been shared here yet', { id: 'chat.shared.empty' })
            : ''
      }
    </div>
    ${SHARED_TYPES.map((type) => renderSection(type, shared, context))}
  </aside>`;
}

/** The panel's look: a column at the inline end over the list, thumbnails in a grid, entries on two lines. */
export const sharedPanelStyles = css`
  [part='shared'] {
    position: absolute;
    inset-block: 0;
    inset-inline-end: 0;
    z-index: 2;
    box-sizing: border-box;
    inline-size: min(20rem, 100%);
    overflow-y: auto;
    padding-block: 0.5em;
    padding-inline: 0.75em;
    background: ${t.surface};
    color: ${t.text};
    border-inline-start: 1px solid ${t.border};
    box-shadow: 0 0 8px color-mix(in srgb, ${t.text} 20%, transparent);
  }
  .shared-header {
    display: flex;
    align-items: center;
    justify-content: space-between;
  }
  [part='shared'] h2 {
    font-size: 1em;
    margin: 0;
  }
  [part='shared'] h3 {
    font-size: 0.875em;
    color: ${t.muted};
    margin-block: 0.75em 0.25em;
  }
  .shared-status {
    color: ${t.muted};
    font-size: 0.875em;
  }
  .shared-status:empty {
    display: none;
  }
  [part='shared'] ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  [part='shared'] ul.grid {
    display: grid;
    grid-template-columns: repeat(3, 1fr);
    gap: 4px;
  }
  [part='shared-item'] {
    font: inherit;
    color: inherit;
    background: none;
    border: none;
    cursor: pointer;
    border-radius: ${t.radius};
  }
  [part='shared-item'].thumbnail {
    inline-size: 100%;
    aspect-ratio: 1;
    padding: 0;
    overflow: hidden;
    background: ${t.control};
    font-size: 1.5em;
  }
  [part='shared-thumbnail'] {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
    display: block;
  }
  [part='shared-item'].entry {
    display: flex;
    gap: 0.5em;
    align-items: flex-start;
    inline-size: 100%;
    text-align: start;
    padding-block: 0.25em;
    padding-inline: 0.25em;
  }
  [part='shared-item']:hover {
    background: ${t.control};
  }
  .entry-text {
    display: flex;
    flex-direction: column;
    min-inline-size: 0;
  }
  .entry-title,
  .entry-detail {
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .entry-detail {
    color: ${t.muted};
    font-size: 0.8125em;
  }
  [part='shared-more'] {
    margin-block-start: 0.25em;
  }
`;
