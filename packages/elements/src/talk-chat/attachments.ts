import { msg, str } from '@lit/localize';
import type { Attachment, ChatStore } from '@talk/call-core';
import { css, html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { formatFileSize } from '../i18n/format.js';
import { t } from '../theme/tokens.js';

/** Images the browser shows inline; anything else (SVG included) is offered as a download only. */
const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif']);

/** Whether the browser shows a file of this type inline; SVG is not shown, so its scripts never run. */
export function isPreviewable(contentType: string): boolean {
  return PREVIEWABLE.has(contentType);
}

/**
 * The signed URLs of the attachments a chat shows, asked for when a file message is first rendered and asked for
 * again once expired. The client hands out one URL per attachment until shortly before it expires, so images keep
 * their cached copies; the URLs work in `<img>` and `<a>` without a bearer header.
 */
export class AttachmentLinks {
  readonly #host: ReactiveControllerHost;
  readonly #store: () => ChatStore | null;
  readonly #urls = new Map<string, { url: string | null; expiresAt: number }>();

  constructor(host: ReactiveControllerHost, store: () => ChatStore | null) {
    this.#host = host;
    this.#store = store;
  }

  /** The attachment's URL, or null while it is being asked for (the host re-renders when it comes). */
  urlOf(attachment: Attachment): string | null {
    const store = this.#store();
    if (!store) return null;
    const key = `${store.conversation}\n${attachment.id}`;
    const known = this.#urls.get(key);
    if (known && (known.url === null || Date.now() < known.expiresAt)) return known.url;
    const entry = { url: known?.url ?? null, expiresAt: Number.POSITIVE_INFINITY };
    this.#urls.set(key, entry);
    store.client.attachmentUrl(store.conversation, attachment.id).then(
      ({ url, expiresAt }) => {
        entry.url = url;
        entry.expiresAt = Date.parse(expiresAt);
        this.#host.requestUpdate();
      },
      () => this.#urls.delete(key), // asked again at the next render
    );
    return entry.url;
  }
}

/** A file message: a preview for images, the name as a download link, the size. */
export function renderAttachment(attachment: Attachment, url: string | null, lang: string): TemplateResult {
  const size = formatFileSize(lang, attachment.size);
  const name = attachment.name;
  const image = isPreviewable(attachment.contentType);
  const download = msg(str`Download ${name}`, { id: 'chat.attachment.download' });
  return html`<div part="attachment" data-type=${attachment.contentType}>
    ${image && url ? html`<img part="attachment-preview" src=${url} alt="" loading="lazy" />` : nothing}
    <span class="attachment-line">
      ${
        url
          ? html`<a part="attachment-link" href=${url} download=${name} target="_blank" rel="noopener noreferrer" title=${download}
              ><bdi>${name}</bdi></a
            >`
          : html`<span part="attachment-link"><bdi>${name}</bdi></span>`
      }
      <span part="attachment-size">${size}</span>
    </span>
  </div>`;
}

/** How file messages look, and the chat while files are dragged over it. */
export const attachmentStyles = css`
  [part='attachment'] {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 4px;
  }
  [part='attachment-preview'] {
    max-inline-size: min(320px, 100%);
    max-block-size: 240px;
    border-radius: ${t.radius};
    object-fit: contain;
  }
  [part='attachment-link'] {
    color: ${t.accent};
    overflow-wrap: anywhere;
  }
  [part='attachment-size'] {
    margin-inline-start: 0.5em;
    font-size: 0.85em;
    color: ${t.muted};
  }
  [part='base'].dropping {
    outline: 2px dashed ${t.accent};
    outline-offset: -4px;
  }
`;
