import { msg } from '@lit/localize';
import type {
  ChatMessage,
  ConversationEntry,
  ConversationType,
  CreateConversationRequest,
  TalkClientLike,
} from '@talk/call-core';
import { filterConversations } from '@talk/call-core';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ConversationListController } from '../controllers/conversation-list-controller.js';
import { everywhereSearcher, highlightParts, SearchController } from '../controllers/search-controller.js';
import { TalkConversationSelectEvent } from '../events/talk-conversation-select.js';
import { type TalkUser, TalkUserSearchEvent } from '../events/talk-user-search.js';
import { describeError } from '../i18n/errors.js';
import { formatDateTime, formatNumber, formatRelativeTime } from '../i18n/format.js';
import { LocaleController } from '../i18n/locale.js';
import { avatarOf } from '../talk-chat/chat-text.js';
import { VERSION } from '../version.js';
import { countLabel, mentionsLabel, previewOf, unreadLabel } from './list-text.js';
import { styles } from './talk-conversation-list.styles.js';

/** How often the relative times ("3 minutes ago") are written again. */
const CLOCK_MS = 30_000;
/** The fewest letters the filter needs before it also searches messages: one matches nearly every message. */
const MESSAGE_SEARCH_MIN = 2;

/** The kinds of conversation the form creates. */
type CreatableType = Extract<ConversationType, 'group' | 'public' | 'one-to-one'>;

/**
 * The user's conversations, newest activity first and live: each row with an avatar, the name, the newest message as
 * plain text, when, an unread badge, a mention badge and a mark while a call runs. A filter box narrows the list by
 * name. The rows are a listbox (WAI-ARIA's listbox pattern, with a roving tabindex): arrow keys, Home and End move,
 * Enter or Space (or a click) picks a conversation and fires `talk-conversation-select`. A form creates a group or
 * public conversation (a name, for a public one an optional password) or a one-to-one with a person the host offers:
 * from the `users` property, or answered to `talk-user-search` (the server keeps no user directory).
 *
 * @summary The user's conversations, with unread counts, a filter and a way to start new ones.
 *
 * @fires talk-conversation-select - The user picked (or created) a conversation; `event.token`, `event.conversation`, and `event.messageId` when picked from the message search.
 * @fires talk-user-search - The user is looking for someone to write to; answer with `event.respond(users)`.
 * @fires talk-error - Creating a conversation failed; `event.error` says why.
 * @fires talk-token-expiring - The `token` it made its own client from expires soon; answer with `event.setToken()`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart filter - The filter box.
 * @csspart create-button - The button that opens the form for a new conversation.
 * @csspart create - The form for a new conversation.
 * @csspart create-submit - The form's create button.
 * @csspart list - The listbox of conversations.
 * @csspart conversation - One row; `data-token`, `aria-selected`, `data-unread` when it has unread messages.
 * @csspart avatar - The conversation's picture or initials.
 * @csspart name - Its name.
 * @csspart preview - Its newest message, as plain text.
 * @csspart time - When something last happened in it; its title gives the full date.
 * @csspart unread - The unread badge.
 * @csspart mention - The badge saying the user was mentioned.
 * @csspart call - The mark of a call in progress.
 * @csspart message-search - Below the conversations while the filter has words: the messages of all conversations that hold them.
 * @csspart message-results - The listbox of messages found.
 * @csspart message-result - One message found: its conversation, author and text (the words marked); `data-token`, `data-id`.
 * @csspart message-results-more - Loads older messages found.
 * @csspart empty - What shows when there is no conversation, or none matches the filter.
 * @csspart error - Why the list could not load; `data-code` is the error's code.
 *
 * @cssproperty [--talk-accent=var(--color-primary-element, #00679e)] - The selected row's mark, buttons and the unread badge.
 * @cssproperty [--talk-on-accent=var(--color-primary-element-text, #fff)] - Text on the accent colour.
 * @cssproperty [--talk-surface=var(--color-main-background, #fff)] - Background. Built in: #fff light, #171717 dark.
 * @cssproperty [--talk-text=var(--color-main-text, #222)] - Text. Built in: #222 light, #ebebeb dark.
 * @cssproperty [--talk-muted=var(--color-text-maxcontrast, #6b6b6b)] - Previews and times. Built in: #6b6b6b light, #a6a6a6 dark.
 * @cssproperty [--talk-border=var(--color-border, #ddd)] - Dividers. Built in: #ddd light, #3b3b3b dark.
 * @cssproperty [--talk-input-border=var(--color-border-maxcontrast, #949494)] - Border of the filter and the form's fields.
 * @cssproperty [--talk-control-background=var(--color-background-dark, #e6e6e6)] - Avatars, the hovered and selected rows.
 * @cssproperty [--talk-danger=var(--color-error, #c42e2e)] - The mention badge and errors.
 * @cssproperty [--talk-on-danger=var(--color-error-text, #fff)] - Text on the danger colour.
 * @cssproperty [--talk-speaking=var(--color-success, #2d7b41)] - The call mark.
 * @cssproperty [--talk-radius=var(--border-radius-large, 8px)] - Corner radius of boxes and buttons.
 * @cssproperty [--talk-font-family=var(--font-face, system-ui, sans-serif)] - Font family.
 * @cssproperty [--talk-color-scheme=light dark] - Which schemes the elements may use; the `theme` attribute wins.
 *
 * @tag talk-conversation-list
 */
export class TalkConversationList extends LitElement {
  /** The version of `@talk/elements` this class comes from. */
  static readonly version = VERSION;

  static override styles = styles;

  /** Base URL of the Talk server; empty means this page's origin. Ignored when `client` is set. */
  @property({ attribute: 'server-url' }) serverUrl?: string;

  /** Bearer token for the server. Ignored when `client` is set. */
  @property() token?: string;

  /** A client shared with other elements on the page; wins over `server-url` and `token`. */
  @property({ attribute: false }) client?: TalkClientLike;

  /** Light or dark; unset follows the page (`--talk-color-scheme`, else the reader's prefers-color-scheme). */
  @property({ reflect: true }) theme?: 'light' | 'dark';

  /** The token of the conversation the host shows; its row is marked selected. */
  @property() selected?: string;

  /** People to offer for a one-to-one conversation; `talk-user-search` answers add to them. */
  @property({ attribute: false }) users: readonly TalkUser[] = [];

  /** Where conversation pictures come from: a URL with `{token}` in it; initials when unset or when one fails. */
  @property({ attribute: 'avatar-url' }) avatarUrl?: string;

  readonly #locale = new LocaleController(this);
  readonly #list = new ConversationListController(this);
  readonly #search = new SearchController(this, () => {
    const client = this.#list.store?.client;
    return client ? everywhereSearcher(client) : null;
  });

  @state() private filter = '';
  @state() private active: string | null = null;
  @state() private creating = false;
  @state() private createType: CreatableType = 'group';
  @state() private peopleQuery = '';
  @state() private found: readonly TalkUser[] = [];
  @state() private pickedUser: string | null = null;

  #failedAvatars = new Set<string>();
  #clock: ReturnType<typeof setInterval> | undefined;
  #focusRow = false;
  #searchSequence = 0;

  /** The conversations the list shows now: the filter applied, newest activity first. */
  get visible(): readonly ConversationEntry[] {
    return filterConversations(this.#list.entries, this.filter);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#clock = setInterval(() => this.requestUpdate(), CLOCK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // A row that moved (a new message takes it to the top) is re-inserted, which takes focus from it: give it back.
    const focused = this.shadowRoot?.activeElement;
    this.#focusRow ||= focused instanceof HTMLElement && focused.getAttribute('role') === 'option';
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (!this.#focusRow) return;
    this.#focusRow = false;
    const row = this.#rowOf(this.#activeToken());
    if (row && this.shadowRoot?.activeElement !== row) row.focus();
  }

  override render() {
    const { error } = this.#list;
    const visible = this.visible;
    return html`<div part="base">
      <div class="header">
        <input
          part="filter"
          type="search"
          aria-label=${msg('Filter conversations', { id: 'list.filter.label' })}
          placeholder=${msg('Filter conversations', { id: 'list.filter.label' })}
          aria-controls=${this.#list.loaded && visible.length > 0 ? 'list' : nothing}
          .value=${this.filter}
          @input=${this.#onFilter}
          @keydown=${this.#filterKeydown}
        />
        <button
          part="create-button"
          type="button"
          aria-expanded=${this.creating ? 'true' : 'false'}
          aria-controls=${this.creating ? 'create' : nothing}
          @click=${this.#toggleCreate}
        >
          ${msg('New conversation', { id: 'list.create.open' })}
        </button>
      </div>
      ${this.creating ? this.#renderCreate() : nothing}
      ${error ? html`<div part="error" role="alert" data-code=${error.code}>${describeError(error)}</div>` : nothing}
      <div class="visually-hidden" role="status">${this.#list.loaded && this.filter ? countLabel(this.#locale, visible.length) : ''}</div>
      ${this.#renderList(visible)} ${this.#renderMessageSearch()}
    </div>`;
  }

  /** The messages found across the user's conversations, as Nextcloud Talk's sidebar lists them under its filter. */
  #renderMessageSearch() {
    const search = this.#search;
    if (!search.available || search.query.trim().length < MESSAGE_SEARCH_MIN) return nothing;
    const results = this.#results();
    const status = search.busy
      ? msg('Searching messages…', { id: 'list.search.busy' })
      : results.length === 0
        ? msg('No messages found', { id: 'list.search.none' })
        : '';
    const active = Math.max(0, Math.min(search.active, results.length - 1));
    return html`<section part="message-search" aria-labelledby="message-search-title">
      <h2 id="message-search-title">${msg('Messages', { id: 'list.search.title' })}</h2>
      <div class="search-status" role="status">${status}</div>
      ${
        results.length > 0
          ? html`<div
              part="message-results"
              role="listbox"
              aria-labelledby="message-search-title"
              @keydown=${this.#resultsKeydown}
            >
              ${results.map(({ message, entry }, index) => this.#renderResult(message, entry, index === active, index))}
            </div>`
          : nothing
      }
      ${
        results.length > 0 && search.more
          ? html`<button
              part="message-results-more"
              type="button"
              ?disabled=${search.busy}
              @click=${() => void search.loadMore()}
            >
              ${msg('More results', { id: 'list.search.more' })}
            </button>`
          : nothing
      }
    </section>`;
  }

  #renderResult(message: ChatMessage, entry: ConversationEntry, active: boolean, index: number) {
    const lang = this.#locale.lang;
    const author = message.actorDisplayName || message.actorId;
    const text = message.message.replace(/\s+/g, ' ').trim();
    return html`<div
      part="message-result"
      role="option"
      aria-selected="false"
      tabindex=${active ? '0' : '-1'}
      data-token=${entry.token}
      data-id=${message.id}
      @click=${() => this.#selectResult(message, entry)}
      @focus=${() => this.#search.activate(index)}
    >
      <span class="line">
        <bdi part="name">${entry.name}</bdi>
        <time part="time" datetime=${message.createdAt} title=${formatDateTime(lang, message.createdAt)}
          >${formatRelativeTime(lang, message.createdAt)}</time
        >
      </span>
      <span class="snippet" dir="auto"
        ><bdi class="author">${author}</bdi>: ${highlightParts(text, this.#search.query).map((part) =>
          part.match ? html`<mark>${part.text}</mark>` : part.text,
        )}</span
      >
    </div>`;
  }

  /** The results whose conversation the list holds (the search only reaches the user's own). */
  #results(): { message: ChatMessage; entry: ConversationEntry }[] {
    const entries = new Map(this.#list.entries.map((entry) => [entry.token, entry]));
    return this.#search.results.flatMap((message) => {
      const entry = entries.get(message.conversation);
      return entry ? [{ message, entry }] : [];
    });
  }

  #resultsKeydown(event: KeyboardEvent): void {
    const results = this.#results();
    const index = Math.max(0, Math.min(this.#search.active, results.length - 1));
    let next: number;
    switch (event.key) {
      case 'ArrowDown':
        if (index === results.length - 1 && this.#search.more) {
          event.preventDefault();
          void this.#search.loadMore().then(() => this.#focusResult(this.#search.active));
          return;
        }
        next = Math.min(index + 1, results.length - 1);
        break;
      case 'ArrowUp':
        if (index === 0) {
          // Back up into the conversations, to their last row.
          event.preventDefault();
          this.#focus(this.visible.at(-1)?.token);
          return;
        }
        next = index - 1;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = results.length - 1;
        break;
      case 'Enter':
      case ' ': {
        const result = results[index];
        if (result) this.#selectResult(result.message, result.entry);
        event.preventDefault();
        return;
      }
      default:
        return;
    }
    event.preventDefault();
    void this.#focusResult(next);
  }

  async #focusResult(index: number): Promise<void> {
    this.#search.activate(index);
    await this.updateComplete;
    const rows = this.shadowRoot?.querySelectorAll<HTMLElement>('[part="message-result"]');
    rows?.[index]?.focus();
  }

  #selectResult(message: ChatMessage, entry: ConversationEntry): void {
    this.active = entry.token;
    this.selected = entry.token;
    this.dispatchEvent(new TalkConversationSelectEvent(entry, message.id));
  }

  #renderList(visible: readonly ConversationEntry[]) {
    if (!this.#list.loaded) {
      return html`<p part="empty">${msg('Loading conversations…', { id: 'list.loading' })}</p>`;
    }
    if (visible.length === 0) {
      const words = this.filter
        ? msg('No conversation matches the filter.', { id: 'list.empty.filtered' })
        : msg('No conversations yet.', { id: 'list.empty' });
      return html`<p part="empty">${words}</p>`;
    }
    const active = this.#activeToken(visible);
    return html`<div
      part="list"
      id="list"
      role="listbox"
      aria-label=${msg('Conversations', { id: 'list.label' })}
      @keydown=${this.#listKeydown}
    >
      ${repeat(
        visible,
        (entry) => entry.token,
        (entry) => this.#renderRow(entry, entry.token === active),
      )}
    </div>`;
  }

  #renderRow(entry: ConversationEntry, active: boolean) {
    const lang = this.#locale.lang;
    const preview = previewOf(entry.lastMessage, this.#list.store?.client.userId ?? null);
    const when = formatRelativeTime(lang, entry.lastActivity);
    const selected = entry.token === this.selected;
    return html`<div
      part="conversation"
      role="option"
      aria-selected=${selected ? 'true' : 'false'}
      tabindex=${active ? '0' : '-1'}
      data-token=${entry.token}
      ?data-unread=${entry.unread > 0}
      @click=${() => this.#select(entry)}
      @focus=${() => {
        this.active = entry.token;
      }}
    >
      ${this.#renderAvatar(entry)}
      <span class="main">
        <span class="line">
          <bdi part="name">${entry.name}</bdi>
          <time part="time" datetime=${new Date(entry.lastActivity).toISOString()} title=${formatDateTime(lang, entry.lastActivity)}
            >${when}</time
          >
        </span>
        <span class="line">
          <span part="preview">${preview}</span>
          ${
            entry.callActive
              ? html`<span part="call" title=${msg('Call in progress', { id: 'list.call.active' })}
                  ><svg viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M4 6h11a1 1 0 0 1 1 1v3.5l4-3v9l-4-3V17a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1z" /></svg
                  ><span class="visually-hidden">${msg('Call in progress', { id: 'list.call.active' })}</span></span
                >`
              : nothing
          }
          ${
            entry.mentions > 0
              ? html`<span part="mention" title=${mentionsLabel(this.#locale, entry.mentions)}
                  ><span aria-hidden="true">@</span
                  ><span class="visually-hidden">${mentionsLabel(this.#locale, entry.mentions)}</span></span
                >`
              : nothing
          }
          ${
            entry.unread > 0
              ? html`<span part="unread" title=${unreadLabel(this.#locale, entry.unread)}
                  ><span aria-hidden="true">${formatNumber(lang, entry.unread)}</span
                  ><span class="visually-hidden">${unreadLabel(this.#locale, entry.unread)}</span></span
                >`
              : nothing
          }
        </span>
      </span>
    </div>`;
  }

  #renderAvatar(entry: ConversationEntry) {
    const url = this.avatarUrl?.replaceAll('{token}', encodeURIComponent(entry.token));
    if (url && !this.#failedAvatars.has(url)) {
      return html`<img
        part="avatar"
        src=${url}
        alt=""
        @error=${() => {
          this.#failedAvatars.add(url);
          this.requestUpdate();
        }}
      />`;
    }
    return html`<span part="avatar" aria-hidden="true">${avatarOf(entry.name).initials}</span>`;
  }

  #renderCreate() {
    const type = this.createType;
    const option = (value: CreatableType, label: string) =>
      html`<label class="choice"
        ><input
          type="radio"
          name="type"
          .value=${value}
          .checked=${type === value}
          @change=${() => {
            this.createType = value;
          }}
        />${label}</label
      >`;
    return html`<form
      part="create"
      id="create"
      aria-label=${msg('New conversation', { id: 'list.create.open' })}
      @submit=${this.#onCreate}
      @keydown=${this.#createKeydown}
    >
      <fieldset>
        <legend>${msg('Kind', { id: 'list.create.kind' })}</legend>
        ${option('group', msg('Group', { id: 'list.create.group' }))}
        ${option('public', msg('Public (anyone with the link)', { id: 'list.create.public' }))}
        ${option('one-to-one', msg('One-to-one', { id: 'list.create.one-to-one' }))}
      </fieldset>
      ${type === 'one-to-one' ? this.#renderPeople() : this.#renderNamed(type)}
      <div class="actions">
        <button type="button" @click=${this.#closeCreate}>${msg('Cancel', { id: 'list.create.cancel' })}</button>
        <button part="create-submit" type="submit" class="primary" ?disabled=${type === 'one-to-one' && !this.pickedUser}>
          ${msg('Create', { id: 'list.create.submit' })}
        </button>
      </div>
    </form>`;
  }

  #renderNamed(type: CreatableType) {
    return html`<label class="field"
        >${msg('Name', { id: 'list.create.name' })}
        <input name="name" required maxlength="255" autocomplete="off" />
      </label>
      ${
        type === 'public'
          ? html`<label class="field"
              >${msg('Password (optional)', { id: 'list.create.password' })}
              <input name="password" type="password" maxlength="200" autocomplete="new-password" />
            </label>`
          : nothing
      }`;
  }

  #renderPeople() {
    const candidates = this.#candidates();
    return html`<label class="field"
        >${msg('Find a person', { id: 'list.create.person' })}
        <input name="person" type="search" autocomplete="off" .value=${this.peopleQuery} @input=${this.#onPeopleQuery} />
      </label>
      ${
        candidates.length === 0
          ? html`<p class="hint">${msg('Nobody found. Type a name.', { id: 'list.create.nobody' })}</p>`
          : html`<fieldset class="people">
              <legend>${msg('People', { id: 'list.create.people' })}</legend>
              ${candidates.map(
                (user) =>
                  html`<label class="choice"
                    ><input
                      type="radio"
                      name="user"
                      .value=${user.userId}
                      .checked=${this.pickedUser === user.userId}
                      @change=${() => {
                        this.pickedUser = user.userId;
                      }}
                    /><bdi>${user.displayName}</bdi></label
                  >`,
              )}
            </fieldset>`
      }`;
  }

  /** The people the form offers: the `users` property's matches, then the host's search answers, once each. */
  #candidates(): TalkUser[] {
    const query = this.peopleQuery.trim().toLocaleLowerCase();
    const me = this.#list.store?.client.userId;
    const seen = new Set<string>();
    const matches = (user: TalkUser) =>
      !query || user.displayName.toLocaleLowerCase().includes(query) || user.userId.toLocaleLowerCase().includes(query);
    return [...this.users.filter(matches), ...this.found].filter((user) => {
      if (user.userId === me || seen.has(user.userId)) return false;
      seen.add(user.userId);
      return true;
    });
  }

  #onFilter(event: Event): void {
    this.filter = (event.target as HTMLInputElement).value;
    this.active = null;
    if (this.#search.available) this.#search.type(this.filter.trim().length >= MESSAGE_SEARCH_MIN ? this.filter : '');
  }

  #filterKeydown(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown') return;
    event.preventDefault();
    const first = this.visible[0]?.token;
    if (first) this.#focus(first);
    else if (this.#results().length > 0) void this.#focusResult(0);
  }

  #listKeydown(event: KeyboardEvent): void {
    const visible = this.visible;
    const index = visible.findIndex((entry) => entry.token === this.#activeToken(visible));
    let next: number | undefined;
    switch (event.key) {
      case 'ArrowDown':
        if (index === visible.length - 1 && this.#results().length > 0) {
          // On from the last conversation into the messages found.
          event.preventDefault();
          void this.#focusResult(0);
          return;
        }
        next = Math.min(index + 1, visible.length - 1);
        break;
      case 'ArrowUp':
        next = Math.max(index - 1, 0);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = visible.length - 1;
        break;
      case 'Enter':
      case ' ': {
        const entry = visible[index];
        if (entry) this.#select(entry);
        event.preventDefault();
        return;
      }
      default:
        return;
    }
    event.preventDefault();
    this.#focus(visible[next]?.token);
  }

  #select(entry: ConversationEntry): void {
    this.active = entry.token;
    this.selected = entry.token;
    this.dispatchEvent(new TalkConversationSelectEvent(entry));
  }

  #focus(token: string | undefined): void {
    if (!token) return;
    this.active = token;
    this.#rowOf(token)?.focus();
  }

  /** The row that takes Tab: the one last moved to, else the selected one, else the first. */
  #activeToken(visible = this.visible): string | undefined {
    const has = (token: string | null | undefined) => !!token && visible.some((entry) => entry.token === token);
    if (has(this.active)) return this.active!;
    if (has(this.selected)) return this.selected;
    return visible[0]?.token;
  }

  #rowOf(token: string | undefined): HTMLElement | null {
    if (!token) return null;
    return (
      this.shadowRoot?.querySelector<HTMLElement>(`[part="conversation"][data-token="${CSS.escape(token)}"]`) ?? null
    );
  }

  async #toggleCreate(): Promise<void> {
    if (this.creating) return this.#closeCreate();
    this.creating = true;
    await this.updateComplete;
    this.shadowRoot?.querySelector<HTMLInputElement>('[part="create"] input[type="radio"]:checked')?.focus();
  }

  async #closeCreate(): Promise<void> {
    this.creating = false;
    this.peopleQuery = '';
    this.found = [];
    this.pickedUser = null;
    await this.updateComplete;
    this.shadowRoot?.querySelector<HTMLElement>('[part="create-button"]')?.focus();
  }

  #createKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    void this.#closeCreate();
  }

  #onPeopleQuery(event: Event): void {
    const query = (event.target as HTMLInputElement).value;
    this.peopleQuery = query;
    const sequence = ++this.#searchSequence;
    this.dispatchEvent(
      new TalkUserSearchEvent(query, (users) => {
        // Only the answer to the newest query counts; an older one arriving late would show stale people.
        if (sequence === this.#searchSequence) this.found = [...users];
      }),
    );
  }

  async #onCreate(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    let request: CreateConversationRequest;
    if (this.createType === 'one-to-one') {
      const user = this.#candidates().find((candidate) => candidate.userId === this.pickedUser);
      if (!user) return;
      request = { type: 'one-to-one', name: user.displayName, participants: [{ userId: user.userId }] };
    } else {
      const name = String(data.get('name') ?? '').trim();
      if (!name) return;
      const password = String(data.get('password') ?? '');
      request = { type: this.createType, name, ...(this.createType === 'public' && password ? { password } : {}) };
    }
    const created = await this.#list.create(request);
    if (!created) return;
    this.filter = '';
    this.#search.type('');
    await this.#closeCreate();
    this.#select(created);
    await this.updateComplete;
    this.#focus(created.token);
  }
}
