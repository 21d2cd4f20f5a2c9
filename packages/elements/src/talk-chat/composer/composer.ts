import { msg, str } from '@lit/localize';
import type { ChatItem } from '@talk/call-core';
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ChatController } from '../../controllers/chat-controller.js';
import { EmojiPopover } from './emoji-popover.js';
import { MENTION_LIST_ID, MentionAutocomplete } from './mentions.js';
import { Uploads } from './uploads.js';

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
  /** The language the chat shows. */
  readonly lang: () => string;
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
  /** The emoji picker, for the composer and for reactions. */
  readonly emoji: EmojiPopover;
  readonly #mentions: MentionAutocomplete;
  readonly #uploads: Uploads;
  readonly #host: ComposerHost;
  readonly #options: ComposerOptions;

  constructor(host: ComposerHost, options: ComposerOptions) {
    this.#host = host;
    this.#options = options;
    this.emoji = new EmojiPopover(host);
    this.#mentions = new MentionAutocomplete(host);
    this.#uploads = new Uploads(host);
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#options.chat.store?.stopTyping();
    this.#mentions.close();
    this.#uploads.cancelAll();
  }

  /** Shares files (dropped on the chat, pasted, or chosen): each is uploaded and posted as a file message. */
  addFiles(files: Iterable<File>): void {
    const store = this.#options.chat.store;
    const list = [...files];
    if (!store || list.length === 0) return;
    const replyTo = this.replyTo?.id ?? undefined;
    if (replyTo !== undefined) this.#set({ replyTo: null });
    this.#options.onSend();
    for (const done of this.#uploads.add(store, list, replyTo)) void done;
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

  /**
   * The form: the reply or edit in progress, the textarea, the host's extra actions and the send button, then
   * the composer's own buttons and `actions` the element adds beside them (the new-poll button).
   */
  render(actions: TemplateResult | typeof nothing = nothing): TemplateResult {
    const { store } = this.#options.chat;
    const attach = msg('Share a file', { id: 'chat.composer.attach' });
    const emoji = msg('Insert emoji', { id: 'chat.composer.emoji' });
    return html`<form part="composer" @submit=${this.#submit}>
      ${this.emoji.render()} ${this.#renderContext()} ${this.#uploads.render(this.#options.lang())}
      ${this.#mentions.render(this.#pickMention)}
      <div class="composer-row">
        <textarea
          part="input"
          rows="2"
          aria-label=${msg('Message', { id: 'chat.composer.label' })}
          aria-autocomplete="list"
          aria-controls=${this.#mentions.open ? MENTION_LIST_ID : nothing}
          aria-activedescendant=${this.#mentions.activeId ?? nothing}
          placeholder=${this.#host.placeholder ?? msg('Write a message…', { id: 'chat.composer.placeholder' })}
          @keydown=${this.#keydown}
          @input=${this.#onInput}
          @paste=${this.#onPaste}
          @blur=${this.#onBlur}
        ></textarea>
        <slot name="composer-actions"></slot>
        <button part="send" type="submit" ?disabled=${!store}>
          ${this.editing ? msg('Save', { id: 'chat.composer.save' }) : msg('Send', { id: 'chat.composer.send' })}
        </button>
        <!-- After send, so that Tab still goes from the text straight to send. -->
        <button
          part="emoji-button"
          type="button"
          class="icon"
          aria-label=${emoji}
          title=${emoji}
          aria-haspopup="dialog"
          aria-expanded=${this.emoji.open ? 'true' : 'false'}
          @click=${this.#toggleEmoji}
        >☺</button>
        <button
          part="attach"
          type="button"
          class="icon"
          aria-label=${attach}
          title=${attach}
          ?disabled=${!store}
          @click=${this.#chooseFiles}
        >📎</button>
        ${actions}
        <input class="file-input" type="file" multiple hidden tabindex="-1" aria-hidden="true" @change=${this.#filesChosen} />
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
    const input = this.input;
    if (!store || !input) return;
    const suggest = (search: string) => store.client.mentionSuggestions(store.conversation, search);
    this.#mentions.update(input.value, input.selectionStart ?? input.value.length, suggest);
    if (this.editing) return;
    if (input.value) store.noteTyping();
    else store.stopTyping();
  };

  #onBlur = (): void => {
    this.#options.chat.store?.stopTyping();
    this.#mentions.close();
  };

  #pickMention = (mention: Parameters<MentionAutocomplete['insert']>[1]): void => {
    const input = this.input;
    if (!input) return;
    const inserted = this.#mentions.insert(input.value, mention);
    if (!inserted) return;
    input.value = inserted.text;
    input.focus();
    input.setSelectionRange(inserted.caret, inserted.caret);
  };

  /** Puts `text` at the caret (replacing a selection), as typing it would. */
  #insertText(text: string): void {
    const input = this.input;
    if (!input) return;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    input.setRangeText(text, start, end, 'end');
    input.focus();
    this.#onInput();
  }

  #toggleEmoji = (event: Event): void => {
    if (this.emoji.open) {
      this.emoji.close();
      return;
    }
    const button = event.currentTarget as HTMLElement;
    void this.emoji.show(this.input ?? button, (emoji) => this.#insertText(emoji));
  };

  #chooseFiles = (): void => {
    this.#host.renderRoot.querySelector<HTMLInputElement>('.file-input')?.click();
  };

  #filesChosen = (event: Event): void => {
    const input = event.currentTarget as HTMLInputElement;
    this.addFiles(input.files ?? []);
    input.value = ''; // the same file may be chosen again
  };

  #onPaste = (event: ClipboardEvent): void => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return; // text pastes as text
    event.preventDefault();
    this.addFiles(files);
  };

  #keydown = (event: KeyboardEvent): void => {
    const input = this.input;
    if (this.#mentions.keydown(event, this.#pickMention)) {
      event.preventDefault();
      event.stopPropagation();
      return;
    }
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
