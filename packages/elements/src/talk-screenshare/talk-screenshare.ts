import { defineElement } from '../define.js';
import { TalkScreenShare } from './talk-screenshare.component.js';

export { TalkScreenShare };

defineElement('talk-screenshare', TalkScreenShare);

declare global {
  interface HTMLElementTagNameMap {
    'talk-screenshare': TalkScreenShare;
  }
}
