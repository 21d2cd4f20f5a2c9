import { msg, str } from '@lit/localize';
import { type ChatItem, ChatItemState, type TalkClientLike } from '@talk/call-core';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ChatController } from '../controllers/chat-controller.js';
import { describeError } from '../i18n/errors.js';
import { formatDateTime, formatNumber, formatTime } from '../i18n/format.js';
import { LocaleController } from '../i18n/locale.js';
import { systemMessageText } from '../i18n/system-messages.js';
import { VERSION } from '../version.js';
import { styles } from './talk-chat.styles.js';

/**
 * The chat of one conversation: its messages, oldest first, and a composer. Messages show at once while sending
 * and can be retried when sending failed. What others write after the history loaded is announced to screen readers;
 * the history is not. Strings, dates and times follow the nearest `lang` (see `src/i18n/README.md`).
 *
 * @summary A conversation's messages and a composer.
 *
 * @fires talk-message-sent - The server stored a message the user wrote; `event.message` is it.
 * @fires talk-error - Sending a message failed for good; `event.error` says why.
 * @fires talk-token-expiring - The `token` it made its own client from expires soon; answer with `event.setToken()`.
 *
 * @slot composer-actions - Extra buttons next to the send button.
 *
 * @csspart base - The wrapper of everything.
 * @csspart messages - The scrolling list of messages.
 * @csspart message - One message; `data-state` is `sent`, `pending` or `failed`.
 * @csspart author - A message's author.
 * @csspart time - When a message was written; its title gives the full date.
 * @csspart text - A message's text.
 * @csspart system - A note the server wrote (joined, call started, …), in the user's language.
 * @csspart status - "Sending…" on a pending message.
 * @csspart retry - The retry button of a failed message.
 * @csspart error - Why the list could not load; `data-code` is the error's code.
 * @csspart composer - The form to write a message.
 * @csspart input - The composer's textarea.
 * @csspart send - The send button.
 *
 * @cssproperty [--talk-accent=var(--color-primary-element, #00679e)] - Primary buttons (send, join, share) and links.
 * @cssproperty [--talk-on-accent=var(--color-primary-element-text, #fff)] - Text on the accent colour.
 * @cssproperty [--talk-surface=var(--color-main-background, #fff)] - Background of the chat and its composer. Built in: #fff light, #171717 dark.
 * @cssproperty [--talk-text=var(--color-main-text, #222)] - Text. Built in: #222 light, #ebebeb dark.
 * @cssproperty [--talk-muted=var(--color-text-maxcontrast, #6b6b6b)] - Secondary text: authors, statuses, placeholders. Built in: #6b6b6b light, #a6a6a6 dark.
 * @cssproperty [--talk-border=var(--color-border, #ddd)] - Dividers, such as the line above the composer. Built in: #ddd light, #3b3b3b dark.
 * @cssproperty [--talk-input-border=var(--color-border-maxcontrast, #949494)] - Border of text fields and pickers. Built in: #949494 light, #8c8c8c dark.
 * @cssproperty [--talk-danger=var(--color-error, #c42e2e)] - Failures, the leave and stop-sharing buttons. Built in: #c42e2e light, #ff6b6b dark.
 * @cssproperty [--talk-radius=var(--border-radius-large, 8px)] - Corner radius of boxes and buttons.
 * @cssproperty [--talk-font-family=var(--font-face, system-ui, sans-serif)] - Font family.
 * @cssproperty [--talk-color-scheme=light dark] - Which schemes the elements may use (`light`, `dark` or `light dark`, which follows prefers-color-scheme); the `theme` attribute wins.
 *
 * @tag talk-chat
 */
export class TalkChat extends LitElement {
  /** The version of `@talk/elements` this class comes from. */
  static readonly version = VERSION;

  static override styles = styles;

  /** Base URL of the Talk server; empty means this page's origin. Ignored when `client` is set. */
  @property({ attribute: 'server-url' }) serverUrl?: string;

  /** Bearer token for the server. Ignored when `client` is set. */
  @property() token?: string;

  /** The conversation's token. */
  @property() conversation?: string;

  /** A client shared with other elements on the page; wins over `server-url` and `token`. */
  @property({ attribute: false }) client?: TalkClientLike;

  /** Light or dark; unset follows the page (`--talk-color-scheme`, else the reader's prefers-color-scheme). */
  @property({ reflect: true }) theme?: 'light' | 'dark';

  /** Placeholder of the composer; a translated "Write a message…" when unset. */
  @property() placeholder?: string;

  readonly #locale = new LocaleController(this);
  readonly #chat = new ChatController(this);

  @query('[part="messages"]') private list?: HTMLOListElement;
  @query('[part="input"]') private input?: HTMLTextAreaElement;

  /** Sends `text` as the user, as the composer does; resolves once it is stored or has failed. */
  send(text: string): Promise<void> {
    const message = text.trim();
    return message ? this.#chat.send(message) : Promise.resolve();
  }

  override render() {
    const { items, error } = this.#chat;
    return html`<div part="base">
      ${error ? html`<div part="error" role="alert" data-code=${error.code}>${describeError(error)}</div>` : nothing}
      <ol part="messages" aria-label=${msg('Messages', { id: 'chat.messages.label' })} tabindex="0">
        ${repeat(
          items,
          (item) => item.key,
          (item) => this.#renderItem(item),
        )}
      </ol>
      <div class="announcer" role="status">${this.#announcement()}</div>
      <form part="composer" @submit=${this.#submit}>
        <textarea
          part="input"
          rows="2"
          aria-label=${msg('Message', { id: 'chat.composer.label' })}
          placeholder=${this.placeholder ?? msg('Write a message…', { id: 'chat.composer.placeholder' })}
          @keydown=${this.#keydown}
        ></textarea>
        <slot name="composer-actions"></slot>
        <button part="send" type="submit" ?disabled=${!this.#chat.store}>
          ${msg('Send', { id: 'chat.composer.send' })}
        </button>
      </form>
    </div>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    // New messages arrive at the bottom; keep them in view.
    this.list?.scrollTo({ top: this.list.scrollHeight });
  }

  #renderItem(item: ChatItem) {
    const { lang } = this.#locale;
    const time = html`<time part="time" datetime=${item.createdAt} title=${formatDateTime(lang, item.createdAt)}>
      ${formatTime(lang, item.createdAt)}
    </time>`;
    if (item.kind === 'system') {
      return html`<li part="system" data-id=${item.id ?? nothing} data-type=${item.systemType ?? nothing}>
        <span>${systemMessageText(item)}</span> ${time}
      </li>`;
    }
    return html`<li part="message" data-state=${item.state} data-id=${item.id ?? nothing}>
      <span part="author">${item.actorDisplayName || item.actorId}</span>
      <span part="text">${item.message}</span>
      ${item.state === ChatItemState.Sent ? time : nothing}
      ${
        item.state === ChatItemState.Pending
          ? html`<span part="status">${msg('Sending…', { id: 'chat.message.pending' })}</span>`
          : nothing
      }
      ${
        item.state === ChatItemState.Failed
          ? html`<span part="status">${msg('Not sent.', { id: 'chat.message.failed' })}</span>
              <button part="retry" type="button" @click=${() => item.referenceId && this.#chat.retry(item.referenceId)}>
                ${msg('Retry', { id: 'chat.message.retry' })}
              </button>`
          : nothing
      }
    </li>`;
  }

  /** What the live region says about the last arrivals: the message itself, or how many came at once. */
  #announcement(): string {
    const arrived = this.#chat.arrived;
    if (arrived.length === 0) return '';
    if (arrived.length === 1) {
      const item = arrived[0]!;
      if (item.kind === 'system') return systemMessageText(item);
      const author = item.actorDisplayName || item.actorId;
      const text = item.message;
      return msg(str`${author} wrote: ${text}`, { id: 'chat.announce.message' });
    }
    const count = formatNumber(this.#locale.lang, arrived.length);
    const forms = {
      zero: () => msg(str`${count} new messages`, { id: 'chat.announce.count.zero' }),
      one: () => msg(str`${count} new message`, { id: 'chat.announce.count.one' }),
      two: () => msg(str`${count} new messages`, { id: 'chat.announce.count.two' }),
      few: () => msg(str`${count} new messages`, { id: 'chat.announce.count.few' }),
      many: () => msg(str`${count} new messages`, { id: 'chat.announce.count.many' }),
      other: () => msg(str`${count} new messages`, { id: 'chat.announce.count.other' }),
    };
    return forms[this.#locale.plural(arrived.length)]();
  }

  #keydown(event: KeyboardEvent): void {
    // Enter sends and Shift+Enter breaks the line, as in Talk; during IME composition Enter picks a candidate.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.#submit();
  }

  #submit(event?: Event): void {
    event?.preventDefault();
    const input = this.input;
    if (!input?.value.trim()) return;
    const text = input.value;
    input.value = '';
    void this.send(text);
  }
}
