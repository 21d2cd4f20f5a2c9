import { type Static, Type } from '@sinclair/typebox';

/** Longest chat message the server accepts, in characters. */
export const MAX_MESSAGE_LENGTH = 32_000;

/** Kinds of conversation, after Nextcloud Talk's room types. */
export const ConversationType = Type.Union([
  Type.Literal('one-to-one'),
  Type.Literal('group'),
  Type.Literal('public'),
  Type.Literal('note-to-self'),
]);
export type ConversationType = Static<typeof ConversationType>;

/** A participant's role inside one conversation. */
export const ParticipantRole = Type.Union([
  Type.Literal('owner'),
  Type.Literal('moderator'),
  Type.Literal('user'),
  Type.Literal('guest'),
]);
export type ParticipantRole = Static<typeof ParticipantRole>;

/** The one error body every endpoint answers with. */
export const ErrorBody = Type.Object({
  status: Type.Integer(),
  code: Type.String(),
  message: Type.String(),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** Body of POST /api/v1/dev/tokens: mint a token for a demo user (development mode only). */
export const DevTokenRequest = Type.Object({
  userId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' }),
  displayName: Type.String({ minLength: 1, maxLength: 100 }),
});
export type DevTokenRequest = Static<typeof DevTokenRequest>;

/** A token a client presents as `Authorization: Bearer …` and in the signaling hello. */
export const TokenResponse = Type.Object({
  token: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type TokenResponse = Static<typeof TokenResponse>;

/** The object of a host app that a conversation belongs to, such as a file or a calendar event. */
export const ConversationObject = Type.Object({
  type: Type.String({ minLength: 1, maxLength: 64 }),
  id: Type.String({ minLength: 1, maxLength: 255 }),
});
export type ConversationObject = Static<typeof ConversationObject>;

/** Body of POST /api/v1/conversations. With `object`, an existing conversation of that object is returned instead of a new one. */
export const CreateConversationRequest = Type.Object({
  type: ConversationType,
  name: Type.String({ minLength: 1, maxLength: 255 }),
  object: Type.Optional(ConversationObject),
});
export type CreateConversationRequest = Static<typeof CreateConversationRequest>;

/** A conversation as the current user sees it. */
export const Conversation = Type.Object({
  token: Type.String(),
  type: ConversationType,
  name: Type.String(),
  object: Type.Union([ConversationObject, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  lastActivity: Type.String({ format: 'date-time' }),
});
export type Conversation = Static<typeof Conversation>;

/** A member of a conversation. */
export const Participant = Type.Object({
  userId: Type.String(),
  displayName: Type.String(),
  role: ParticipantRole,
});
export type Participant = Static<typeof Participant>;

/** Body of POST /api/v1/conversations/{token}/messages. */
export const PostMessageRequest = Type.Object({
  message: Type.String({ minLength: 1 }),
  /** Chosen by the client so that a retried send returns the first message instead of a second one. */
  referenceId: Type.String({ minLength: 1, maxLength: 64 }),
});
export type PostMessageRequest = Static<typeof PostMessageRequest>;

/** A chat message. Ids grow within a conversation, so they order it. */
export const ChatMessage = Type.Object({
  id: Type.Integer(),
  conversation: Type.String(),
  actorId: Type.String(),
  actorDisplayName: Type.String(),
  message: Type.String(),
  referenceId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type ChatMessage = Static<typeof ChatMessage>;

/** Query of GET /api/v1/conversations/{token}/messages. */
export const ListMessagesQuery = Type.Object({
  /** Only messages after this id (forward catch-up); without it, the newest page. */
  after: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
});
export type ListMessagesQuery = Static<typeof ListMessagesQuery>;

/** An ICE server entry as RTCPeerConnection takes it. */
export const IceServer = Type.Object({
  urls: Type.Array(Type.String()),
  username: Type.Optional(Type.String()),
  credential: Type.Optional(Type.String()),
});
export type IceServer = Static<typeof IceServer>;

/** Answer of GET /api/v1/conversations/{token}/call: what a participant needs to join the call. */
export const CallSettings = Type.Object({
  iceServers: Type.Array(IceServer),
  /** The LiveKit server's WebSocket URL, or null when no SFU is configured and calls stay mesh. */
  sfuUrl: Type.Union([Type.String(), Type.Null()]),
  /** Video bitrate cap per mesh stream, in bits per second. */
  maxVideoBitrate: Type.Integer(),
});
export type CallSettings = Static<typeof CallSettings>;

/** Body of POST /api/v1/conversations/{token}/call/sfu-token. */
export const SfuTokenRequest = Type.Object({
  /** The caller's signaling session; it becomes the LiveKit identity, so one participant is one id in both topologies. */
  sessionId: Type.String({ minLength: 1 }),
});
export type SfuTokenRequest = Static<typeof SfuTokenRequest>;

/** Answer of POST /api/v1/conversations/{token}/call/sfu-token. */
export const SfuTokenResponse = Type.Object({
  url: Type.String(),
  token: Type.String(),
  room: Type.String(),
  identity: Type.String(),
});
export type SfuTokenResponse = Static<typeof SfuTokenResponse>;
