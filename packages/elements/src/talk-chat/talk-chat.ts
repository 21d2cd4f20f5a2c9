import { defineElement } from '../define.js';
import { TalkChat } from './talk-chat.component.js';

export { TalkChat };

defineElement('talk-chat', TalkChat);

declare global {
  interface HTMLElementTagNameMap {
    'talk-chat': TalkChat;
  }
}
