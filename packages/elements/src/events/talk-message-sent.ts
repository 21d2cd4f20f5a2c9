import type { ChatMessage } from '@talk/call-core';

/** Fired by `<talk-chat>` once the server has stored a message the user wrote. */
export class TalkMessageSentEvent extends Event {
  /** The stored message, with its server id. */
  readonly message: ChatMessage;

  constructor(message: ChatMessage) {
    super('talk-message-sent', { bubbles: true, composed: true });
    this.message = message;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'talk-message-sent': TalkMessageSentEvent;
  }
}
