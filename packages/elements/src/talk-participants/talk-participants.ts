import { defineElement } from '../define.js';
import { TalkParticipants } from './talk-participants.component.js';

export { TalkParticipants };

defineElement('talk-participants', TalkParticipants);

declare global {
  interface HTMLElementTagNameMap {
    'talk-participants': TalkParticipants;
  }
}
