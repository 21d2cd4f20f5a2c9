import type { ChatItem } from '@talk/call-core';

/** Fired by `<talk-chat>` when a message arrives that mentions the user (by name or through `@all`). */
export class TalkMentionEvent extends Event {
  /** The mentioning message. */
  readonly message: ChatItem;

  constructor(message: ChatItem) {
    super('talk-mention', { bubbles: true, composed: true });
    this.message = message;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'talk-mention': TalkMentionEvent;
  }
}
