// The whole library with every element registered: importing it defines <talk-provider>, <talk-chat>,
// <talk-conversation-list>, <talk-call> and <talk-screenshare>. `@talk/elements/components.js` offers the same without registering.
import './talk-provider/talk-provider.js';
import './talk-chat/talk-chat.js';
import './talk-conversation-list/talk-conversation-list.js';
import './talk-call/talk-call.js';
import './talk-screenshare/talk-screenshare.js';

export * from './components.js';
