import { ContextProvider } from '@lit/context';
import type { TalkClientLike } from '@talk/call-core';
import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { ClientResolver } from '../controllers/client-resolver.js';
import { VERSION } from '../version.js';
import { talkClientContext } from './client-context.js';

/**
 * Shares one TalkClient, so one signaling connection, with every Talk element inside it: give it `server-url` and
 * `token` (it then owns the client, and hands a new `token` to it without reconnecting), or a `client`. An element
 * inside with its own `client`, or its own `token`, uses that instead.
 *
 * @summary Shares one Talk connection with the elements inside it.
 *
 * @fires talk-token-expiring - The token it made its client from expires soon; answer with `event.setToken()`.
 *
 * @slot - The Talk elements (and anything else) that share the client.
 *
 * @cssproperty [--talk-color-scheme=light dark] - Set by `theme` for everything inside.
 *
 * @tag talk-provider
 */
export class TalkProvider extends LitElement {
  /** The version of `@talk/elements` this class comes from. */
  static readonly version = VERSION;

  // It only groups its children: no box of its own, so it does not change the page's layout. A `theme` set on it
  // reaches the elements inside through the one token they all read for their scheme.
  static override styles = css`
    :host {
      display: contents;
    }
    :host([theme='light']) {
      --talk-color-scheme: light;
    }
    :host([theme='dark']) {
      --talk-color-scheme: dark;
    }
  `;

  /** Base URL of the Talk server; empty means this page's origin. Ignored when `client` is set. */
  @property({ attribute: 'server-url' }) serverUrl?: string;

  /** Bearer token for the server; a new one is handed to the shared client, which stays connected. */
  @property() token?: string;

  /** Light or dark for every element inside; unset follows the page. */
  @property({ reflect: true }) theme?: 'light' | 'dark';

  /** A client to share as is; wins over `server-url` and `token`, and is never closed by the provider. */
  @property({ attribute: false }) client?: TalkClientLike;

  readonly #clients = new ClientResolver(this, { consume: false });
  readonly #provider = new ContextProvider(this, { context: talkClientContext });

  /** The client shared now, or undefined while `token` and `client` are both missing. */
  get sharedClient(): TalkClientLike | undefined {
    return this.#provider.value;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page: make the client again, which disconnecting closed.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#clients.release();
    this.#provider.setValue(undefined);
  }

  protected override willUpdate(): void {
    this.#provider.setValue(this.#clients.resolve() ?? undefined);
  }

  override render() {
    return html`<slot></slot>`;
  }
}
