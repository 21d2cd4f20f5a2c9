import type { ServerMessageOf, SessionInfo } from '@talk/protocol';
import type { TalkError } from '../errors.js';

/** Where the signaling connection is. */
export enum ConnectionState {
  /** Not connected and not trying: before `connect()`, after `close()`, or after the server refused the token. */
  Disconnected = 'disconnected',
  /** Opening the first connection. */
  Connecting = 'connecting',
  /** Welcomed by the server. */
  Connected = 'connected',
  /** The connection dropped; retrying with backoff. */
  Reconnecting = 'reconnecting',
}

/** Events of a TalkClient. */
export enum ClientEvent {
  /** The connection state changed. */
  ConnectionStateChanged = 'connectionStateChanged',
  /** The server welcomed this client; after a reconnect the session id is a new one. */
  Connected = 'connected',
  /** A conversation was joined, or re-joined after a reconnect, with the sessions present in it. */
  ConversationJoined = 'conversationJoined',
  /** The server ended this session's membership of a conversation (`removed`, `deleted`, `lobby`, …). */
  ConversationLeft = 'conversationLeft',
  /** A joined conversation's settings or membership changed: fetch it again. */
  ConversationUpdated = 'conversationUpdated',
  /** Another session entered a joined conversation. */
  SessionJoined = 'sessionJoined',
  /** A session changed its call state or media (sent to the changing session too). */
  SessionUpdated = 'sessionUpdated',
  /** A session left a joined conversation. */
  SessionLeft = 'sessionLeft',
  /** A WebRTC negotiation payload from another session. */
  Signal = 'signal',
  /** A chat message was posted in a joined conversation. */
  ChatMessage = 'chatMessage',
  /** A chat message was edited or deleted, or its reactions changed; the message as it is now. */
  ChatMessageUpdated = 'chatMessageUpdated',
  /** A system message (joined, call started, …) was posted in a joined conversation. */
  SystemMessage = 'systemMessage',
  /** Someone added or removed a reaction to a chat message. */
  Reaction = 'reaction',
  /** Another session of a joined conversation is (or stopped) typing. */
  Typing = 'typing',
  /** The first session joined a conversation's call. */
  CallStarted = 'callStarted',
  /** The last session left a conversation's call. */
  CallEnded = 'callEnded',
  /** The server decided (or repeated) how a call's media flows. */
  CallTopology = 'callTopology',
  /** A poll of a joined conversation got a vote or was closed: its results as everyone may see them. */
  PollUpdated = 'pollUpdated',
  /** The server reported an error no pending request was waiting for, or stopped the connection (`too-many-sessions`). */
  Error = 'error',
  /** The token expires soon (its JWT `exp`, less a lead time): hand the client a new one with `setToken`. */
  TokenExpiring = 'tokenExpiring',
}

/** Listener signatures of ClientEvent. */
export type ClientEventCallbacks = {
  [ClientEvent.ConnectionStateChanged]: (state: ConnectionState) => void;
  /** `resumed`: a reconnect that took the old session back (conversations and call seat kept, pushes replayed). */
  [ClientEvent.Connected]: (sessionId: string, info: { reconnected: boolean; resumed?: boolean }) => void;
  [ClientEvent.ConversationJoined]: (
    conversation: string,
    sessions: SessionInfo[],
    info: { rejoined: boolean },
  ) => void;
  [ClientEvent.ConversationLeft]: (conversation: string, reason: string) => void;
  [ClientEvent.ConversationUpdated]: (conversation: string) => void;
  [ClientEvent.SessionJoined]: (conversation: string, session: SessionInfo) => void;
  [ClientEvent.SessionUpdated]: (conversation: string, session: SessionInfo) => void;
  [ClientEvent.SessionLeft]: (conversation: string, sessionId: string) => void;
  [ClientEvent.Signal]: (message: ServerMessageOf<'signal'>) => void;
  [ClientEvent.ChatMessage]: (message: ServerMessageOf<'chat-message'>) => void;
  [ClientEvent.ChatMessageUpdated]: (message: ServerMessageOf<'chat-message-updated'>) => void;
  [ClientEvent.SystemMessage]: (message: ServerMessageOf<'system-message'>) => void;
  [ClientEvent.Reaction]: (message: ServerMessageOf<'reaction'>) => void;
  [ClientEvent.Typing]: (message: ServerMessageOf<'typing'>) => void;
  [ClientEvent.CallStarted]: (message: ServerMessageOf<'call-started'>) => void;
  [ClientEvent.CallEnded]: (message: ServerMessageOf<'call-ended'>) => void;
  [ClientEvent.CallTopology]: (message: ServerMessageOf<'call-topology'>) => void;
  [ClientEvent.PollUpdated]: (message: ServerMessageOf<'poll-updated'>) => void;
  [ClientEvent.Error]: (error: TalkError) => void;
  [ClientEvent.TokenExpiring]: (expiresAt: Date) => void;
};
