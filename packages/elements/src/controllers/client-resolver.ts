import { ContextConsumer } from '@lit/context';
import { ClientEvent, TalkClient, type TalkClientLike } from '@talk/call-core';
import type { ReactiveControllerHost } from 'lit';
import { TalkTokenExpiringEvent } from '../events/talk-token-expiring.js';
import { talkClientContext } from '../talk-provider/client-context.js';

/** What an element offers to find its client: a shared one, or the attributes to make its own. */
export interface ClientSource {
  /** A client shared with other elements; wins over `serverUrl` and `token` and over a provider's. */
  client?: TalkClientLike;
  /** Base URL of the Talk server; empty or absent means this page's origin. */
  serverUrl?: string;
  /** Bearer token for that server; a new value is handed to the element's own client, which stays open. */
  token?: string;
}

/** The element a resolver works for. */
export type ClientHost = ReactiveControllerHost & HTMLElement & ClientSource;

/** Options of a ClientResolver. */
export interface ClientResolverOptions {
  /** Whether to take the client of an enclosing `<talk-provider>`; a provider itself does not. */
  consume?: boolean;
}

/**
 * Picks the client an element talks through, in this order: its own `client` property, one made from its own
 * `serverUrl` + `token`, or the client of the `<talk-provider>` around it. Only the one made here is owned: it is
 * closed when the server URL changes or the element lets go, a new token is handed to it without closing it, and
 * when its token is about to expire the host fires `talk-token-expiring`.
 */
export class ClientResolver {
  readonly #host: ClientHost;
  readonly #consumer: ContextConsumer<typeof talkClientContext, ClientHost> | null;
  #owned: TalkClient | null = null;
  #unsubscribe: () => void = () => {};

  constructor(host: ClientHost, options: ClientResolverOptions = {}) {
    this.#host = host;
    // The consumer is a controller of its own: it asks on connect, and the provider calls back on every change.
    this.#consumer =
      options.consume === false
        ? null
        : new ContextConsumer(host, {
            context: talkClientContext,
            subscribe: true,
            callback: () => host.requestUpdate(),
          });
  }

  /** The client for the host's current inputs, or null while they are incomplete. */
  resolve(): TalkClientLike | null {
    const { client, serverUrl: url, token } = this.#host;
    if (client || !token) {
      this.release();
      return client ?? this.#consumer?.value ?? null;
    }
    const serverUrl = (url || globalThis.location.origin).replace(/\/+$/, '');
    if (this.#owned && this.#owned.serverUrl !== serverUrl) this.release();
    if (this.#owned) {
      this.#owned.setToken(token);
      return this.#owned;
    }
    const owned = new TalkClient({ serverUrl, token });
    this.#owned = owned;
    this.#unsubscribe = owned.on(ClientEvent.TokenExpiring, (expiresAt) =>
      this.#host.dispatchEvent(
        new TalkTokenExpiringEvent(expiresAt, (next) => {
          this.#host.token = next;
          // Applied now rather than at the next render, so a request about to start already carries it.
          if (this.#owned === owned) owned.setToken(next);
        }),
      ),
    );
    return owned;
  }

  /** Closes the client this resolver made, if any. */
  release(): void {
    this.#unsubscribe();
    this.#unsubscribe = () => {};
    this.#owned?.close();
    this.#owned = null;
  }
}
