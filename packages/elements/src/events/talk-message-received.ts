import type { ChatItem } from '@talk/call-core';

/** Fired by `<talk-chat>` for each message someone else wrote (or the server noted) while the chat was open. */
export class TalkMessageReceivedEvent extends Event {
  /** The message as the list shows it. */
  readonly message: ChatItem;

  constructor(message: ChatItem) {
    super('talk-message-received', { bubbles: true, composed: true });
    this.message = message;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'talk-message-received': TalkMessageReceivedEvent;
  }
}
