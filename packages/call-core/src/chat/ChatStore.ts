import type { ChatMessage, ReactionsResponse, ServerMessageOf } from '@talk/protocol';
import { backoffDelay } from '../client/backoff.js';
import { ClientEvent } from '../client/events.js';
import type { TalkClientLike } from '../client/TalkClientLike.js';
import { TypedEmitter } from '../emitter.js';
import { asTalkError, TalkError, TalkErrorCode } from '../errors.js';
import { randomId } from '../random.js';
import { type ChatItem, ChatItemState, type ChatReactor, itemOf, mentions, messageOf, sameTally } from './ChatItem.js';
import { ReadMarker, type UnreadState } from './ReadMarker.js';
import { type TypingOptions, TypingTracker, type Typist } from './Typing.js';

export type { ChatItem, ChatReactor, ChatReplyTo, TextSegment } from './ChatItem.js';
export { ChatItemState, itemOf as chatItemOf, segmentsOf } from './ChatItem.js';

/** Events of a ChatStore. */
export enum ChatEvent {
  /** The list changed: a message arrived, was confirmed, failed, edited, deleted or reacted to, or older ones loaded. */
  ItemsChanged = 'itemsChanged',
  /** A message of ours was stored by the server. */
  MessageSent = 'messageSent',
  /** Messages from others (or system notes) arrived live, not from loading history. */
  MessagesReceived = 'messagesReceived',
  /** Who is typing changed. */
  TypingChanged = 'typingChanged',
  /** The unread count, the mention count or the divider changed. */
  UnreadChanged = 'unreadChanged',
  /** Loading or catching up failed. */
  Error = 'error',
}

/** Listener signatures of ChatEvent. */
export type ChatEventCallbacks = {
  [ChatEvent.ItemsChanged]: (items: readonly ChatItem[]) => void;
  [ChatEvent.MessageSent]: (message: ChatMessage) => void;
  [ChatEvent.MessagesReceived]: (items: readonly ChatItem[]) => void;
  [ChatEvent.TypingChanged]: (typists: readonly Typist[]) => void;
  [ChatEvent.UnreadChanged]: (unread: UnreadState) => void;
  [ChatEvent.Error]: (error: TalkError) => void;
};

/** Options of a ChatStore. */
export interface ChatStoreOptions {
  /** Messages per REST page. */
  pageSize?: number;
  /** Attempts per send before a message counts as failed. */
  sendAttempts?: number;
  /** Delay before the first automatic resend, in milliseconds; doubles per attempt. */
  retryDelayMs?: number;
  /** Also list and take pushes of system messages (joined, call started, …); off by default. */
  system?: boolean;
  /**
   * After a reconnect, how many of the newest held messages are fetched again, so that edits, deletions and
   * reactions made while offline show (the server has no feed of changes, only of new messages).
   */
  refreshWindow?: number;
  /** How often the read marker is told to the server at most, in milliseconds. */
  readMarkerDelayMs?: number;
  /** Timings of typing notices. */
  typing?: TypingOptions;
}

/** Options of `send`. */
export interface SendOptions {
  /** The id of the message this one answers. */
  replyTo?: number;
  /** Counts as read for everyone: no unread count, no mention. */
  silent?: boolean;
}

/**
 * The messages of one conversation, ordered by id, a contiguous window of its history: the newest page on start,
 * older pages through `loadOlder()`, and forward through pushes and catch-up. Sends are optimistic and carry a
 * referenceId, so a resend after a lost answer cannot duplicate a message. Pushed messages and REST pages merge by id:
 * after a reconnect the store asks for everything after the newest messages it holds, so nothing is missed, nothing
 * shows twice, and changes made to those messages while offline show too. Edits, deletions and reactions apply live.
 */
export class ChatStore extends TypedEmitter<ChatEventCallbacks> {
  /** The client this store reads and writes through. */
  readonly client: TalkClientLike;
  /** The conversation's token. */
  readonly conversation: string;
  readonly #options: Required<Omit<ChatStoreOptions, 'typing'>>;
  readonly #sent = new Map<number, ChatItem>();
  readonly #unsent = new Map<string, ChatItem>();
  readonly #typing: TypingTracker;
  readonly #marker: ReadMarker;
  #items: readonly ChatItem[] = [];
  #started = false;
  #loaded = false;
  #closed = false;
  #hasOlder = true;
  #loadingOlder: Promise<number> | null = null;
  #catchingUp: Promise<void> | null = null;
  /** The catch-up to run after the current one: from the lowest starting point asked for meanwhile. */
  #queuedCatchUp: { refresh: boolean; from: number } | undefined;
  #unread: UnreadState = { count: 0, mentions: 0, dividerBefore: null };
  readonly #unsubscribe: (() => void)[] = [];

  constructor(client: TalkClientLike, conversation: string, options: ChatStoreOptions = {}) {
    super();
    this.client = client;
    this.conversation = conversation;
    const { typing, ...rest } = options;
    this.#options = {
      pageSize: 100,
      sendAttempts: 3,
      retryDelayMs: 500,
      system: false,
      refreshWindow: 200,
      readMarkerDelayMs: 500,
      ...rest,
    };
    this.#typing = new TypingTracker(
      (active) => this.#sendTyping(active),
      (typists) => this.emit(ChatEvent.TypingChanged, typists),
      typing,
    );
    this.#marker = new ReadMarker((id) => this.client.markRead(this.conversation, id), this.#options.readMarkerDelayMs);
  }

  /** Messages oldest first, then ours that are pending or failed in the order they were written. */
  get items(): readonly ChatItem[] {
    return this.#items;
  }

  /** The highest message id this store holds; catch-up asks for what comes after it. */
  get lastKnownId(): number {
    let last = 0;
    for (const id of this.#sent.keys()) last = Math.max(last, id);
    return last;
  }

  /** The lowest message id this store holds, or 0 when it holds none. */
  get oldestKnownId(): number {
    let oldest = 0;
    for (const id of this.#sent.keys()) oldest = oldest === 0 ? id : Math.min(oldest, id);
    return oldest;
  }

  /** Whether older messages may exist than the oldest held; false once a backward page came back short. */
  get hasOlder(): boolean {
    return this.#hasOlder;
  }

  /** Whether `loadOlder()` is under way. */
  get loadingOlder(): boolean {
    return this.#loadingOlder !== null;
  }

  /** Whether the first page has loaded. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** Others typing now, in the order they started; never this user's own sessions. */
  get typists(): readonly Typist[] {
    return this.#typing.typists;
  }

  /** The unread count, mentions and where the divider goes. */
  get unread(): UnreadState {
    return this.#unread;
  }

  /** The newest id counted as read. */
  get lastReadId(): number {
    return this.#marker.lastReadId;
  }

  /** Joins the conversation for pushed messages, then loads the newest page and places the read marker. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const mine = (conversation: string) => conversation === this.conversation;
    this.#unsubscribe.push(
      this.client.on(ClientEvent.ChatMessage, ({ conversation, message }) => {
        if (mine(conversation)) this.#received([message]);
      }),
      this.client.on(ClientEvent.SystemMessage, ({ conversation, message }) => {
        if (this.#options.system && mine(conversation)) this.#received([message]);
      }),
      this.client.on(ClientEvent.ChatMessageUpdated, ({ conversation, message }) => {
        if (mine(conversation)) this.#update(message);
      }),
      this.client.on(ClientEvent.Reaction, (push) => {
        if (mine(push.conversation)) this.#reacted(push);
      }),
      this.client.on(ClientEvent.Typing, (push) => {
        if (mine(push.conversation) && push.sessionId !== this.client.sessionId && push.userId !== this.client.userId) {
          this.#typing.receive(push);
        }
      }),
      this.client.on(ClientEvent.SessionLeft, (conversation, sessionId) => {
        if (mine(conversation)) this.#typing.forget(sessionId);
      }),
      this.client.on(ClientEvent.Connected, (_sessionId, { resumed }) => {
        // A resumed session is still in the conversation; a new one is not until ConversationJoined.
        if (resumed) this.#typing.connected();
        // A resume replays what the server buffered, not what it had written into the socket that died; that may
        // have held edits, deletions and reactions too, so the newest held messages are fetched again as well.
        if (resumed) void this.catchUp({ refresh: true }).catch(() => {});
      }),
      this.client.on(ClientEvent.ConversationJoined, (conversation, _sessions, { rejoined }) => {
        if (!mine(conversation)) return;
        this.#typing.connected();
        // Re-joined after a drop: pushes flow again, so one fetch over the newest held messages closes the gap.
        if (rejoined) void this.catchUp({ refresh: true }).catch(() => {});
      }),
    );
    try {
      await this.client.join(this.conversation);
    } catch (error) {
      // Without signaling the list still loads; it just will not update until the client reconnects.
      this.emit(ChatEvent.Error, asTalkError(error, TalkErrorCode.SignalingClosed));
    }
    await this.catchUp();
    await this.#openMarker();
    this.#loaded = true;
    void this.#loadReactors(this.#items);
  }

  /** Stops listening, tells the server the read marker, and leaves the conversation on signaling. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#typing.stop();
    this.#typing.close();
    this.#marker.close();
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    if (this.#started) this.client.leave(this.conversation);
    this.removeAllListeners();
  }

  /**
   * Fetches what the store has not seen: the newest page when empty, else every page after `lastKnownId` as it
   * is now; with `refresh`, from before the newest `refreshWindow` held messages, replacing them as they are now.
   * A call while one runs is queued behind it from its own starting point, so a gap that opened meanwhile (pushes
   * lost in a dead socket, then later ones replayed past it) is still fetched.
   */
  catchUp(options: { refresh?: boolean } = {}): Promise<void> {
    const wanted = { refresh: options.refresh ?? false, from: this.lastKnownId };
    const queued = this.#queuedCatchUp;
    this.#queuedCatchUp = queued
      ? { refresh: queued.refresh || wanted.refresh, from: Math.min(queued.from, wanted.from) }
      : wanted;
    this.#catchingUp ??= (async () => {
      for (let next = this.#queuedCatchUp; next; next = this.#queuedCatchUp) {
        this.#queuedCatchUp = undefined;
        await this.#fetchMissing(next.refresh, next.from);
      }
    })().finally(() => {
      this.#catchingUp = null;
      this.#queuedCatchUp = undefined;
    });
    return this.#catchingUp;
  }

  /** Loads the page before the oldest held message; resolves with how many were added (0 at the start). */
  loadOlder(): Promise<number> {
    if (!this.#hasOlder || this.#sent.size === 0) return Promise.resolve(0);
    this.#loadingOlder ??= this.#fetchOlder().finally(() => {
      this.#loadingOlder = null;
    });
    return this.#loadingOlder;
  }

  /** Shows `text` at once as pending and sends it, resending on network errors; resolves with the stored message. */
  send(text: string, options: SendOptions = {}): Promise<ChatMessage> {
    const referenceId = randomId();
    const replied = options.replyTo === undefined ? undefined : this.#sent.get(options.replyTo);
    this.#typing.stop();
    this.#setUnsent({
      ...itemOf(
        {
          id: 0,
          conversation: this.conversation,
          referenceId,
          actorId: this.client.userId ?? '',
          actorDisplayName: '',
          message: text,
          createdAt: new Date().toISOString(),
          silent: options.silent,
          replyTo: replied?.id
            ? {
                id: replied.id,
                actorId: replied.actorId,
                actorDisplayName: replied.actorDisplayName,
                message: replied.message,
                deleted: replied.deletedAt !== null,
              }
            : null,
        },
        referenceId,
      ),
      id: null,
      state: ChatItemState.Pending,
    });
    return this.#deliver(referenceId, options);
  }

  /** Sends a failed message again, with its original referenceId. */
  retry(referenceId: string): Promise<ChatMessage> {
    const item = this.#unsent.get(referenceId);
    if (!item || item.state !== ChatItemState.Failed) {
      return Promise.reject(new TalkError(TalkErrorCode.InvalidState, `No failed message ${referenceId}`));
    }
    this.#setUnsent({ ...item, state: ChatItemState.Pending, error: undefined });
    return this.#deliver(referenceId, { replyTo: item.replyTo?.id, silent: item.silent });
  }

  /** Replaces the text of one of the user's messages. */
  async edit(messageId: number, text: string): Promise<ChatMessage> {
    const message = await this.client.editMessage(this.conversation, messageId, { message: text });
    this.#update(message);
    return message;
  }

  /** Deletes a message: the user's own, or anyone's as a moderator. */
  async delete(messageId: number): Promise<ChatMessage> {
    const message = await this.client.deleteMessage(this.conversation, messageId);
    this.#update(message);
    return message;
  }

  /** Gives `reaction` to a message, or takes it back if the user gave it already. */
  async toggleReaction(messageId: number, reaction: string): Promise<void> {
    const item = this.#sent.get(messageId);
    const added = !item?.ownReactions.includes(reaction);
    const reactors = await this.client.setReaction(this.conversation, messageId, reaction, added);
    this.#setReactors(messageId, reactors);
  }

  /** The user's newest message that may still be edited, for "Up edits the last message". */
  lastOwnMessage(): ChatItem | undefined {
    const userId = this.client.userId;
    for (let i = this.#items.length - 1; i >= 0; i--) {
      const item = this.#items[i]!;
      if (item.state === ChatItemState.Sent && item.actorId === userId && item.kind !== 'system' && !item.deletedAt) {
        return item;
      }
    }
    return undefined;
  }

  /** Whether `item` mentions the user, by name or through `@all`. */
  mentionsMe(item: ChatItem): boolean {
    return mentions(item, this.client.userId);
  }

  /** The user edited the draft: others see "typing" (throttled) until the user stops or sends. */
  noteTyping(): void {
    this.#typing.noteTyping();
  }

  /** The user cleared the draft or left the composer. */
  stopTyping(): void {
    this.#typing.stop();
  }

  /** The user saw the messages up to `messageId` (the element reports the newest one on screen). */
  markSeen(messageId: number): void {
    if (this.#loaded && this.#marker.seen(messageId)) this.#publishUnread();
  }

  /** Every page after `from` (or the refresh window); the newest page for a store that has loaded nothing yet. */
  async #fetchMissing(refresh: boolean, from: number): Promise<void> {
    try {
      // Once the first page is in, an empty store catches up from the start: what it missed may be all there is.
      if (this.#sent.size === 0 && !this.#loaded) {
        const page = await this.#list({});
        if (page.length < this.#options.pageSize) this.#hasOlder = false;
        this.#merge(page, false);
        return;
      }
      const ids = [...this.#sent.keys()].sort((a, b) => a - b);
      const window = ids[Math.max(0, ids.length - this.#options.refreshWindow)];
      let after = refresh && window !== undefined ? Math.min(window - 1, from) : from;
      for (;;) {
        const page = await this.#list({ after });
        this.#merge(page, this.#loaded, refresh);
        if (page.length < this.#options.pageSize) return;
        after = page.at(-1)!.id;
      }
    } catch (error) {
      const talkError = asTalkError(error, TalkErrorCode.Network);
      this.emit(ChatEvent.Error, talkError);
      throw talkError;
    }
  }

  async #fetchOlder(): Promise<number> {
    try {
      const page = await this.#list({ before: this.oldestKnownId });
      if (page.length < this.#options.pageSize) this.#hasOlder = false;
      const before = this.#sent.size;
      this.#merge(page, false);
      void this.#loadReactors(page.map((message) => this.#sent.get(message.id)!));
      return this.#sent.size - before;
    } catch (error) {
      const talkError = asTalkError(error, TalkErrorCode.Network);
      this.emit(ChatEvent.Error, talkError);
      throw talkError;
    }
  }

  #list(page: { after?: number; before?: number }): Promise<ChatMessage[]> {
    return this.client.listMessages(this.conversation, {
      ...page,
      limit: this.#options.pageSize,
      system: this.#options.system,
    });
  }

  async #openMarker(): Promise<void> {
    let counts = {};
    try {
      const conversation = (await this.client.listConversations()).find((c) => c.token === this.conversation);
      counts = conversation ?? {};
    } catch {
      // Without the counts everything loaded counts as read; the badge is then only wrong until the next message.
    }
    this.#marker.open(this.#items, this.client.userId, counts);
    this.#publishUnread();
  }

  async #deliver(referenceId: string, options: SendOptions): Promise<ChatMessage> {
    for (let attempt = 0; ; attempt++) {
      const item = this.#unsent.get(referenceId);
      if (!item) throw new TalkError(TalkErrorCode.Aborted, 'The message was removed while sending');
      try {
        const message = await this.client.postMessage(this.conversation, {
          message: item.message,
          referenceId,
          ...(options.replyTo === undefined ? {} : { replyTo: options.replyTo }),
          ...(options.silent ? { silent: true } : {}),
        });
        this.#merge([message], false);
        this.emit(ChatEvent.MessageSent, message);
        return message;
      } catch (cause) {
        const error = asTalkError(cause, TalkErrorCode.Network);
        // The push may have confirmed the message although the answer to the POST was lost.
        const confirmed = [...this.#sent.values()].find((sent) => sent.referenceId === referenceId);
        if (confirmed) return messageOf(confirmed, this.conversation);
        if (this.#closed || !error.retryable || attempt + 1 >= this.#options.sendAttempts) {
          this.#setUnsent({ ...item, state: ChatItemState.Failed, error });
          throw error;
        }
        await sleep(backoffDelay(attempt, { initialDelayMs: this.#options.retryDelayMs, jitter: 0.2 }));
      }
    }
  }

  /** Pushed messages: merged, and those from others announced. */
  #received(messages: readonly ChatMessage[]): void {
    this.#merge(messages, true);
  }

  /**
   * Adds messages by id. `live` ones from others count towards unread and are announced; with `replace`, messages
   * held already are taken as they are now (a refresh after a reconnect).
   */
  #merge(messages: readonly ChatMessage[], live: boolean, replace = false): void {
    const arrived: ChatItem[] = [];
    const changedReactions: ChatItem[] = [];
    let changed = false;
    for (const message of messages) {
      const held = this.#sent.get(message.id);
      if (held) {
        if (replace) {
          const next = this.#replaced(held, message);
          if (next !== held) {
            this.#sent.set(message.id, next);
            if (next.reactors === null && Object.keys(next.reactions).length > 0) changedReactions.push(next);
            changed = true;
          }
        }
        continue;
      }
      const key =
        message.referenceId && this.#unsent.delete(message.referenceId) ? message.referenceId : `id:${message.id}`;
      const item = itemOf(message, key);
      this.#sent.set(message.id, item);
      changed = true;
      if (message.actorId === this.client.userId && message.kind !== 'system') {
        this.#marker.seen(message.id); // what one writes, one has read, as the server also assumes
      } else if (live) {
        this.#marker.arrived(item, this.client.userId);
        arrived.push(item);
      }
    }
    if (!changed) return;
    this.#publish();
    if (this.#loaded) this.#publishUnread();
    if (arrived.length > 0 && this.#loaded) this.emit(ChatEvent.MessagesReceived, arrived);
    if (changedReactions.length > 0) void this.#loadReactors(changedReactions);
  }

  /** A held message as `message` says it is now; the same object when nothing a list shows changed. */
  #replaced(held: ChatItem, message: ChatMessage): ChatItem {
    const next = itemOf(message, held.key);
    const same =
      held.message === next.message &&
      held.editedAt === next.editedAt &&
      held.deletedAt === next.deletedAt &&
      held.replyTo?.message === next.replyTo?.message &&
      held.replyTo?.deleted === next.replyTo?.deleted &&
      sameTally(held.reactions, next.reactions);
    if (same) return held;
    // Who reacted is still right when the counts are; otherwise it is asked for again.
    return sameTally(held.reactions, next.reactions)
      ? { ...next, ownReactions: held.ownReactions, reactors: held.reactors }
      : next;
  }

  /** An edit or deletion: the message, and the quotes of it in replies, as they are now. */
  #update(message: ChatMessage): void {
    const held = this.#sent.get(message.id);
    if (!held) return; // outside the loaded window; a page that loads it later brings it as it is
    const next = this.#replaced(held, message);
    let changed = next !== held;
    this.#sent.set(message.id, next);
    for (const [id, item] of this.#sent) {
      if (item.replyTo?.id !== message.id) continue;
      this.#sent.set(id, {
        ...item,
        replyTo: { ...item.replyTo, message: message.message, deleted: Boolean(message.deletedAt) },
      });
      changed = true;
    }
    if (changed) {
      this.#publish();
      this.#publishUnread();
    }
  }

  #reacted(push: ServerMessageOf<'reaction'>): void {
    const held = this.#sent.get(push.messageId);
    if (!held) return;
    const mine = push.actorId === this.client.userId;
    let reactors = held.reactors;
    if (reactors) {
      const others = (reactors[push.reaction] ?? []).filter((r) => r.actorId !== push.actorId);
      const list = push.added
        ? [...others, { actorId: push.actorId, actorDisplayName: push.actorDisplayName }]
        : others;
      const next: Record<string, readonly ChatReactor[]> = { ...reactors, [push.reaction]: list };
      if (list.length === 0) delete next[push.reaction];
      reactors = next;
    }
    const own = held.ownReactions.filter((r) => r !== push.reaction);
    const next: ChatItem = {
      ...held,
      reactions: push.reactions,
      reactors,
      ownReactions: mine && push.added ? [...own, push.reaction] : mine ? own : held.ownReactions,
    };
    this.#sent.set(push.messageId, next);
    this.#publish();
    // The first reaction to a message loaded without any: ask once who gave what, then pushes keep it.
    if (reactors === null) void this.#loadReactors([next]);
  }

  #setReactors(messageId: number, response: ReactionsResponse): void {
    const held = this.#sent.get(messageId);
    if (!held) return;
    const userId = this.client.userId;
    const reactions: Record<string, number> = {};
    const ownReactions: string[] = [];
    for (const [reaction, actors] of Object.entries(response)) {
      if (actors.length === 0) continue;
      reactions[reaction] = actors.length;
      if (actors.some((actor) => actor.actorId === userId)) ownReactions.push(reaction);
    }
    this.#sent.set(messageId, { ...held, reactions, ownReactions, reactors: response });
    this.#publish();
  }

  /** Asks who reacted to the messages with reactions among `items`, a few at a time. */
  async #loadReactors(items: readonly ChatItem[]): Promise<void> {
    const queue = items.filter((item) => item.id !== null && Object.keys(item.reactions).length > 0);
    const worker = async () => {
      for (let item = queue.shift(); item && !this.#closed; item = queue.shift()) {
        try {
          this.#setReactors(item.id!, await this.client.listReactions(this.conversation, item.id!));
        } catch {
          // The counts still show; who gave them is asked for again after the next change.
        }
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  }

  #sendTyping(typing: boolean): boolean {
    try {
      this.client.send({ type: 'typing', conversation: this.conversation, typing });
      return true;
    } catch {
      // Not connected (yet): nobody is told now; the next key tries again.
      return false;
    }
  }

  #setUnsent(item: ChatItem): void {
    this.#unsent.set(item.key, item);
    this.#publish();
  }

  #publish(): void {
    const sent = [...this.#sent.values()].sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
    this.#items = [...sent, ...this.#unsent.values()];
    this.emit(ChatEvent.ItemsChanged, this.#items);
  }

  #publishUnread(): void {
    const next = this.#marker.state(this.#items, this.client.userId);
    const last = this.#unread;
    if (next.count === last.count && next.mentions === last.mentions && next.dividerBefore === last.dividerBefore) {
      return;
    }
    this.#unread = next;
    this.emit(ChatEvent.UnreadChanged, next);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
