import { TalkClient, type TalkClientLike } from '@talk/call-core';

/** What an element offers to find its client: a shared one, or the attributes to make its own. */
export interface ClientSource {
  /** A client shared with other elements; wins over `serverUrl` and `token`. */
  client?: TalkClientLike;
  /** Base URL of the Talk server; empty or absent means this page's origin. */
  serverUrl?: string;
  /** Bearer token for that server. */
  token?: string;
}

/**
 * Picks the client an element talks through. A shared `client` is used as is and never closed here; otherwise
 * one is made from `serverUrl` + `token`, owned by the element, and closed when they change or it disconnects.
 */
export class ClientResolver {
  #owned: TalkClient | null = null;

  /** The client for the element's current inputs, or null while they are incomplete. */
  resolve(source: ClientSource): TalkClientLike | null {
    if (source.client) {
      this.release();
      return source.client;
    }
    if (!source.token) {
      this.release();
      return null;
    }
    const serverUrl = source.serverUrl || globalThis.location.origin;
    if (
      this.#owned &&
      (this.#owned.serverUrl !== serverUrl.replace(/\/+$/, '') || this.#owned.token !== source.token)
    ) {
      this.release();
    }
    this.#owned ??= new TalkClient({ serverUrl, token: source.token });
    return this.#owned;
  }

  /** Closes the client this resolver made, if any. */
  release(): void {
    this.#owned?.close();
    this.#owned = null;
  }
}
