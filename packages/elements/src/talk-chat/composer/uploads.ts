import { msg, str } from '@lit/localize';
import { asTalkError, type ChatStore, type TalkError, TalkErrorCode } from '@talk/call-core';
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { describeError } from '../../i18n/errors.js';
import { formatFileSize } from '../../i18n/format.js';

/** One file on its way: how far it is, how to cancel it, or why it failed. */
interface Upload {
  readonly key: number;
  readonly file: File;
  loaded: number;
  readonly controller: AbortController;
  error: TalkError | null;
}

/** What kind of failure: `too-large` (also a bare 413, which a proxy may answer without a body), `quota-exceeded`, or the error's code. */
export function uploadFailureOf(error: TalkError): string {
  if (error.serverCode === 'too-large' || error.status === 413) return 'too-large';
  return error.serverCode ?? error.code;
}

/** Why an upload failed, in the user's language: too large and a full quota said as such. */
export function describeUploadError(error: TalkError, lang: string, file: File): string {
  const name = file.name;
  if (uploadFailureOf(error) === 'too-large') {
    const size = formatFileSize(lang, file.size);
    return msg(str`${name} is too large to share (${size}).`, { id: 'chat.upload.too-large' });
  }
  if (error.serverCode === 'quota-exceeded') {
    return msg(str`${name} was not shared: the storage for files here is full.`, { id: 'chat.upload.quota' });
  }
  return msg(str`${name} was not shared: ${describeError(error)}`, { id: 'chat.upload.failed' });
}

/**
 * The composer's attachments: each file given (by the button, a drop or a paste) is uploaded at once with its
 * progress shown and a cancel button, then posted as a file message. A failure stays in the list with its reason
 * until dismissed; what is written in the textarea is never touched.
 */
export class Uploads {
  readonly #host: ReactiveControllerHost;
  readonly #uploads: Upload[] = [];
  #next = 0;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
  }

  /** Whether anything is listed. */
  get size(): number {
    return this.#uploads.length;
  }

  /** Uploads each file and posts it to `store` (as a reply to `replyTo` when given). */
  add(store: ChatStore, files: Iterable<File>, replyTo?: number): Promise<void>[] {
    return [...files].map((file) => this.#run(store, file, replyTo));
  }

  /** Cancels every upload still running (the chat is going away). */
  cancelAll(): void {
    for (const upload of this.#uploads) upload.controller.abort();
  }

  async #run(store: ChatStore, file: File, replyTo?: number): Promise<void> {
    const upload: Upload = { key: this.#next++, file, loaded: 0, controller: new AbortController(), error: null };
    this.#uploads.push(upload);
    this.#host.requestUpdate();
    try {
      const attachment = await store.client.uploadAttachment(store.conversation, file, {
        name: file.name,
        signal: upload.controller.signal,
        onProgress: ({ loaded }) => {
          upload.loaded = loaded;
          this.#host.requestUpdate();
        },
      });
      await store.send(attachment.name, { attachmentId: attachment.id, ...(replyTo === undefined ? {} : { replyTo }) });
      this.#remove(upload);
    } catch (cause) {
      const error = asTalkError(cause, TalkErrorCode.Network);
      if (error.code === TalkErrorCode.Aborted) this.#remove(upload);
      else {
        upload.error = error;
        this.#host.requestUpdate();
      }
    }
  }

  #remove(upload: Upload): void {
    const index = this.#uploads.indexOf(upload);
    if (index !== -1) this.#uploads.splice(index, 1);
    this.#host.requestUpdate();
  }

  /** The list of files on their way or failed, or nothing. */
  render(lang: string): TemplateResult | typeof nothing {
    if (this.#uploads.length === 0) return nothing;
    return html`<ul part="uploads" aria-label=${msg('Files being shared', { id: 'chat.upload.list' })}>
      ${this.#uploads.map((upload) => {
        const { file, error } = upload;
        const name = file.name;
        if (error) {
          const dismiss = msg(str`Dismiss ${name}`, { id: 'chat.upload.dismiss' });
          return html`<li part="upload" data-state="failed" data-code=${uploadFailureOf(error)}>
            <span class="upload-error" role="alert">${describeUploadError(error, lang, file)}</span>
            <button type="button" class="icon" aria-label=${dismiss} title=${dismiss} @click=${() => this.#remove(upload)}>✕</button>
          </li>`;
        }
        const percent = file.size === 0 ? 100 : Math.min(100, Math.round((upload.loaded / file.size) * 100));
        const cancel = msg(str`Cancel sharing ${name}`, { id: 'chat.upload.cancel' });
        const label = msg(str`Sharing ${name}`, { id: 'chat.upload.progress' });
        return html`<li part="upload" data-state="uploading">
          <span class="upload-name" dir="auto">${name}</span>
          <progress max="100" value=${percent} aria-label=${label}></progress>
          <span class="upload-percent">${new Intl.NumberFormat(lang, { style: 'percent' }).format(percent / 100)}</span>
          <button type="button" class="icon" aria-label=${cancel} title=${cancel} @click=${() => upload.controller.abort()}>✕</button>
        </li>`;
      })}
    </ul>`;
  }
}
