import { type Static, Type } from '@sinclair/typebox';
import { Poll } from './chat-features.js';
import { ChatMessage, Participant } from './rest.js';

/** Largest signaling frame the server reads, in bytes. */
export const MAX_SIGNALING_FRAME = 64 * 1024;

/** How a call's media flows. */
export const Topology = Type.Union([Type.Literal('mesh'), Type.Literal('sfu')]);
export type Topology = Static<typeof Topology>;

/** Optional client-chosen id, echoed on the answer or error that a message causes. */
const RequestId = Type.Optional(Type.String({ maxLength: 64 }));

/** The media a participant has joined the call with. */
export const CallMedia = Type.Object({
  audio: Type.Boolean(),
  video: Type.Boolean(),
  /** Whether the screen is shared; false when absent. */
  screen: Type.Optional(Type.Boolean()),
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
  /**
   * During a topology switch: "I now receive all your media over `topology`", so the receiver may close its old
   * path to the sender (make-before-break). Clients that do not switch ignore it.
   */
  Type.Object({ kind: Type.Literal('switched'), topology: Topology }),
]);
export type SignalPayload = Static<typeof SignalPayload>;

/** Messages a client sends. */
export const ClientMessage = Type.Union([
  Type.Object({
    type: Type.Literal('hello'),
    id: RequestId,
    token: Type.String(),
    /** The session id of a socket that dropped: the session goes on, with its conversations and call state. */
    resume: Type.Optional(Type.String({ maxLength: 64 })),
    /**
     * With `resume`: the last `seq` this client received. A server of several instances replays what came after it
     * when the session is taken over by another instance.
     */
    lastSeq: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
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
  /** A fresh token for the same user, before the one of the hello expires; answered by `token-accepted`. */
  Type.Object({ type: Type.Literal('token'), id: RequestId, token: Type.String() }),
  /** The user is (or stopped) typing in a conversation; relayed to the others as `typing`. */
  Type.Object({ type: Type.Literal('typing'), id: RequestId, conversation: Type.String(), typing: Type.Boolean() }),
  /** Raise or lower the hand in a call; everyone gets `session-updated` with `handRaised`. */
  Type.Object({ type: Type.Literal('raise-hand'), id: RequestId, conversation: Type.String(), raised: Type.Boolean() }),
]);
export type ClientMessage = Static<typeof ClientMessage>;

/** A session present in a conversation, as others see it. */
export const SessionInfo = Type.Object({
  sessionId: Type.String(),
  participant: Participant,
  inCall: Type.Boolean(),
  media: CallMedia,
  /** Whether the hand is raised; false when absent. */
  handRaised: Type.Optional(Type.Boolean()),
});
export type SessionInfo = Static<typeof SessionInfo>;

/** What changed in a conversation of a user's list; see `conversation-changed`. */
export const ConversationChange = Type.Union([
  /** A message was posted, edited or deleted (system messages too: joined, renamed, call started, …). */
  Type.Literal('message'),
  /** The user's read marker moved, in one of their sessions. */
  Type.Literal('read'),
  /** The settings or the membership changed. */
  Type.Literal('updated'),
  /** A call started or ended. */
  Type.Literal('call'),
  /** The user is no longer a participant (removed, or left in another session). */
  Type.Literal('removed'),
  /** The conversation is gone. */
  Type.Literal('deleted'),
]);
export type ConversationChange = Static<typeof ConversationChange>;

/** Messages the server sends. */
export const ServerMessage = Type.Union([
  Type.Object({
    type: Type.Literal('welcome'),
    id: RequestId,
    sessionId: Type.String(),
    userId: Type.String(),
    /** True when `hello.resume` took the old session back: its conversations and call state are still there. */
    resumed: Type.Optional(Type.Boolean()),
    /**
     * The largest attachment this server takes, in bytes, so a client refuses a larger file before sending it: the
     * server cuts a refused upload's connection mid-body, which a browser reports as a network error, not a 413.
     */
    maxAttachmentBytes: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  Type.Object({
    type: Type.Literal('joined'),
    id: RequestId,
    conversation: Type.String(),
    sessions: Type.Array(SessionInfo),
    /** The running call's topology, when a call runs. */
    topology: Type.Optional(Topology),
  }),
  Type.Object({
    type: Type.Literal('left'),
    id: RequestId,
    conversation: Type.String(),
    /** Why, when the server ended the membership: `removed` or `banned` (by a moderator), `deleted`, `left` (elsewhere). */
    reason: Type.Optional(Type.String()),
  }),
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
  /** The session now runs on the token of a `token` message, until `expiresAt`. */
  Type.Object({ type: Type.Literal('token-accepted'), id: RequestId, expiresAt: Type.String({ format: 'date-time' }) }),
  /** A system message (joined, call started, …); separate from chat-message so that version-1 clients skip it. */
  Type.Object({ type: Type.Literal('system-message'), conversation: Type.String(), message: ChatMessage }),
  /** A message was edited or deleted (or its reactions changed); the whole message as it is now. */
  Type.Object({ type: Type.Literal('chat-message-updated'), conversation: Type.String(), message: ChatMessage }),
  /** Someone added or removed a reaction; `reactions` is the message's new tally. */
  Type.Object({
    type: Type.Literal('reaction'),
    conversation: Type.String(),
    messageId: Type.Integer(),
    actorId: Type.String(),
    actorDisplayName: Type.String(),
    reaction: Type.String(),
    added: Type.Boolean(),
    reactions: Type.Record(Type.String(), Type.Integer()),
  }),
  /** Another session of the conversation is (or stopped) typing. */
  Type.Object({
    type: Type.Literal('typing'),
    conversation: Type.String(),
    sessionId: Type.String(),
    userId: Type.String(),
    displayName: Type.String(),
    typing: Type.Boolean(),
  }),
  /** The first session joined the call. */
  Type.Object({ type: Type.Literal('call-started'), conversation: Type.String(), sessionId: Type.String() }),
  /** The last session left the call. */
  Type.Object({ type: Type.Literal('call-ended'), conversation: Type.String() }),
  /** How the whole call's media flows, decided by the server for everyone in it; see the protocol doc. */
  Type.Object({
    type: Type.Literal('call-topology'),
    conversation: Type.String(),
    topology: Topology,
    reason: Type.Union([
      Type.Literal('call-started'),
      Type.Literal('grew'),
      Type.Literal('shrank'),
      Type.Literal('no-sfu'),
    ]),
    /** In-call sessions when it was decided. */
    inCall: Type.Integer(),
  }),
  /** A poll got a vote or was closed: its results as everyone may see them (no `votedSelf`). */
  Type.Object({ type: Type.Literal('poll-updated'), conversation: Type.String(), poll: Poll }),
  /** The conversation's settings or membership changed (name, lobby, permissions, …): fetch it again. */
  Type.Object({ type: Type.Literal('conversation-updated'), conversation: Type.String() }),
  /**
   * To every session of every participant, joined to the conversation or not: something a conversation list shows
   * changed. It carries no content (the lobby and the object grants decide what a fetch returns): fetch the
   * conversation again, or drop it on `removed` and `deleted`.
   */
  Type.Object({ type: Type.Literal('conversation-changed'), conversation: Type.String(), change: ConversationChange }),
  Type.Object({ type: Type.Literal('error'), id: RequestId, code: Type.String(), message: Type.String() }),
]);
export type ServerMessage = Static<typeof ServerMessage>;

/**
 * A pushed message's place in the delivery log of a server of several instances (on one Redis): a number that grows
 * across everything pushed, sent along as `seq` on the messages that came through the log. A client remembers the
 * last one it received and offers it back as `hello.lastSeq` when it resumes.
 */
export interface Sequenced {
  /** The message's position in the delivery log. */
  seq?: number;
}

/** One server message type by its `type` tag. */
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** One client message type by its `type` tag. */
export type ClientMessageOf<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>;
