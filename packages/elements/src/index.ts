// The whole library with every element registered: importing it defines <talk-provider>, <talk-chat>,
// <talk-call>, <talk-screenshare>, <talk-join> and <talk-participants>. `@talk/elements/components.js` offers the same without registering.
import './talk-provider/talk-provider.js';
import './talk-chat/talk-chat.js';
import './talk-call/talk-call.js';
import './talk-screenshare/talk-screenshare.js';
import './talk-join/talk-join.js';
import './talk-participants/talk-participants.js';

export * from './components.js';
