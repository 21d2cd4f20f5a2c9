export { CloseCode } from './close-codes.js';
export { ErrorCode } from './errors.js';
export {
  AddParticipantRequest,
  ALL_PERMISSIONS,
  Attachment,
  CallSettings,
  ChatMessage,
  Conversation,
  ConversationObject,
  ConversationType,
  CreateConversationRequest,
  DevTokenRequest,
  EditMessageRequest,
  ErrorBody,
  GuestJoinRequest,
  GuestJoinResponse,
  IceServer,
  JoinConversationRequest,
  ListMessagesQuery,
  MAX_MESSAGE_LENGTH,
  Mention,
  MessageKind,
  Participant,
  ParticipantRole,
  Permission,
  Permissions,
  PostMessageRequest,
  ReactionRequest,
  ReactionsResponse,
  ReadMarkerRequest,
  SfuTokenRequest,
  SfuTokenResponse,
  SystemMessageUser,
  SystemParameters,
  TokenResponse,
  UpdateConversationRequest,
  UpdateParticipantRequest,
} from './rest.js';
export { conversationPath, Routes } from './routes.js';
export type { ClientMessageOf, ServerMessageOf } from './signaling.js';
export {
  CallMedia,
  ClientMessage,
  MAX_SIGNALING_FRAME,
  ServerMessage,
  SessionInfo,
  SignalPayload,
  Topology,
} from './signaling.js';
export type { SystemMessageType, SystemParametersByType } from './system-messages.js';
export { systemParametersOf } from './system-messages.js';
