import { msg } from '@lit/localize';
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { createEmojiPicker } from './emoji.js';

/** What an open picker is for: where focus returns, and what a picked emoji does. */
interface Opening {
  readonly returnTo: HTMLElement | null;
  readonly pick: (emoji: string) => void;
}

/**
 * One emoji picker for the chat, shown above the composer: for writing (the composer's emoji button) and for
 * reacting (a message's "more reactions"). It is created on first open; Escape closes it and focus goes back.
 */
export class EmojiPopover {
  #picker: HTMLElement | null = null;
  #loading: Promise<HTMLElement> | null = null;
  #opening: Opening | null = null;
  readonly #host: ReactiveControllerHost & HTMLElement;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
  }

  /** Whether the picker shows. */
  get open(): boolean {
    return this.#opening !== null;
  }

  /** Opens the picker; `pick` gets the emoji chosen, after which the picker closes. */
  async show(returnTo: HTMLElement | null, pick: (emoji: string) => void): Promise<void> {
    this.#opening = { returnTo, pick };
    this.#host.requestUpdate();
    const picker = await this.#load();
    if (!this.#opening) return;
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    // The search field is the picker's first stop, as in Talk's picker.
    const search = picker.shadowRoot?.querySelector<HTMLElement>('input');
    (search ?? picker).focus();
  }

  /** Closes the picker; focus goes back where it came from unless `keepFocus`. */
  close(keepFocus = false): void {
    const opening = this.#opening;
    if (!opening) return;
    this.#opening = null;
    this.#host.requestUpdate();
    if (!keepFocus) opening.returnTo?.focus();
  }

  /**
   * The popover, or nothing before its first opening. Once the picker exists it stays in the page, hidden while
   * closed: emoji-picker-element tears its state down when taken out, and building it again costs a frame or more.
   */
  render(): TemplateResult | typeof nothing {
    if (!this.#opening && !this.#picker) return nothing;
    return html`<div
      part="emoji-picker"
      role="dialog"
      aria-label=${msg('Emoji', { id: 'chat.emoji.label' })}
      ?hidden=${!this.#opening}
      @keydown=${this.#keydown}
      @focusout=${this.#focusOut}
    >
      ${this.#picker ?? html`<span class="emoji-loading">${msg('Loading emoji…', { id: 'chat.emoji.loading' })}</span>`}
    </div>`;
  }

  #load(): Promise<HTMLElement> {
    this.#loading ??= createEmojiPicker(this.#host.closest('[lang]')?.getAttribute('lang') ?? navigator.language).then(
      (picker) => {
        picker.addEventListener('emoji-click', (event) => {
          const unicode = (event as CustomEvent<{ unicode?: string }>).detail.unicode;
          const opening = this.#opening;
          if (!unicode || !opening) return;
          this.close();
          opening.pick(unicode);
        });
        this.#picker = picker;
        return picker;
      },
    );
    return this.#loading;
  }

  #keydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    this.close();
  };

  /** Focus leaving the picker for somewhere else in the chat closes it, as a menu would. */
  #focusOut = (event: FocusEvent): void => {
    const to = event.relatedTarget as Node | null;
    const popover = event.currentTarget as HTMLElement;
    if (!to || popover.contains(to) || this.#picker?.shadowRoot?.contains(to)) return;
    if (to === this.#opening?.returnTo) return;
    this.close(true);
  };
}
