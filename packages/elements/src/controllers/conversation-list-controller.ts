import {
  asTalkError,
  ClientEvent,
  type ConversationEntry,
  ConversationListEvent,
  ConversationListStore,
  type CreateConversationRequest,
  type TalkClientLike,
  type TalkError,
  TalkErrorCode,
} from '@talk/call-core';
import type { ReactiveController } from 'lit';
import { TalkErrorEvent } from '../events/talk-error.js';
import { type ClientHost, ClientResolver } from './client-resolver.js';

/**
 * Keeps a ConversationListStore for the host's client and re-renders the host when its entries change; a failed
 * load is kept in `error`, a failed create is reported as `talk-error`.
 */
export class ConversationListController implements ReactiveController {
  /** The current store, or null while the host has no client. */
  store: ConversationListStore | null = null;
  /** The last error loading the list or one of its conversations, cleared by the next change. */
  error: TalkError | null = null;
  readonly #host: ClientHost;
  readonly #clients: ClientResolver;
  #client: TalkClientLike | null = null;
  #unsubscribe: () => void = () => {};

  constructor(host: ClientHost) {
    this.#host = host;
    this.#clients = new ClientResolver(host);
    host.addController(this);
  }

  /** The conversations, newest activity first. */
  get entries(): readonly ConversationEntry[] {
    return this.store?.entries ?? [];
  }

  /** Whether the list has loaded once. */
  get loaded(): boolean {
    return this.store?.loaded ?? false;
  }

  /** Creates a conversation; resolves with it, or with null after reporting the failure as `talk-error`. */
  async create(request: CreateConversationRequest): Promise<ConversationEntry | null> {
    if (!this.store) return null;
    try {
      return await this.store.create(request);
    } catch (error) {
      this.#host.dispatchEvent(new TalkErrorEvent(asTalkError(error, TalkErrorCode.Network)));
      return null;
    }
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
    if (client === this.#client) return;
    this.#closeStore();
    this.#client = client;
    if (!client) return;
    const store = new ConversationListStore(client);
    this.store = store;
    store.on(ConversationListEvent.EntriesChanged, () => {
      this.error = null;
      this.#host.requestUpdate();
    });
    store.on(ConversationListEvent.Error, (error) => {
      this.error = error;
      this.#host.requestUpdate();
    });
    // Once connected, the user's id is known: their own last messages then read "You: …".
    this.#unsubscribe = client.on(ClientEvent.Connected, () => this.#host.requestUpdate());
    store.start().catch(() => {}); // reported through ConversationListEvent.Error
  }

  #closeStore(): void {
    this.#unsubscribe();
    this.#unsubscribe = () => {};
    this.store?.close();
    this.store = null;
    this.error = null;
  }
}
