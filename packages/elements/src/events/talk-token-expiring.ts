/**
 * Fired by the Talk element that made a client from its `token` (a `<talk-provider>`, or an element with its own
 * `server-url` and `token`) shortly before that token's JWT `exp`. Answer with `event.setToken(newToken)`, or set
 * the element's `token`: the client keeps its connection and uses the new token for the next request and reconnect.
 */
export class TalkTokenExpiringEvent extends Event {
  /** When the current token expires. */
  readonly expiresAt: Date;
  readonly #respond: (token: string) => void;

  constructor(expiresAt: Date, respond: (token: string) => void) {
    super('talk-token-expiring', { bubbles: true, composed: true });
    this.expiresAt = expiresAt;
    this.#respond = respond;
  }

  /** Hands the element a fresh token; the same as setting its `token` property. */
  setToken(token: string): void {
    this.#respond(token);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'talk-token-expiring': TalkTokenExpiringEvent;
  }
}
