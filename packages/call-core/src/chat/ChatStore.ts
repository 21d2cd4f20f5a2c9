import type { ChatMessage, MessageKind, SystemParameters } from '@talk/protocol';
import { backoffDelay } from '../client/backoff.js';
import { ClientEvent } from '../client/events.js';
import type { TalkClientLike } from '../client/TalkClientLike.js';
import { TypedEmitter } from '../emitter.js';
import { asTalkError, TalkError, TalkErrorCode } from '../errors.js';
import { randomId } from '../random.js';

/** Where a message in the list stands. */
export enum ChatItemState {
  /** Stored by the server; it has an id. */
  Sent = 'sent',
  /** Sent optimistically and not yet confirmed. */
  Pending = 'pending',
  /** Sending gave up; `retry(referenceId)` tries again. */
  Failed = 'failed',
}

/** One message as a list shows it: a stored message, or one of ours still on its way. */
export interface ChatItem {
  /** Stable across the pending → sent transition, so a list can key its rows by it. */
  readonly key: string;
  /** The server's id; null until stored. */
  readonly id: number | null;
  /** The id the sender chose for deduplication; null for messages sent without one. */
  readonly referenceId: string | null;
  /** Author's user id. */
  readonly actorId: string;
  /** Author's name at the time of sending. */
  readonly actorDisplayName: string;
  /** The text; for a system message, the server's English wording, which a client shows only for unknown types. */
  readonly message: string;
  /** `comment` when absent; `system` for what the server writes (joined, call started, …). */
  readonly kind?: MessageKind;
  /** For system messages: what happened (`conversation-created`, `user-added`, `call-started`, …). */
  readonly systemType?: string | null;
  /** What the wording needs besides the actor (the second person, the new name, …); read it with `systemParametersOf`. */
  readonly systemParameters?: SystemParameters | null;
  /** When the server stored it, or when it was sent locally. */
  readonly createdAt: string;
  /** Sent, pending or failed. */
  readonly state: ChatItemState;
  /** Why sending failed. */
  readonly error?: TalkError;
}

/** Events of a ChatStore. */
export enum ChatEvent {
  /** The list changed: a message arrived, was confirmed or failed. */
  ItemsChanged = 'itemsChanged',
  /** A message of ours was stored by the server. */
  MessageSent = 'messageSent',
  /** Loading or catching up failed. */
  Error = 'error',
}

/** Listener signatures of ChatEvent. */
export type ChatEventCallbacks = {
  [ChatEvent.ItemsChanged]: (items: readonly ChatItem[]) => void;
  [ChatEvent.MessageSent]: (message: ChatMessage) => void;
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
}

/**
 * The messages of one conversation, ordered by id. Sends are optimistic and carry a referenceId, so a resend after
 * a lost answer cannot duplicate a message. Pushed messages and REST catch-up merge by id: after a reconnect the
 * store asks for everything after the last id it knows, so nothing is missed and nothing shows twice.
 */
export class ChatStore extends TypedEmitter<ChatEventCallbacks> {
  /** The client this store reads and writes through. */
  readonly client: TalkClientLike;
  /** The conversation's token. */
  readonly conversation: string;
  readonly #options: Required<ChatStoreOptions>;
  readonly #sent = new Map<number, ChatItem>();
  readonly #unsent = new Map<string, ChatItem>();
  #items: readonly ChatItem[] = [];
  #started = false;
  #closed = false;
  #catchingUp: Promise<void> | null = null;
  /** Where the next queued catch-up starts: undefined when none is queued, null for the newest page. */
  #catchUpFrom: number | null | undefined;
  /** Set once the newest page has been loaded. */
  #loaded = false;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(client: TalkClientLike, conversation: string, options: ChatStoreOptions = {}) {
    super();
    this.client = client;
    this.conversation = conversation;
    this.#options = { pageSize: 100, sendAttempts: 3, retryDelayMs: 500, system: false, ...options };
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

  /** Joins the conversation for pushed messages, then loads the newest page. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#unsubscribe.push(
      this.client.on(ClientEvent.ChatMessage, ({ conversation, message }) => {
        if (conversation === this.conversation) this.#merge([message]);
      }),
      this.client.on(ClientEvent.SystemMessage, ({ conversation, message }) => {
        if (this.#options.system && conversation === this.conversation) this.#merge([message]);
      }),
      this.client.on(ClientEvent.Connected, (_sessionId, { resumed }) => {
        // A resume replays what the server buffered, not what it had written into the socket that died.
        if (resumed) void this.catchUp().catch(() => {});
      }),
      this.client.on(ClientEvent.ConversationJoined, (conversation, _sessions, { rejoined }) => {
        // Re-joined after a drop: pushes flow again, so one fetch from the last known id closes the gap.
        if (conversation === this.conversation && rejoined) void this.catchUp().catch(() => {});
      }),
    );
    try {
      await this.client.join(this.conversation);
    } catch (error) {
      // Without signaling the list still loads; it just will not update until the client reconnects.
      this.emit(ChatEvent.Error, asTalkError(error, TalkErrorCode.SignalingClosed));
    }
    await this.catchUp();
  }

  /** Stops listening and leaves the conversation on signaling. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    if (this.#started) this.client.leave(this.conversation);
    this.removeAllListeners();
  }

  /**
   * Fetches what the store has not seen: the newest page when empty, else every page after `lastKnownId` as it
   * is now. A call while one runs is queued behind it from its own starting point, so a gap that opened meanwhile
   * (pushes lost in a dead socket, then later ones replayed) is still fetched.
   */
  catchUp(): Promise<void> {
    // Once the first page is in, an empty store catches up from the start: what it missed may be all there is.
    const from = this.#sent.size === 0 && !this.#loaded ? null : this.lastKnownId;
    const queued = this.#catchUpFrom;
    this.#catchUpFrom = queued === undefined || queued === null || from === null ? from : Math.min(queued, from);
    this.#catchingUp ??= (async () => {
      while (this.#catchUpFrom !== undefined) {
        const start = this.#catchUpFrom;
        this.#catchUpFrom = undefined;
        await this.#fetchMissing(start);
      }
    })().finally(() => {
      this.#catchingUp = null;
      this.#catchUpFrom = undefined;
    });
    return this.#catchingUp;
  }

  /** Shows `text` at once as pending and sends it, resending on network errors; resolves with the stored message. */
  send(text: string): Promise<ChatMessage> {
    const referenceId = randomId();
    this.#setUnsent({
      key: referenceId,
      id: null,
      referenceId,
      actorId: this.client.userId ?? '',
      actorDisplayName: '',
      message: text,
      createdAt: new Date().toISOString(),
      state: ChatItemState.Pending,
    });
    return this.#deliver(referenceId);
  }

  /** Sends a failed message again, with its original referenceId. */
  retry(referenceId: string): Promise<ChatMessage> {
    const item = this.#unsent.get(referenceId);
    if (!item || item.state !== ChatItemState.Failed) {
      return Promise.reject(new TalkError(TalkErrorCode.InvalidState, `No failed message ${referenceId}`));
    }
    this.#setUnsent({ ...item, state: ChatItemState.Pending, error: undefined });
    return this.#deliver(referenceId);
  }

  /** Every page after `from` (the newest page when null); each page starts after the previous one's last. */
  async #fetchMissing(from: number | null): Promise<void> {
    try {
      if (from === null) {
        this.#merge(
          await this.client.listMessages(this.conversation, {
            limit: this.#options.pageSize,
            system: this.#options.system,
          }),
        );
        this.#loaded = true;
        return;
      }
      // From the page just read, not lastKnownId: pushes that arrive meanwhile would skip what lies between.
      for (let after = from; ; ) {
        const page = await this.client.listMessages(this.conversation, {
          after,
          limit: this.#options.pageSize,
          system: this.#options.system,
        });
        this.#merge(page);
        if (page.length < this.#options.pageSize) return;
        after = page.at(-1)!.id;
      }
    } catch (error) {
      const talkError = asTalkError(error, TalkErrorCode.Network);
      this.emit(ChatEvent.Error, talkError);
      throw talkError;
    }
  }

  async #deliver(referenceId: string): Promise<ChatMessage> {
    for (let attempt = 0; ; attempt++) {
      const item = this.#unsent.get(referenceId);
      if (!item) throw new TalkError(TalkErrorCode.Aborted, 'The message was removed while sending');
      try {
        const message = await this.client.postMessage(this.conversation, { message: item.message, referenceId });
        this.#merge([message]);
        this.emit(ChatEvent.MessageSent, message);
        return message;
      } catch (cause) {
        const error = asTalkError(cause, TalkErrorCode.Network);
        // The push may have confirmed the message although the answer to the POST was lost.
        const confirmed = [...this.#sent.values()].find((sent) => sent.referenceId === referenceId);
        if (confirmed) return toMessage(confirmed, this.conversation);
        if (this.#closed || !error.retryable || attempt + 1 >= this.#options.sendAttempts) {
          this.#setUnsent({ ...item, state: ChatItemState.Failed, error });
          throw error;
        }
        await sleep(backoffDelay(attempt, { initialDelayMs: this.#options.retryDelayMs, jitter: 0.2 }));
      }
    }
  }

  #merge(messages: readonly ChatMessage[]): void {
    let changed = false;
    for (const message of messages) {
      if (this.#sent.has(message.id)) continue;
      const key =
        message.referenceId && this.#unsent.delete(message.referenceId) ? message.referenceId : `id:${message.id}`;
      this.#sent.set(message.id, { ...message, key, state: ChatItemState.Sent });
      changed = true;
    }
    if (changed) this.#publish();
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
}

function toMessage(item: ChatItem, conversation: string): ChatMessage {
  const { id, referenceId, actorId, actorDisplayName, message, createdAt } = item;
  return { id: id ?? 0, conversation, referenceId, actorId, actorDisplayName, message, createdAt };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
