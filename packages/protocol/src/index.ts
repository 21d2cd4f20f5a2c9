export { ErrorCode } from './errors.js';
export {
  CallSettings,
  ChatMessage,
  Conversation,
  ConversationObject,
  ConversationType,
  CreateConversationRequest,
  DevTokenRequest,
  ErrorBody,
  IceServer,
  ListMessagesQuery,
  MAX_MESSAGE_LENGTH,
  Participant,
  ParticipantRole,
  PostMessageRequest,
  SfuTokenRequest,
  SfuTokenResponse,
  TokenResponse,
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
} from './signaling.js';
