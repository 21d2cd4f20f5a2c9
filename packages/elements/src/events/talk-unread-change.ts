/** Fired by `<talk-chat>` when the number of unread messages (or of unread mentions) changes, for a host's badge. */
export class TalkUnreadChangeEvent extends Event {
  /** Messages from others after the read marker. */
  readonly unread: number;
  /** How many of those mention the user. */
  readonly mentions: number;

  constructor(unread: number, mentions: number) {
    super('talk-unread-change', { bubbles: true, composed: true });
    this.unread = unread;
    this.mentions = mentions;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'talk-unread-change': TalkUnreadChangeEvent;
  }
}
