import {
  asTalkError,
  ChatEvent,
  type ChatItem,
  ChatStore,
  type TalkClientLike,
  type TalkError,
  TalkErrorCode,
} from '@talk/call-core';
import type { ReactiveController } from 'lit';
import { TalkErrorEvent } from '../events/talk-error.js';
import { TalkMentionEvent } from '../events/talk-mention.js';
import { TalkMessageReceivedEvent } from '../events/talk-message-received.js';
import { TalkMessageSentEvent } from '../events/talk-message-sent.js';
import { TalkUnreadChangeEvent } from '../events/talk-unread-change.js';
import { type ClientHost, ClientResolver } from './client-resolver.js';

/** What the chat controller needs from its element. */
export interface ChatHost extends ClientHost {
  /** The conversation's token. */
  conversation?: string;
}

/**
 * Keeps a ChatStore for the host's client and conversation, re-renders the host when its list, its typists or its
 * unread state change, and reports stored and failed sends, arrivals, mentions and unread changes as DOM events.
 */
export class ChatController implements ReactiveController {
  /** The current store, or null while the host lacks a client or conversation. */
  store: ChatStore | null = null;
  /** The last error loading or catching up, cleared by the next successful change. */
  error: TalkError | null = null;
  /**
   * What others wrote (and what the server noted) since the history loaded, in the last change: the element
   * announces these. The history itself is not announced, nor is what this user writes.
   */
  arrived: readonly ChatItem[] = [];
  /** Whether the user moderates this conversation (may delete others' messages); false until known. */
  moderator = false;
  /** Settles once the current store's first page has loaded (or failed to). */
  ready: Promise<void> = Promise.resolve();
  readonly #host: ChatHost;
  readonly #clients: ClientResolver;
  #client: TalkClientLike | null = null;
  #conversation: string | undefined;

  constructor(host: ChatHost) {
    this.#host = host;
    this.#clients = new ClientResolver(host);
    host.addController(this);
  }

  /** The messages to show. */
  get items(): readonly ChatItem[] {
    return this.store?.items ?? [];
  }

  /** Sends `text` (as a reply to `replyTo`); the outcome arrives as `talk-message-sent` or `talk-error`. */
  send(text: string, replyTo?: number): Promise<void> {
    return this.#report(this.store?.send(text, replyTo === undefined ? {} : { replyTo }));
  }

  /** Runs a change of the store (edit, delete, react); a failure arrives as `talk-error`. */
  change(action: (store: ChatStore) => Promise<unknown>): Promise<void> {
    return this.#report(this.store ? action(this.store) : undefined);
  }

  /** Sends a failed message again. */
  retry(referenceId: string): Promise<void> {
    return this.#report(this.store?.retry(referenceId));
  }

  hostConnected(): void {
    this.#sync();
  }

  /** Inputs may have changed since the last render. */
  hostUpdate(): void {
    this.#sync();
  }

  hostDisconnected(): void {
    this.#closeStore();
    this.#clients.release();
    this.#client = null;
  }

  #sync(): void {
    const client = this.#clients.resolve();
    const conversation = this.#host.conversation;
    if (client === this.#client && conversation === this.#conversation) return;
    this.#closeStore();
    this.#client = client;
    this.#conversation = conversation;
    if (!client || !conversation) return;
    const store = new ChatStore(client, conversation, { system: true });
    this.store = store;
    let loaded = false;
    const seen = new Set<string>();
    store.on(ChatEvent.ItemsChanged, (items) => {
      this.error = null;
      const fresh = items.filter((item) => item.id !== null && !seen.has(item.key));
      for (const item of fresh) seen.add(item.key);
      const fromOthers = fresh.filter((item) => item.kind === 'system' || item.actorId !== client.userId);
      if (loaded && fromOthers.length > 0) this.arrived = fromOthers;
      this.#host.requestUpdate();
    });
    store.on(ChatEvent.MessageSent, (message) => this.#host.dispatchEvent(new TalkMessageSentEvent(message)));
    store.on(ChatEvent.MessagesReceived, (received) => {
      for (const item of received) {
        this.#host.dispatchEvent(new TalkMessageReceivedEvent(item));
        if (store.mentionsMe(item)) this.#host.dispatchEvent(new TalkMentionEvent(item));
      }
    });
    store.on(ChatEvent.TypingChanged, () => this.#host.requestUpdate());
    store.on(ChatEvent.UnreadChanged, ({ count, mentions }) => {
      this.#host.requestUpdate();
      this.#host.dispatchEvent(new TalkUnreadChangeEvent(count, mentions));
    });
    store.on(ChatEvent.Error, (error) => {
      this.error = error;
      this.#host.requestUpdate();
    });
    client.getConversation(conversation).then(
      ({ role }) => {
        if (this.store !== store) return;
        this.moderator = role === 'owner' || role === 'moderator';
        this.#host.requestUpdate();
      },
      () => {}, // without the role, only one's own messages offer delete, which is always safe
    );
    this.ready = store
      .start()
      .then(() => {
        loaded = true;
      })
      .catch(() => {}); // reported through ChatEvent.Error
  }

  async #report(sending: Promise<unknown> | undefined): Promise<void> {
    try {
      await sending;
    } catch (error) {
      const talkError = asTalkError(error, TalkErrorCode.Network);
      this.#host.dispatchEvent(new TalkErrorEvent(talkError));
    }
  }

  #closeStore(): void {
    this.store?.close();
    this.store = null;
    this.error = null;
    this.arrived = [];
    this.moderator = false;
  }
}
