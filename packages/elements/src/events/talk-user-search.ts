/** A person the host offers to start a one-to-one conversation with. */
export interface TalkUser {
  /** Their user id, as their own token names it. */
  readonly userId: string;
  /** The name shown. */
  readonly displayName: string;
}

/**
 * Fired by `<talk-conversation-list>` as the user types a name to start a one-to-one conversation: the server has no
 * user directory, so the host looks the people up and answers with `event.respond(users)`. Only the answer to the
 * latest query is shown; an unanswered event leaves the `users` property's matches.
 */
export class TalkUserSearchEvent extends Event {
  /** What the user typed. */
  readonly query: string;
  readonly #respond: (users: readonly TalkUser[]) => void;

  constructor(query: string, respond: (users: readonly TalkUser[]) => void) {
    super('talk-user-search', { bubbles: true, composed: true });
    this.query = query;
    this.#respond = respond;
  }

  /** Hands the people matching `query` to the list; may be called later (after a request), once. */
  respond(users: readonly TalkUser[]): void {
    this.#respond(users);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'talk-user-search': TalkUserSearchEvent;
  }
}
