// Everything @talk/elements offers, without registering a single element: for hosts that register the classes
// under tags of their own, extend them, or only want the controllers. `@talk/elements` (the index) and the define
// modules such as `@talk/elements/talk-chat.js` are the ones that register.
export type { CallHost } from './controllers/call-controller.js';
export { CallController } from './controllers/call-controller.js';
export type { ChatHost } from './controllers/chat-controller.js';
export { ChatController } from './controllers/chat-controller.js';
export type { ClientHost, ClientResolverOptions, ClientSource } from './controllers/client-resolver.js';
export { ClientResolver } from './controllers/client-resolver.js';
export { DeviceSelectController } from './controllers/device-select-controller.js';
export { MediaToggleController } from './controllers/media-toggle-controller.js';
export type { ScreenShareHost } from './controllers/screen-share-controller.js';
export { ScreenShareController } from './controllers/screen-share-controller.js';
export { defineElement } from './define.js';
export { TalkCallStateChangeEvent } from './events/talk-call-state-change.js';
export { TalkErrorEvent } from './events/talk-error.js';
export type { JoinOutReason, JoinStage } from './events/talk-join-change.js';
export { TalkJoinChangeEvent } from './events/talk-join-change.js';
export { TalkMentionEvent } from './events/talk-mention.js';
export { TalkMessageReceivedEvent } from './events/talk-message-received.js';
export { TalkMessageSentEvent } from './events/talk-message-sent.js';
export type { ModerationAction } from './events/talk-moderation.js';
export { TalkModerationEvent } from './events/talk-moderation.js';
export { TalkScreenShareChangeEvent } from './events/talk-screenshare-change.js';
export { TalkTokenExpiringEvent } from './events/talk-token-expiring.js';
export { TalkUnreadChangeEvent } from './events/talk-unread-change.js';
export { TalkCall } from './talk-call/talk-call.component.js';
export { TalkChat } from './talk-chat/talk-chat.component.js';
export type { JoinHost, JoinProblem } from './talk-join/join-flow.js';
export { JoinFlow } from './talk-join/join-flow.js';
export { TalkJoin } from './talk-join/talk-join.component.js';
export type { ModerationClient, ParticipantsHost } from './talk-participants/participants-controller.js';
export { ParticipantsController } from './talk-participants/participants-controller.js';
export { TalkParticipants } from './talk-participants/talk-participants.component.js';
export { talkClientContext } from './talk-provider/client-context.js';
export { TalkProvider } from './talk-provider/talk-provider.component.js';
export { TalkScreenShare } from './talk-screenshare/talk-screenshare.component.js';
export { VERSION } from './version.js';
