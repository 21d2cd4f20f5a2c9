import { defineElement } from '../define.js';
import { TalkJoin } from './talk-join.component.js';

export { TalkJoin };

defineElement('talk-join', TalkJoin);

declare global {
  interface HTMLElementTagNameMap {
    'talk-join': TalkJoin;
  }
}
