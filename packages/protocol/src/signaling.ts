import { type Static, Type } from '@sinclair/typebox';
import { ChatMessage, Participant } from './rest.js';

/** Largest signaling frame the server reads, in bytes. */
export const MAX_SIGNALING_FRAME = 64 * 1024;

/** Optional client-chosen id, echoed on the answer or error that a message causes. */
const RequestId = Type.Optional(Type.String({ maxLength: 64 }));

/** The media a participant has joined the call with. */
export const CallMedia = Type.Object({
  audio: Type.Boolean(),
  video: Type.Boolean(),
});
export type CallMedia = Static<typeof CallMedia>;

/** Perfect-negotiation payloads relayed verbatim between two sessions of one conversation. */
export const SignalPayload = Type.Union([
  Type.Object({
    kind: Type.Literal('description'),
    description: Type.Object({
      type: Type.Union([
        Type.Literal('offer'),
        Type.Literal('answer'),
        Type.Literal('pranswer'),
        Type.Literal('rollback'),
      ]),
      sdp: Type.Optional(Type.String()),
    }),
  }),
  Type.Object({
    kind: Type.Literal('candidate'),
    candidate: Type.Union([
      Type.Object({
        candidate: Type.Optional(Type.String()),
        sdpMid: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        sdpMLineIndex: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
        usernameFragment: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      }),
      Type.Null(),
    ]),
  }),
]);
export type SignalPayload = Static<typeof SignalPayload>;

/** Messages a client sends. */
export const ClientMessage = Type.Union([
  Type.Object({ type: Type.Literal('hello'), id: RequestId, token: Type.String() }),
  Type.Object({ type: Type.Literal('join'), id: RequestId, conversation: Type.String() }),
  Type.Object({ type: Type.Literal('leave'), id: RequestId, conversation: Type.String() }),
  Type.Object({ type: Type.Literal('call-join'), id: RequestId, conversation: Type.String(), media: CallMedia }),
  Type.Object({ type: Type.Literal('call-leave'), id: RequestId, conversation: Type.String() }),
  Type.Object({
    type: Type.Literal('signal'),
    id: RequestId,
    conversation: Type.String(),
    to: Type.String(),
    payload: SignalPayload,
  }),
  Type.Object({ type: Type.Literal('ping'), id: RequestId }),
]);
export type ClientMessage = Static<typeof ClientMessage>;

/** A session present in a conversation, as others see it. */
export const SessionInfo = Type.Object({
  sessionId: Type.String(),
  participant: Participant,
  inCall: Type.Boolean(),
  media: CallMedia,
});
export type SessionInfo = Static<typeof SessionInfo>;

/** Messages the server sends. */
export const ServerMessage = Type.Union([
  Type.Object({ type: Type.Literal('welcome'), id: RequestId, sessionId: Type.String(), userId: Type.String() }),
  Type.Object({
    type: Type.Literal('joined'),
    id: RequestId,
    conversation: Type.String(),
    sessions: Type.Array(SessionInfo),
  }),
  Type.Object({ type: Type.Literal('left'), id: RequestId, conversation: Type.String() }),
  Type.Object({ type: Type.Literal('session-joined'), conversation: Type.String(), session: SessionInfo }),
  Type.Object({ type: Type.Literal('session-updated'), conversation: Type.String(), session: SessionInfo }),
  Type.Object({ type: Type.Literal('session-left'), conversation: Type.String(), sessionId: Type.String() }),
  Type.Object({
    type: Type.Literal('signal'),
    conversation: Type.String(),
    from: Type.String(),
    payload: SignalPayload,
  }),
  Type.Object({ type: Type.Literal('chat-message'), conversation: Type.String(), message: ChatMessage }),
  Type.Object({ type: Type.Literal('pong'), id: RequestId }),
  Type.Object({ type: Type.Literal('error'), id: RequestId, code: Type.String(), message: Type.String() }),
]);
export type ServerMessage = Static<typeof ServerMessage>;

/** One server message type by its `type` tag. */
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** One client message type by its `type` tag. */
export type ClientMessageOf<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>;
