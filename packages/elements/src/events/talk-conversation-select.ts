import type { ConversationEntry } from '@talk/call-core';

/**
 * Fired by `<talk-conversation-list>` when the user picks a conversation (click, Enter or Space), or creates one:
 * the host opens it, e.g. by setting `conversation` on its `<talk-chat>`. Picked from the message search, it
 * carries the message's id too: the host then calls `showMessage(messageId)` on that `<talk-chat>`.
 */
export class TalkConversationSelectEvent extends Event {
  /** The conversation's token. */
  readonly token: string;
  /** The conversation as the list shows it: name, type, last message, counts. */
  readonly conversation: ConversationEntry;
  /** The message picked from the search results, to open the conversation at; undefined for a plain pick. */
  readonly messageId: number | undefined;

  constructor(conversation: ConversationEntry, messageId?: number) {
    super('talk-conversation-select', { bubbles: true, composed: true });
    this.token = conversation.token;
    this.conversation = conversation;
    this.messageId = messageId;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'talk-conversation-select': TalkConversationSelectEvent;
  }
}
