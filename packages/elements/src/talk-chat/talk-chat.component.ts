import { msg, str } from '@lit/localize';
import type { RangeChangedEvent } from '@lit-labs/virtualizer/events.js';
import { type VirtualizerHostElement, virtualize, virtualizerRef } from '@lit-labs/virtualizer/virtualize.js';
import { type ChatItem, ChatItemState, segmentsOf, type TalkClientLike } from '@talk/call-core';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { guard } from 'lit/directives/guard.js';
import { ChatController } from '../controllers/chat-controller.js';
import { conversationSearcher, SearchController } from '../controllers/search-controller.js';
import { describeError } from '../i18n/errors.js';
import { formatDateTime, formatNumber, formatTime } from '../i18n/format.js';
import { LocaleController } from '../i18n/locale.js';
import { systemMessageText } from '../i18n/system-messages.js';
import { VERSION } from '../version.js';
import { AttachmentLinks, renderAttachment } from './attachments.js';
import { avatarOf, dayLabel, reactorsLabel, typingLine } from './chat-text.js';
import { Composer } from './composer/composer.js';
import { sweepOrphanMarkers } from './list/orphan-markers.js';
import { pinnedBarStyles, renderPinnedBar } from './pins/pinned-bar.js';
import { PinsController } from './pins/pins-controller.js';
import { type PollDraft, pollFormStyles, renderPollForm } from './polls/poll-form.js';
import { pollStyles, renderPoll } from './polls/poll-view.js';
import { PollsController } from './polls/polls-controller.js';
import { type ChatRow, rowsOf } from './rows.js';
import { renderSearchBox, searchBoxStyles } from './search/search-box.js';
import { SharedItemsController } from './shared/shared-controller.js';
import { renderSharedPanel, sharedPanelStyles } from './shared/shared-panel.js';
import { styles } from './talk-chat.styles.js';

/** The reactions offered in the reaction menu, as in Talk's quick picker. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🎉'] as const;

/** How close to the end, in pixels, still counts as "at the bottom". */
const BOTTOM_SLACK = 32;
/** How many frames at most a scroll to the newest message waits for the list to settle at its end. */
const END_FRAMES = 30;
/** How close to the top, in pixels, starts loading older messages. */
const TOP_SLACK = 400;
/** How long a message opened from a pin or a search result stays highlighted. */
const HIGHLIGHT_MS = 2000;

type RichModule = typeof import('./rich-text.js');

/** An open menu: a message's actions or its reaction picker. */
interface OpenMenu {
  readonly key: string;
  readonly kind: 'actions' | 'react';
}

/**
 * The chat of one conversation: a virtualised list of its messages (older ones load when scrolling up, the reader's
 * place kept), and a composer. Messages are grouped by author and day, rendered from markdown and sanitised, with
 * links and mentions; each can be replied to, reacted to, copied, and (one's own) edited or deleted, from a hover
 * toolbar or from the keyboard (arrow keys move between messages, Enter opens the actions). New messages keep the
 * view at the bottom only when it was at the bottom; otherwise a "new messages" button appears. What others write
 * after the history loaded is announced to screen readers; the history is not. Strings, dates and times follow the
 * nearest `lang` (see `src/i18n/README.md`).
 *
 * @summary A conversation's messages and a composer.
 *
 * @fires talk-message-sent - The server stored a message the user wrote; `event.message` is it.
 * @fires talk-message-received - Someone else wrote a message (or the server noted something) while open; `event.message`.
 * @fires talk-mention - A message arrived that mentions the user; `event.message`.
 * @fires talk-unread-change - The unread count changed; `event.unread`, `event.mentions`.
 * @fires talk-error - Sending, editing, deleting or reacting failed; `event.error` says why.
 * @fires talk-token-expiring - The `token` it made its own client from expires soon; answer with `event.setToken()`.
 *
 * @slot composer-actions - Extra buttons next to the send button.
 *
 * @csspart base - The wrapper of everything.
 * @csspart new-poll - The composer's button that opens the dialog to create a poll.
 * @csspart poll - A poll in the list: its question, choices or results; `data-status` is `open` or `closed`.
 * @csspart poll-result - One option's result: `data-count` is its votes, `data-mine` when the user chose it.
 * @csspart poll-voters - How many voted in a poll.
 * @csspart poll-form - The dialog that creates a poll.
 * @csspart search-button - The header's button that opens the search box.
 * @csspart shared-button - The header's button that opens the shared-items panel.
 * @csspart shared - The shared-items panel: the conversation's images, files, links and polls, by type.
 * @csspart shared-section - One type's items in the panel; `data-type` is `image`, `file`, `link` or `poll`.
 * @csspart shared-item - One shared item, a button that opens its message in context; `data-id` is the message's id.
 * @csspart shared-thumbnail - An image's thumbnail in the panel.
 * @csspart shared-more - A type's "Show more" button.
 * @csspart search - The search box: its field, status and results.
 * @csspart search-input - The search field.
 * @csspart search-results - The listbox of matches.
 * @csspart search-result - One match (author and text, the matched words marked); `data-id` is the message's id.
 * @csspart search-more - Loads older matches below those shown.
 * @csspart pinned - The bar of pinned messages above the list; `data-count` is how many are pinned.
 * @csspart pinned-message - The pinned message shown (author, one line of text); a click opens it in context.
 * @csspart pinned-count - Which pin of how many the bar shows.
 * @csspart messages - The scrolling list of messages; `data-count` is how many messages it holds.
 * @csspart day - A day separator.
 * @csspart unread-divider - The line above the first unread message.
 * @csspart message - One message; `data-state` is `sent`, `pending` or `failed`; `data-grouped` continues the turn above; `data-highlighted` while just opened from a pin or search.
 * @csspart avatar - The author's picture or initials.
 * @csspart author - A message's author.
 * @csspart time - When a message was written; its title gives the full date.
 * @csspart quote - The message a reply answers.
 * @csspart text - A message's text, rendered from markdown.
 * @csspart edited - "(edited)" after an edited message.
 * @csspart reactions - The reactions under a message.
 * @csspart reaction - One reaction with its count; `aria-pressed` when the user gave it.
 * @csspart actions - The toolbar of a message (react, reply, more).
 * @csspart menu - A message's open menu.
 * @csspart system - A note the server wrote (joined, call started, …), in the user's language.
 * @csspart status - "Sending…" on a pending message.
 * @csspart retry - The retry button of a failed message.
 * @csspart new-messages - The button that scrolls down to messages that arrived while the reader was scrolled up.
 * @csspart typing - Who is typing.
 * @csspart error - Why the list could not load; `data-code` is the error's code.
 * @csspart composer - The form to write a message.
 * @csspart composer-context - Above the input: the message being answered or edited, with a cancel button.
 * @csspart input - The composer's textarea.
 * @csspart send - The send button.
 * @csspart emoji-button - Opens the emoji picker to write an emoji.
 * @csspart emoji-picker - The emoji picker (for writing and for reactions), shown above the composer.
 * @csspart attach - Opens the file chooser to share files (they may also be dropped on the chat or pasted).
 * @csspart mentions - The `@` autocomplete listbox; its options carry `data-id`.
 * @csspart uploads - The files on their way, above the composer.
 * @csspart upload - One file on its way (`data-state="uploading"`, with progress and cancel) or failed (`data-state="failed"`, `data-code` says why).
 * @csspart attachment - A file message's file; `data-type` is its content type.
 * @csspart attachment-preview - An image file's preview.
 * @csspart attachment-link - The file's name, a download link.
 * @csspart attachment-size - The file's size.
 *
 * @cssproperty [--talk-accent=var(--color-primary-element, #00679e)] - Primary buttons (send, join, share) and links.
 * @cssproperty [--talk-on-accent=var(--color-primary-element-text, #fff)] - Text on the accent colour.
 * @cssproperty [--talk-surface=var(--color-main-background, #fff)] - Background of the chat and its composer. Built in: #fff light, #171717 dark.
 * @cssproperty [--talk-text=var(--color-main-text, #222)] - Text. Built in: #222 light, #ebebeb dark.
 * @cssproperty [--talk-muted=var(--color-text-maxcontrast, #6b6b6b)] - Secondary text: authors, statuses, placeholders. Built in: #6b6b6b light, #a6a6a6 dark.
 * @cssproperty [--talk-border=var(--color-border, #ddd)] - Dividers, such as the line above the composer. Built in: #ddd light, #3b3b3b dark.
 * @cssproperty [--talk-input-border=var(--color-border-maxcontrast, #949494)] - Border of text fields and pickers. Built in: #949494 light, #8c8c8c dark.
 * @cssproperty [--talk-control-background=var(--color-background-dark, #e6e6e6)] - Avatars, reactions, quotes, code. Built in: #e6e6e6 light, #333 dark.
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

  static override styles = [styles, pollStyles, pollFormStyles, pinnedBarStyles, searchBoxStyles, sharedPanelStyles];

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

  /** Where authors' pictures come from: a URL with `{userId}` in it; initials when unset or when a picture fails. */
  @property({ attribute: 'avatar-url' }) avatarUrl?: string;

  readonly #locale = new LocaleController(this);
  readonly #chat = new ChatController(this);
  readonly #polls = new PollsController(this, () => this.#chat.store);
  readonly #pins = new PinsController(this, () => {
    const store = this.#chat.store;
    return store ? { client: store.client, conversation: store.conversation, items: this.#chat.items } : null;
  });
  readonly #search = new SearchController(this, () => {
    const store = this.#chat.store;
    return store && conversationSearcher(store.client, store.conversation);
  });
  readonly #shared = new SharedItemsController(this, () => this.#chat.store);
  /** The message just opened from a pin or a search result, highlighted for a moment. */
  @state() private highlighted: number | null = null;
  #highlightTimer: ReturnType<typeof setTimeout> | undefined;
  /** Polls whose choices are shown again to change the vote. */
  @state() private changingPolls: ReadonlySet<number> = new Set();
  @state() private pollOptions = 2;

  readonly #composer = new Composer(this, {
    chat: this.#chat,
    onSend: () => this.#stickToBottom(),
    lang: () => this.#locale.lang,
  });
  readonly #attachments = new AttachmentLinks(this, () => this.#chat.store);

  @query('[part="messages"]') private list?: HTMLElement;

  @state() private menu: OpenMenu | null = null;
  @state() private newBelow = false;
  @state() private rich: RichModule | null = null;
  @state() private dropping = false;

  #rows: ChatRow[] = [];
  #rowsOf: { items: readonly ChatItem[]; divider: number | null } | null = null;
  /**
   * Whether the view follows the newest message. The reader scrolling up ends it, as does opening an older message;
   * the list moving because the virtualizer measured its rows does not (see `#onScroll`).
   */
  #atBottom = true;
  /** The list's scroll position and height at the last scroll event, or when the chat last scrolled it itself. */
  #seen = { top: 0, height: 0 };
  /** The scroll to the newest message under way, if one is. */
  #ending: Promise<void> | undefined;
  /** The rows the virtualizer rendered last, by index. */
  #range = { first: 0, last: -1 };
  #restoring = false;
  /**
   * While an older page is on its way: the row the reader had on top, and whether the virtualizer was already pinned
   * to its new index in the update that took the page (see `updated`).
   */
  #anchor: { key: string; pinned: boolean } | null = null;
  #arrived: readonly ChatItem[] = [];
  #failedAvatars = new Set<string>();
  readonly #richCache = new Map<string, DocumentFragment>();
  #menuReturn: HTMLElement | null = null;
  #seenTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Opens a message of this conversation in context, as a search result or a pin does: once the history has loaded,
   * older pages load until it is held, and it is scrolled to, focused and highlighted. For a host that opens a
   * conversation at a message (a `talk-conversation-select` with a `messageId`). Resolves false when the message
   * is not in this conversation.
   */
  async showMessage(messageId: number): Promise<boolean> {
    await this.updateComplete; // the controller has made the store of the conversation set last
    const store = this.#chat.store;
    if (!store) return false;
    await this.#chat.ready;
    if (this.#chat.store !== store) return false;
    await this.updateComplete;
    return this.#jumpTo(messageId);
  }

  /** Sends `text` as the user, as the composer does; resolves once it is stored or has failed. */
  send(text: string): Promise<void> {
    return this.#composer.send(text);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.rich) {
      import('./rich-text.js')
        .then((module) => {
          this.rich = module;
        })
        .catch(() => {}); // plain text stays, which is safe
    }
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const items = this.#chat.items;
    const divider = this.#chat.store?.unread.dividerBefore ?? null;
    if (this.#rowsOf?.items !== items || this.#rowsOf.divider !== divider) {
      this.#rows = rowsOf(items, divider);
      this.#rowsOf = { items, divider };
    }
    if (this.#chat.arrived !== this.#arrived) {
      this.#arrived = this.#chat.arrived;
      if (this.#arrived.length > 0 && !this.#atBottom) this.newBelow = true;
      // Someone shared a file or a poll while the panel is open: it shows there too.
      if (this.#arrived.some((item) => item.attachment || item.kind === 'poll')) void this.#shared.refresh();
    }
  }

  override render() {
    const { error, store } = this.#chat;
    return html`<div
      part="base"
      class=${this.dropping ? 'dropping' : ''}
      @dragover=${this.#dragOver}
      @dragleave=${this.#dragLeave}
      @drop=${this.#drop}
    >
      ${error ? html`<div part="error" role="alert" data-code=${error.code}>${describeError(error)}</div>` : nothing}
      ${this.#renderTop()}
      <div class="list">
        <div
          part="messages"
          role="region"
          aria-label=${msg('Messages', { id: 'chat.messages.label' })}
          aria-busy=${store?.loadingOlder ? 'true' : 'false'}
          data-count=${this.#chat.items.length}
          tabindex="0"
          @scroll=${this.#onScroll}
          @wheel=${this.#wheel}
          @keydown=${this.#listKeydown}
          @visibilityChanged=${this.#onVisibility}
          @rangeChanged=${this.#onRange}
        >
          ${virtualize({
            items: this.#rows,
            keyFunction: (row: ChatRow) => row.key,
            renderItem: (row: ChatRow) => {
              // The virtualizer renders rows in its own frames, where another element's language may be set.
              this.#locale.use();
              return this.#renderRow(row);
            },
            scroller: true,
          })}
        </div>
        ${renderSharedPanel(this.#shared, {
          lang: this.#locale.lang,
          urlOf: (attachment) => this.#attachments.urlOf(attachment),
          jump: (id) => void this.#openShared(id),
          close: () => this.#closeShared(),
        })}
        ${
          this.newBelow
            ? html`<button part="new-messages" type="button" @click=${this.#jumpToBottom}>
                ${msg('New messages', { id: 'chat.list.new-messages' })}
              </button>`
            : nothing
        }
      </div>
      <div part="typing">${typingLine(this.#locale, store?.typists ?? [])}</div>
      <div class="announcer" role="status">${this.#announcement()}</div>
      ${this.#composer.render(this.#renderPollButton())}
      ${renderPollForm(
        this.#locale.lang,
        this.pollOptions,
        () => this.#addPollOption(),
        (draft: PollDraft) => void this.#polls.create(draft.question, draft.options, draft.settings),
      )}
    </div>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    this.#pinAnchor();
    if (this.#atBottom && !this.#restoring) void this.#scrollToEnd();
    // The result the arrow keys are on stays in the results' scrolling box (older pages append below).
    if (this.#search.open) {
      this.renderRoot
        .querySelector('[part="search-result"][aria-selected="true"]')
        ?.scrollIntoView({ block: 'nearest' });
    }
  }

  /** Above the list: the header with the search and shared-items buttons, the search box when open, the pinned bar. */
  #renderTop() {
    const label = msg('Search messages', { id: 'chat.search.label' });
    const sharedLabel = msg('Shared items', { id: 'chat.shared.title' });
    const jump = (id: number) => void this.#jumpTo(id);
    return html`${
      this.#search.available || this.#shared.available
        ? html`<div class="header">
            ${
              this.#search.available
                ? html`<button
              part="search-button"
              type="button"
              class="icon"
              data-action="search"
              aria-label=${label}
              title=${label}
              aria-expanded=${this.#search.open ? 'true' : 'false'}
              @click=${this.#toggleSearch}
            >
              🔍
            </button>`
                : nothing
            }
            ${
              this.#shared.available
                ? html`<button
                    part="shared-button"
                    type="button"
                    class="icon"
                    data-action="shared"
                    aria-label=${sharedLabel}
                    title=${sharedLabel}
                    aria-expanded=${this.#shared.open ? 'true' : 'false'}
                    @click=${this.#toggleShared}
                  >
                    🗂️
                  </button>`
                : nothing
            }
          </div>`
        : nothing
    }
    ${renderSearchBox(this.#search, { jump, close: () => this.#closeSearch() })}
    ${renderPinnedBar(this.#locale.lang, this.#pins.pins, this.#pins.index, {
      jump,
      cycle: (step) => this.#pins.cycle(step),
    })}`;
  }

  async #toggleSearch(): Promise<void> {
    if (this.#search.open) {
      this.#closeSearch();
      return;
    }
    this.#search.show();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('[part="search-input"]')?.focus();
  }

  #closeSearch(): void {
    this.#search.hide();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[data-action="search"]')?.focus());
  }

  async #toggleShared(): Promise<void> {
    if (this.#shared.open) {
      this.#closeShared();
      return;
    }
    const opening = this.#shared.show();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-action="close-shared"]')?.focus();
    await opening;
  }

  #closeShared(): void {
    this.#shared.hide();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[data-action="shared"]')?.focus());
  }

  /** An item of the panel: the panel closes (it covers the list) and the message opens in context. */
  async #openShared(messageId: number): Promise<void> {
    this.#shared.hide();
    await this.#jumpTo(messageId);
  }

  /** Opens a message in context: loads older pages until it is held, scrolls to it, focuses and highlights it. */
  async #jumpTo(messageId: number): Promise<boolean> {
    const store = this.#chat.store;
    if (!store) return false;
    // Not at the bottom any more: otherwise each page that arrives would scroll the list back to the end.
    this.#atBottom = false;
    this.#restoring = true;
    try {
      if (!(await store.loadThrough(messageId))) return false;
      await this.updateComplete;
    } finally {
      this.#restoring = false;
    }
    clearTimeout(this.#highlightTimer);
    this.highlighted = messageId;
    this.#highlightTimer = setTimeout(() => {
      this.highlighted = null;
    }, HIGHLIGHT_MS);
    await this.#focusMessage('', messageId);
    return true;
  }

  /** Among the composer's buttons: a new poll, as in Talk's composer menu; its dialog opens over the chat. */
  #renderPollButton() {
    const label = msg('New poll', { id: 'chat.header.new-poll' });
    return html`<button
        part="new-poll"
        type="button"
        class="icon"
        data-action="create-poll"
        aria-label=${label}
        title=${label}
        ?disabled=${!this.#chat.store}
        @click=${this.#openPollForm}
      >
        📊
      </button>`;
  }

  #openPollForm(): void {
    this.pollOptions = 2;
    this.renderRoot.querySelector<HTMLDialogElement>('[part="poll-form"]')?.showModal();
  }

  async #addPollOption(): Promise<void> {
    this.pollOptions += 1;
    await this.updateComplete;
    [...this.renderRoot.querySelectorAll<HTMLInputElement>('[part="poll-form"] [name="option"]')].at(-1)?.focus();
  }

  #renderPoll(pollId: number): TemplateResult {
    const changing = this.changingPolls.has(pollId);
    return renderPoll(
      this.#polls.poll(pollId),
      {
        userId: this.#chat.store?.client.userId ?? null,
        moderator: this.#chat.moderator,
        lang: this.#locale.lang,
        vote: (id, optionIds) => {
          this.#setChanging(id, false);
          void this.#polls.vote(id, optionIds);
        },
        close: (id) => void this.#polls.close(id),
        change: (id) => this.#setChanging(id, true),
      },
      changing,
    );
  }

  #setChanging(pollId: number, changing: boolean): void {
    const next = new Set(this.changingPolls);
    if (changing) next.add(pollId);
    else next.delete(pollId);
    this.changingPolls = next;
  }

  #renderRow(row: ChatRow): TemplateResult {
    const { lang } = this.#locale;
    switch (row.kind) {
      case 'day':
        return html`<div part="day" class="row" data-key=${row.key}>
          <time datetime=${row.date}>${dayLabel(lang, row.date)}</time>
        </div>`;
      case 'unread':
        return html`<div part="unread-divider" class="row" data-key=${row.key}>
          <span>${msg('Unread messages', { id: 'chat.list.unread' })}</span>
        </div>`;
      case 'system':
        return html`<div
          part="system"
          class="row"
          data-key=${row.key}
          data-id=${row.item.id ?? nothing}
          data-type=${row.item.systemType ?? nothing}
          tabindex="-1"
        >
          <span>${systemMessageText(row.item)}</span> ${this.#time(row.item)}
        </div>`;
      case 'message':
        return this.#renderMessage(row.item, row.grouped);
    }
  }

  #time(item: ChatItem) {
    const { lang } = this.#locale;
    return html`<time part="time" datetime=${item.createdAt} title=${formatDateTime(lang, item.createdAt)}
      >${formatTime(lang, item.createdAt)}</time
    >`;
  }

  #renderMessage(item: ChatItem, grouped: boolean): TemplateResult {
    const userId = this.#chat.store?.client.userId ?? null;
    const mine = item.actorId === userId;
    const author = item.actorDisplayName || item.actorId;
    const deleted = item.deletedAt !== null;
    const sent = item.state === ChatItemState.Sent;
    const menuOpen = this.menu?.key === item.key ? this.menu.kind : null;
    return html`<div
      part="message"
      class=${menuOpen ? 'row message menu-open' : 'row message'}
      data-key=${item.key}
      data-state=${item.state}
      data-id=${item.id ?? nothing}
      ?data-grouped=${grouped}
      ?data-mine=${mine}
      ?data-mentioned=${this.#chat.store?.mentionsMe(item) ?? false}
      ?data-highlighted=${item.id !== null && item.id === this.highlighted}
      tabindex="-1"
      aria-label=${grouped ? nothing : author}
      @keydown=${(event: KeyboardEvent) => this.#messageKeydown(event, item)}
    >
      ${grouped ? html`<span class="avatar-space"></span>` : this.#avatar(item)}
      <div class="body">
        ${grouped ? nothing : html`<span part="author"><bdi>${author}</bdi></span>`}
        ${item.replyTo ? this.#quote(item.replyTo) : nothing}
        ${
          deleted
            ? html`<span part="text" class="deleted">${msg('Message deleted', { id: 'chat.message.deleted' })}</span>`
            : item.kind === 'poll' && item.id !== null
              ? this.#renderPoll(item.id)
              : item.attachment
                ? renderAttachment(item.attachment, this.#attachments.urlOf(item.attachment), this.#locale.lang)
                : html`<div part="text" class=${this.rich ? 'rich' : ''} dir="auto">${this.#text(item, userId)}</div>`
        }
        ${
          item.editedAt && !deleted
            ? html`<span part="edited">${msg('(edited)', { id: 'chat.message.edited' })}</span>`
            : nothing
        }
        ${this.#reactions(item)}
        ${
          item.state === ChatItemState.Pending
            ? html`<span part="status">${msg('Sending…', { id: 'chat.message.pending' })}</span>`
            : nothing
        }
        ${
          item.state === ChatItemState.Failed
            ? html`<span part="status">${msg('Not sent.', { id: 'chat.message.failed' })}</span>
                <button
                  part="retry"
                  type="button"
                  @click=${() => item.referenceId && this.#chat.retry(item.referenceId)}
                >
                  ${msg('Retry', { id: 'chat.message.retry' })}
                </button>`
            : nothing
        }
      </div>
      ${sent ? this.#time(item) : html`<span></span>`}
      ${sent && !deleted ? this.#actions(item, mine, menuOpen) : nothing}
    </div>`;
  }

  #avatar(item: ChatItem) {
    const url = this.avatarUrl?.replace('{userId}', encodeURIComponent(item.actorId));
    const { initials } = avatarOf(item.actorDisplayName || item.actorId);
    if (url && /^(?:https?:|\/)/i.test(url) && !this.#failedAvatars.has(url)) {
      return html`<span part="avatar" aria-hidden="true"
        ><img
          src=${url}
          alt=""
          @error=${() => {
            this.#failedAvatars.add(url);
            this.requestUpdate();
          }}
      /></span>`;
    }
    return html`<span part="avatar" aria-hidden="true">${initials}</span>`;
  }

  #quote(reply: NonNullable<ChatItem['replyTo']>) {
    const author = reply.actorDisplayName || reply.actorId;
    return html`<button
      part="quote"
      type="button"
      tabindex="-1"
      @click=${() => this.#focusMessage(`id:${reply.id}`, reply.id)}
    >
      <span class="quote-author"><bdi>${author}</bdi></span>
      <span class="quote-text" dir="auto"
        >${reply.deleted ? msg('Message deleted', { id: 'chat.message.deleted' }) : reply.message}</span
      >
    </button>`;
  }

  #text(item: ChatItem, userId: string | null) {
    const rich = this.rich;
    if (!rich) {
      return segmentsOf(item.message, item.mentions).map((segment) =>
        'mention' in segment
          ? html`<span class="mention" ?data-self=${segment.mention.type === 'all' || segment.mention.id === userId}
              >@${segment.mention.name}</span
            >`
          : segment.text,
      );
    }
    const cacheKey = `${userId}\u0001${JSON.stringify(item.mentions)}\u0001${item.message}`;
    return guard([cacheKey, rich], () => {
      let fragment = this.#richCache.get(cacheKey);
      if (!fragment) {
        fragment = rich.renderRichText(item.message, item.mentions, userId);
        this.#richCache.set(cacheKey, fragment);
        if (this.#richCache.size > 2_000) this.#richCache.delete(this.#richCache.keys().next().value!);
      }
      return fragment.cloneNode(true);
    });
  }

  #reactions(item: ChatItem) {
    const entries = Object.entries(item.reactions).filter(([, count]) => count > 0);
    if (entries.length === 0) return nothing;
    const { lang } = this.#locale;
    return html`<div part="reactions">
      ${entries.map(([reaction, count]) => {
        const who = reactorsLabel(this.#locale, item.reactors?.[reaction] ?? [], count);
        const own = item.ownReactions.includes(reaction);
        return html`<button
          part="reaction"
          type="button"
          tabindex="-1"
          aria-pressed=${own ? 'true' : 'false'}
          title=${who}
          aria-label=${`${reaction} ${formatNumber(lang, count)}: ${who}`}
          @click=${() => this.#toggleReaction(item, reaction)}
        >
          <span class="emoji">${reaction}</span> <span class="count">${formatNumber(lang, count)}</span>
        </button>`;
      })}
    </div>`;
  }

  #actions(item: ChatItem, mine: boolean, open: OpenMenu['kind'] | null) {
    const react = msg('React', { id: 'chat.action.react' });
    const reply = msg('Reply', { id: 'chat.action.reply' });
    const more = msg('More actions', { id: 'chat.action.more' });
    return html`<div part="actions" class=${open ? 'open' : ''} role="toolbar" aria-label=${more}>
        <button
          type="button"
          class="icon"
          data-action="react"
          aria-label=${react}
          title=${react}
          aria-haspopup="menu"
          aria-expanded=${open === 'react' ? 'true' : 'false'}
          @click=${(event: Event) => this.#openMenu(event, item, 'react')}
        >
          ☺
        </button>
        <button type="button" class="icon" data-action="reply" aria-label=${reply} title=${reply}
          @click=${() => this.#composer.startReply(item)}>↩</button>
        <button
          type="button"
          class="icon"
          data-action="more"
          aria-label=${more}
          title=${more}
          aria-haspopup="menu"
          aria-expanded=${open === 'actions' ? 'true' : 'false'}
          @click=${(event: Event) => this.#openMenu(event, item, 'actions')}
        >
          ⋯
        </button>
      </div>
      ${open ? this.#menuOf(item, mine, open) : nothing}`;
  }

  #menuOf(item: ChatItem, mine: boolean, kind: OpenMenu['kind']) {
    const entries: { id: string; label: string; title?: string; run: () => void; pressed?: boolean }[] =
      kind === 'react'
        ? [
            ...QUICK_REACTIONS.map((reaction) => ({
              id: `react:${reaction}`,
              label: reaction,
              pressed: item.ownReactions.includes(reaction) as boolean | undefined,
              run: () => this.#toggleReaction(item, reaction),
            })),
            {
              id: 'react:more',
              label: '…',
              title: msg('More reactions', { id: 'chat.action.react-more' }),
              run: () => this.#pickReaction(item),
            },
          ]
        : [
            {
              id: 'reply',
              label: msg('Reply', { id: 'chat.action.reply' }),
              run: () => void this.#composer.startReply(item),
            },
            ...(mine
              ? [
                  {
                    id: 'edit',
                    label: msg('Edit', { id: 'chat.action.edit' }),
                    run: () => void this.#composer.startEdit(item),
                  },
                ]
              : []),
            // Moderators delete anyone's messages, as in Nextcloud Talk; the server checks it again.
            ...(mine || this.#chat.moderator
              ? [{ id: 'delete', label: msg('Delete', { id: 'chat.action.delete' }), run: () => this.#delete(item) }]
              : []),
            { id: 'copy', label: msg('Copy text', { id: 'chat.action.copy' }), run: () => this.#copy(item) },
            ...(this.#chat.moderator && this.#pins.available && item.id !== null ? [this.#pinEntry(item.id)] : []),
          ];
    const label =
      kind === 'react' ? msg('React', { id: 'chat.action.react' }) : msg('More actions', { id: 'chat.action.more' });
    return html`<div
      part="menu"
      role="menu"
      aria-label=${label}
      class=${kind}
      @keydown=${this.#menuKeydown}
      @focusout=${this.#menuFocusOut}
    >
      ${entries.map(
        (entry) => html`<button
          type="button"
          role=${entry.pressed === undefined ? 'menuitem' : 'menuitemcheckbox'}
          aria-checked=${entry.pressed === undefined ? nothing : entry.pressed ? 'true' : 'false'}
          data-item=${entry.id}
          aria-label=${entry.title ?? nothing}
          title=${entry.title ?? nothing}
          tabindex="-1"
          @click=${() => {
            this.#closeMenu(entry.id === 'reply' || entry.id === 'edit' || entry.id === 'react:more');
            entry.run();
          }}
        >
          ${entry.label}
        </button>`,
      )}
    </div>`;
  }

  async #openMenu(event: Event, item: ChatItem, kind: OpenMenu['kind']) {
    this.#menuReturn = event.currentTarget as HTMLElement;
    if (this.menu?.key === item.key && this.menu.kind === kind) {
      this.#closeMenu();
      return;
    }
    this.menu = { key: item.key, kind };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part="menu"] [role^="menuitem"]')?.focus();
  }

  /** Closes the open menu; focus goes back to the button that opened it, unless the composer takes it. */
  #closeMenu(toComposer = false): void {
    if (!this.menu) return;
    const back = this.#menuReturn;
    this.#menuReturn = null;
    // Focus moves before the menu goes: the toolbar shows only while the row holds focus (or a menu is open).
    if (!toComposer) back?.focus();
    this.menu = null;
  }

  #menuKeydown(event: KeyboardEvent): void {
    const items = [...(event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[role^="menuitem"]')];
    const at = items.indexOf(this.renderRoot.querySelector(':focus') as HTMLElement);
    const move = (to: number) => items[(to + items.length) % items.length]?.focus();
    const horizontal = this.menu?.kind === 'react';
    const next = horizontal ? (this.#rtl() ? 'ArrowLeft' : 'ArrowRight') : 'ArrowDown';
    const previous = horizontal ? (this.#rtl() ? 'ArrowRight' : 'ArrowLeft') : 'ArrowUp';
    if (event.key === next) move(at + 1);
    else if (event.key === previous) move(at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(items.length - 1);
    else if (event.key === 'Escape' || event.key === 'Tab') this.#closeMenu();
    else return;
    event.preventDefault();
    event.stopPropagation();
  }

  #menuFocusOut(event: FocusEvent): void {
    const menu = event.currentTarget as HTMLElement;
    const to = event.relatedTarget as Node | null;
    // Clicking a toolbar button toggles the menu itself; anything else outside closes it.
    if (to && (menu.contains(to) || menu.previousElementSibling?.contains(to))) return;
    this.menu = null;
  }

  #rtl(): boolean {
    return getComputedStyle(this).direction === 'rtl';
  }

  #delete(item: ChatItem): void {
    if (item.id === null) return;
    const id = item.id;
    void this.#chat.change((store) => store.delete(id));
    this.#focusNear(item.key);
  }

  /** Pin or unpin, for moderators, as in Talk's message menu; the server checks the role again. */
  #pinEntry(id: number) {
    const pinned = this.#pins.isPinned(id);
    return {
      id: pinned ? 'unpin' : 'pin',
      label: pinned ? msg('Unpin', { id: 'chat.action.unpin' }) : msg('Pin', { id: 'chat.action.pin' }),
      run: () => void this.#pins.setPinned(id, !pinned),
    };
  }

  #copy(item: ChatItem): void {
    void navigator.clipboard?.writeText(item.message).catch(() => {});
  }

  /** Opens the emoji picker for any reaction; focus comes back to the message (its toolbar may be hidden by then). */
  #pickReaction(item: ChatItem): void {
    void this.#composer.emoji.show(this.#rowElement(item.key), (emoji) => this.#toggleReaction(item, emoji));
  }

  #dragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault(); // allows the drop
    event.dataTransfer.dropEffect = 'copy';
    this.dropping = true;
  }

  #dragLeave(event: DragEvent): void {
    const to = event.relatedTarget as Node | null;
    if (!to || !(event.currentTarget as HTMLElement).contains(to)) this.dropping = false;
  }

  #drop(event: DragEvent): void {
    this.dropping = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    this.#composer.addFiles(files);
  }

  #toggleReaction(item: ChatItem, reaction: string): void {
    if (item.id === null) return;
    const id = item.id;
    void this.#chat.change((store) => store.toggleReaction(id, reaction));
  }

  /** After a deletion, focus stays on the row (which now says "deleted") rather than falling to the page. */
  #focusNear(key: string): void {
    void this.updateComplete.then(() => this.#rowElement(key)?.focus());
  }

  #rowElement(key: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
  }

  #virtualizer() {
    return (this.list as VirtualizerHostElement | undefined)?.[virtualizerRef];
  }

  /** Brings a row into view and focuses it. */
  async #focusMessage(key: string, id?: number) {
    let index = this.#rows.findIndex((row) => row.key === key);
    if (index === -1 && id !== undefined) {
      index = this.#rows.findIndex((row) => row.kind === 'message' && row.item.id === id);
    }
    if (index === -1) return;
    const rowKey = this.#rows[index]!.key;
    this.#atBottom = false;
    this.#virtualizer()?.element(index)?.scrollIntoView({ block: 'nearest' });
    for (let attempt = 0; attempt < 5 && !this.#rowElement(rowKey); attempt++) await nextFrame();
    this.#rowElement(rowKey)?.focus({ preventScroll: true });
    this.#onScroll();
  }

  /** Arrow keys move between messages; from the list itself, Up starts at the newest. */
  #listKeydown(event: KeyboardEvent): void {
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown' && event.key !== 'Home' && event.key !== 'End') return;
    const focusable = this.#rows.filter((row) => row.kind === 'message' || row.kind === 'system');
    if (focusable.length === 0) return;
    const current = (event.target as HTMLElement).closest<HTMLElement>('.row')?.dataset.key;
    const at = current === undefined ? -1 : focusable.findIndex((row) => row.key === current);
    let to: number;
    if (event.key === 'Home') to = 0;
    else if (event.key === 'End') to = focusable.length - 1;
    else if (at === -1) to = focusable.length - 1;
    else to = Math.max(0, Math.min(focusable.length - 1, at + (event.key === 'ArrowUp' ? -1 : 1)));
    event.preventDefault();
    void this.#focusMessage(focusable[to]!.key);
  }

  #messageKeydown(event: KeyboardEvent, item: ChatItem): void {
    if (event.target !== event.currentTarget || item.state !== ChatItemState.Sent || item.deletedAt) return;
    if (event.key === 'Enter' || event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      event.preventDefault();
      const more = (event.currentTarget as HTMLElement).querySelector<HTMLElement>('[data-action="more"]');
      if (more) void this.#openMenu({ currentTarget: more } as unknown as Event, item, 'actions');
    }
  }

  #onScroll(): void {
    const list = this.list;
    if (!list) return;
    const distance = list.scrollHeight - list.scrollTop - list.clientHeight;
    // Only the reader moves the view up while the list keeps its height. The virtualizer measuring the rows it just
    // rendered changes the height, and may then correct the scroll position, up or down; the list may also have
    // grown between the chat scrolling to the end and that scroll's event. Either time, the view still follows.
    const readerUp = list.scrollTop < this.#seen.top - 1 && list.scrollHeight === this.#seen.height;
    this.#seen = { top: list.scrollTop, height: list.scrollHeight };
    if (distance < BOTTOM_SLACK) this.#atBottom = true;
    else if (readerUp) this.#atBottom = false;
    else if (this.#atBottom && !this.#restoring) void this.#scrollToEnd();
    if (this.#atBottom && this.newBelow) this.newBelow = false;
    this.#markSeen();
    const store = this.#chat.store;
    if (list.scrollTop < TOP_SLACK && store?.loaded && store.hasOlder && !store.loadingOlder && !this.#restoring) {
      void this.#loadOlder();
    }
  }

  /** A wheel turned up leaves the bottom at once, even in a frame where the list also grew. Passive: it never holds up the scroll. */
  readonly #wheel = {
    handleEvent: (event: WheelEvent) => {
      if (event.deltaY < 0) this.#atBottom = false;
    },
    passive: true,
  };

  #onRange(event: RangeChangedEvent): void {
    this.#range = { first: event.first, last: event.last };
    // The virtualize directive renders the new range in its own listener, which runs after this one.
    const list = event.currentTarget as HTMLElement;
    queueMicrotask(() => sweepOrphanMarkers(list));
  }

  #onVisibility(): void {
    this.#markSeen();
    if (this.#atBottom && !this.#restoring) void this.#scrollToEnd();
  }

  /** Tells the store the newest message on screen, at most every 200 ms: it measures rows, which costs a layout. */
  #markSeen(): void {
    if (this.#seenTimer !== undefined) return;
    this.#seenTimer = setTimeout(() => {
      this.#seenTimer = undefined;
      this.#measureSeen();
    }, 200);
  }

  #measureSeen(): void {
    const list = this.list;
    const store = this.#chat.store;
    if (!list || !store || document.visibilityState !== 'visible') return;
    const bottom = list.getBoundingClientRect().bottom;
    let newest = 0;
    for (const row of list.querySelectorAll<HTMLElement>('.row[data-id]')) {
      const box = row.getBoundingClientRect();
      if (box.top < bottom && box.bottom > 0) newest = Math.max(newest, Number(row.dataset.id));
    }
    if (newest > 0) store.markSeen(newest);
  }

  /**
   * Right after the render that took an older page, before the virtualizer lays out the new rows (it does in a
   * microtask): pins its layout to the index the anchor row moved to. Laid out first at the old indices, it rendered
   * a whole range of other rows (the older page's, shown for one frame, their markdown too) and then the anchor's
   * again once `#loadOlder` put the view back, two ranges of fresh rows in one frame. Pinned first, it keeps the
   * rows on screen, whose keys it already holds. Inside the range it last rendered, the virtualizer would scroll
   * the child now at that index, another row, so that case is left to `#loadOlder`.
   */
  #pinAnchor(): void {
    const anchor = this.#anchor;
    if (!anchor || anchor.pinned) return;
    const index = this.#rows.findIndex((row) => row.key === anchor.key);
    if (index === -1 || (index >= this.#range.first && index <= this.#range.last)) return;
    const target = this.#virtualizer()?.element(index);
    if (!target) return;
    target.scrollIntoView({ block: 'start' });
    anchor.pinned = true;
  }

  /** Loads the page before the oldest message and puts the row that was at the top back where it was. */
  async #loadOlder(): Promise<void> {
    const list = this.list;
    const store = this.#chat.store;
    if (!list || !store) return;
    const top = list.getBoundingClientRect().top;
    // The anchor is a message or a system note: a day separator's key moves to the top of the list when older
    // messages of that day arrive, and pinning the virtualizer to index 0 sent the reader to the top, which loaded
    // the next page at once, and so on through the whole history in long frames.
    const anchor = [...list.querySelectorAll<HTMLElement>('.row[data-id]')]
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.bottom > top)
      .sort((a, b) => a.box.top - b.box.top)[0];
    const key = anchor?.element.dataset.key;
    const offset = anchor ? anchor.box.top - top : 0;
    this.#restoring = true;
    this.#anchor = key === undefined ? null : { key, pinned: false };
    try {
      const loading = store.loadOlder().catch(() => 0);
      this.requestUpdate(); // aria-busy while the page is on its way
      const added = await loading;
      if (added === 0 || key === undefined) return;
      await this.updateComplete;
      if (!this.#anchor?.pinned) {
        const index = this.#rows.findIndex((row) => row.key === key);
        // Inside the range the virtualizer last rendered it scrolls that range's child at `index - first` natively,
        // which before it has taken the new rows is another row; outside it pins its layout to the index instead.
        if (index <= this.#range.last) await nextFrame();
        this.#virtualizer()?.element(index)?.scrollIntoView({ block: 'start' });
      }
      for (let attempt = 0; attempt < 6; attempt++) {
        await nextFrame();
        const element = this.#rowElement(key);
        if (!element) continue;
        const drift = element.getBoundingClientRect().top - list.getBoundingClientRect().top - offset;
        if (Math.abs(drift) < 1) break;
        list.scrollTop += drift;
      }
    } finally {
      this.#restoring = false;
      this.#anchor = null;
      this.requestUpdate();
    }
    // Still near the top (a fast fling, or a short page): the next page, without waiting for another scroll.
    this.#onScroll();
  }

  #stickToBottom(): void {
    this.#atBottom = true;
    this.newBelow = false;
  }

  #jumpToBottom(): void {
    this.#stickToBottom();
    void this.#scrollToEnd();
    this.list?.focus();
  }

  /**
   * Scrolls to the newest row, and again each frame until the list has kept its height at the end for two frames:
   * the virtualizer measures the rows it rendered there and the list grows, a few frames later on a busy machine.
   * One at a time; a call while one is under way joins it. Stops when the reader scrolls away.
   */
  #scrollToEnd(): Promise<void> {
    const list = this.list;
    if (!list || this.#rows.length === 0) return Promise.resolve();
    this.#ending ??= (async () => {
      for (let frame = 0, still = 0; frame < END_FRAMES && still < 2 && this.#atBottom; frame++) {
        list.scrollTop = list.scrollHeight;
        this.#seen = { top: list.scrollTop, height: list.scrollHeight };
        await nextFrame();
        const settled =
          list.scrollHeight === this.#seen.height && list.scrollHeight - list.scrollTop - list.clientHeight < 2;
        still = settled ? still + 1 : 0;
      }
      this.#markSeen();
    })().finally(() => {
      this.#ending = undefined;
    });
    return this.#ending;
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
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}
