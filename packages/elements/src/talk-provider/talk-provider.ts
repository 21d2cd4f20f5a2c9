import { defineElement } from '../define.js';
import { TalkProvider } from './talk-provider.component.js';

export { TalkProvider };

defineElement('talk-provider', TalkProvider);

declare global {
  interface HTMLElementTagNameMap {
    'talk-provider': TalkProvider;
  }
}
