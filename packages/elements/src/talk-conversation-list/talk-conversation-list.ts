import { defineElement } from '../define.js';
import { TalkConversationList } from './talk-conversation-list.component.js';

export { TalkConversationList };

defineElement('talk-conversation-list', TalkConversationList);

declare global {
  interface HTMLElementTagNameMap {
    'talk-conversation-list': TalkConversationList;
  }
}
