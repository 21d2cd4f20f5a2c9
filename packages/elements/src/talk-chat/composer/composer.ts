import { msg, str } from '@lit/localize';
import type { ChatItem } from '@talk/call-core';
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ChatController } from '../../controllers/chat-controller.js';

/** What the composer needs from the chat element that holds it. */
export interface ComposerHost extends ReactiveControllerHost, HTMLElement {
  /** Where the composer's textarea lives. */
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** Placeholder of the textarea; a translated "Write a message…" when unset. */
  placeholder?: string;
}

/** What the composer calls back in the chat element. */
export interface ComposerOptions {
  /** The chat's store and its reporting of failures. */
  readonly chat: ChatController;
  /** Just before a new message goes out: the list scrolls to the bottom to show it. */
  readonly onSend: () => void;
}

/**
 * The composer of `<talk-chat>`: the textarea with its keys (Enter sends, Shift+Enter breaks the line, Up edits
 * one's last message, Escape cancels), the reply or edit in progress, and typing notices. It renders into the
 * chat's shadow root, so the chat's parts and styles stay where they were.
 */
export class Composer implements ReactiveController {
  /** The message being answered, or null. */
  replyTo: ChatItem | null = null;
  /** One's own message being edited, or null. */
  editing: ChatItem | null = null;
  readonly #host: ComposerHost;
  readonly #options: ComposerOptions;

  constructor(host: ComposerHost, options: ComposerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#options.chat.store?.stopTyping();
  }

  /** The textarea, once rendered. */
  get input(): HTMLTextAreaElement | null {
    return this.#host.renderRoot.querySelector<HTMLTextAreaElement>('[part="input"]');
  }

  /** Sends `text` as the user (as a reply when one is in progress); resolves once it is stored or has failed. */
  send(text: string): Promise<void> {
    const message = text.trim();
    if (!message) return Promise.resolve();
    const replyTo = this.replyTo?.id ?? undefined;
    this.#set({ replyTo: null });
    this.#options.onSend();
    return this.#options.chat.send(message, replyTo);
  }

  /** Starts a reply to `item` and focuses the textarea. */
  async startReply(item: ChatItem): Promise<void> {
    this.#set({ editing: null, replyTo: item });
    await this.#host.updateComplete;
    this.input?.focus();
  }

  /** Puts one's own `item` into the textarea for editing. */
  async startEdit(item: ChatItem): Promise<void> {
    this.#set({ replyTo: null, editing: item });
    await this.#host.updateComplete;
    const input = this.input;
    if (!input) return;
    input.value = item.message;
    input.focus();
    input.setSelectionRange(item.message.length, item.message.length);
  }

  /** The form: the reply or edit in progress, the textarea, the host's extra actions and the send button. */
  render(): TemplateResult {
    const { store } = this.#options.chat;
    return html`<form part="composer" @submit=${this.#submit}>
      ${this.#renderContext()}
      <div class="composer-row">
        <textarea
          part="input"
          rows="2"
          aria-label=${msg('Message', { id: 'chat.composer.label' })}
          placeholder=${this.#host.placeholder ?? msg('Write a message…', { id: 'chat.composer.placeholder' })}
          @keydown=${this.#keydown}
          @input=${this.#onInput}
          @blur=${() => this.#options.chat.store?.stopTyping()}
        ></textarea>
        <slot name="composer-actions"></slot>
        <button part="send" type="submit" ?disabled=${!store}>
          ${this.editing ? msg('Save', { id: 'chat.composer.save' }) : msg('Send', { id: 'chat.composer.send' })}
        </button>
      </div>
    </form>`;
  }

  #set(change: { replyTo?: ChatItem | null; editing?: ChatItem | null }): void {
    if (change.replyTo !== undefined) this.replyTo = change.replyTo;
    if (change.editing !== undefined) this.editing = change.editing;
    this.#host.requestUpdate();
  }

  #renderContext() {
    const target = this.editing ?? this.replyTo;
    if (!target) return nothing;
    const author = target.actorDisplayName || target.actorId;
    const label = this.editing
      ? msg('Editing your message', { id: 'chat.composer.editing' })
      : msg(str`Replying to ${author}`, { id: 'chat.composer.replying' });
    const cancel = this.editing
      ? msg('Cancel editing', { id: 'chat.composer.cancel-edit' })
      : msg('Cancel reply', { id: 'chat.composer.cancel-reply' });
    return html`<div part="composer-context">
      <div class="context-text">
        <strong>${label}</strong>
        <span class="context-quote" dir="auto">${target.message}</span>
      </div>
      <button type="button" class="icon" aria-label=${cancel} title=${cancel} @click=${this.#cancelContext}>✕</button>
    </div>`;
  }

  #cancelContext = (): void => {
    const input = this.input;
    if (this.editing && input) input.value = '';
    this.#set({ editing: null, replyTo: null });
    input?.focus();
  };

  #onInput = (): void => {
    const store = this.#options.chat.store;
    if (!store || this.editing) return;
    if (this.input?.value) store.noteTyping();
    else store.stopTyping();
  };

  #keydown = (event: KeyboardEvent): void => {
    const input = this.input;
    if (event.key === 'Escape' && (this.replyTo || this.editing)) {
      event.preventDefault();
      this.#cancelContext();
      return;
    }
    // Up in an empty composer edits one's last message, as in Talk and Slack.
    if (event.key === 'ArrowUp' && !input?.value && !this.editing) {
      const last = this.#options.chat.store?.lastOwnMessage();
      if (last) {
        event.preventDefault();
        void this.startEdit(last);
      }
      return;
    }
    // Enter sends and Shift+Enter breaks the line, as in Talk; during IME composition Enter picks a candidate.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.#submit();
  };

  #submit = (event?: Event): void => {
    event?.preventDefault();
    const input = this.input;
    if (!input?.value.trim()) return;
    const text = input.value;
    input.value = '';
    const editing = this.editing;
    if (editing?.id != null) {
      const id = editing.id;
      this.#set({ editing: null });
      if (text.trim() !== editing.message) void this.#options.chat.change((store) => store.edit(id, text.trim()));
      return;
    }
    void this.send(text);
  };
}
