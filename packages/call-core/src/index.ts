// The wire types a host meets through this API, so hosts need not depend on the protocol package.
export type {
  Attachment,
  CallMedia,
  CallSettings,
  ChatMessage,
  Conversation,
  ConversationChange,
  ConversationType,
  CreateConversationRequest,
  Mention,
  MessagePage,
  PinnedMessage,
  Poll,
  PollResultMode,
  SessionInfo,
  SharedItemType,
  SharedOverview,
  SystemMessageType,
  SystemMessageUser,
  SystemParameters,
  SystemParametersByType,
} from '@talk/protocol';
export { systemParametersOf } from '@talk/protocol';
export type { ActiveSpeakerOptions } from './call/ActiveSpeaker.js';
export { ActiveSpeakerSelector, DEFAULT_ACTIVE_SPEAKER_OPTIONS } from './call/ActiveSpeaker.js';
export { Call } from './call/Call.js';
export type { CallOptions } from './call/CallOptions.js';
export type { CallPresenceEventCallbacks, CallStatus } from './call/CallPresence.js';
export { CallPresence, CallPresenceEvent } from './call/CallPresence.js';
export type { DeviceSelect } from './call/device-select.js';
export { setupDeviceSelect } from './call/device-select.js';
export type { DeviceChangeReason, DeviceKind } from './call/devices.js';
export type { TopologyMode } from './call/engine/join-topology.js';
export { createTransport } from './call/engine/MediaEngine.js';
export type { CallEventCallbacks, TopologyReason } from './call/events.js';
export { CallEvent, CallState } from './call/events.js';
export { CallPreview } from './call/media/CallPreview.js';
export type { MediaToggle } from './call/media-toggle.js';
export { setupMediaToggle } from './call/media-toggle.js';
export type { AllowedMedia, CallEndReason } from './call/membership/MembershipWatcher.js';
export { LocalParticipant } from './call/participant/LocalParticipant.js';
export { Participant } from './call/participant/Participant.js';
export { RemoteParticipant } from './call/participant/RemoteParticipant.js';
export type { PushToTalk, PushToTalkCall } from './call/push-to-talk.js';
export { setupPushToTalk } from './call/push-to-talk.js';
export { MAX_REACTION_LENGTH } from './call/reactions.js';
export type { ScreenShare } from './call/screen-share.js';
export { setupScreenShare } from './call/screen-share.js';
export type { SwitchMark } from './call/topology/SwitchMark.js';
export { SwitchPhase } from './call/topology/SwitchMark.js';
export type { SwitchTimings } from './call/topology/TopologySwitch.js';
export { DEFAULT_SWITCH_TIMINGS } from './call/topology/TopologySwitch.js';
export type { TrackRenderer } from './call/track.js';
export { CallTrack, TrackKind, TrackSource } from './call/track.js';
export type {
  CallTransport,
  Topology,
  TransportContext,
  TransportEventCallbacks,
  TransportStats,
} from './call/transport/CallTransport.js';
export { TransportEvent } from './call/transport/CallTransport.js';
export { MeshTransport } from './call/transport/MeshTransport.js';
export { SfuTransport } from './call/transport/SfuTransport.js';
export type {
  ChatEventCallbacks,
  ChatItem,
  ChatReactor,
  ChatReplyTo,
  ChatStoreOptions,
  SendOptions,
  TextSegment,
} from './chat/ChatStore.js';
export { ChatEvent, ChatItemState, ChatStore, chatItemOf, segmentsOf } from './chat/ChatStore.js';
export type { PollClient, PollEventCallbacks, PollOptions } from './chat/PollStore.js';
export { PollEvent, PollStore } from './chat/PollStore.js';
export type { UnreadOnOpen, UnreadState } from './chat/ReadMarker.js';
export type { TypingOptions, Typist } from './chat/Typing.js';
export type { BackoffOptions } from './client/backoff.js';
export type { ClientEventCallbacks } from './client/events.js';
export { ClientEvent, ConnectionState } from './client/events.js';
export type { GuestJoinOptions } from './client/guest.js';
export { joinAsGuest } from './client/guest.js';
export type { SignalingOptions, WebSocketFactory, WebSocketLike } from './client/SignalingConnection.js';
export type { TalkClientOptions } from './client/TalkClient.js';
export { TalkClient } from './client/TalkClient.js';
export type { TalkClientLike } from './client/TalkClientLike.js';
export type { UploadOptions, UploadProgress } from './client/upload.js';
export type {
  ConversationEntry,
  ConversationListEventCallbacks,
} from './conversations/ConversationListStore.js';
export {
  ConversationListEvent,
  ConversationListStore,
  entryOf as conversationEntryOf,
  filterConversations,
} from './conversations/ConversationListStore.js';
export type { EventCallbacks } from './emitter.js';
export { TypedEmitter } from './emitter.js';
export type { TalkErrorDetails } from './errors.js';
export { asTalkError, TalkError, TalkErrorCode } from './errors.js';
export type { CallStats, InboundTrackStats, OutboundTrackStats, RemoteParticipantStats } from './stats/CallStats.js';
export { readInbound, readOutbound } from './stats/CallStats.js';
export type { ConnectionProblemThresholds, ProblemInterval } from './stats/ConnectionProblem.js';
export { ConnectionProblemDetector, DEFAULT_CONNECTION_PROBLEM_THRESHOLDS } from './stats/ConnectionProblem.js';
export type { LocalRates, ParticipantRates, StatsSample } from './stats/StatsSampler.js';
export { ConnectionQuality, computeSample, judgeQuality } from './stats/StatsSampler.js';
