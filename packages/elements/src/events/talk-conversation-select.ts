import type { ConversationEntry } from '@talk/call-core';

/**
 * Fired by `<talk-conversation-list>` when the user picks a conversation (click, Enter or Space), or creates one:
 * the host opens it, e.g. by setting `conversation` on its `<talk-chat>`.
 */
export class TalkConversationSelectEvent extends Event {
  /** The conversation's token. */
  readonly token: string;
  /** The conversation as the list shows it: name, type, last message, counts. */
  readonly conversation: ConversationEntry;

  constructor(conversation: ConversationEntry) {
    super('talk-conversation-select', { bubbles: true, composed: true });
    this.token = conversation.token;
    this.conversation = conversation;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'talk-conversation-select': TalkConversationSelectEvent;
  }
}
