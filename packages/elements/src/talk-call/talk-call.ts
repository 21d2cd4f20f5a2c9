import { defineElement } from '../define.js';
import { TalkCall } from './talk-call.component.js';

export { TalkCall };

defineElement('talk-call', TalkCall);

declare global {
  interface HTMLElementTagNameMap {
    'talk-call': TalkCall;
  }
}
