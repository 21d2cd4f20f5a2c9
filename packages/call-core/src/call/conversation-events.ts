import type { ServerMessageOf, SessionInfo, SignalPayload } from '@talk/protocol';
import { ClientEvent } from '../client/events.js';
import type { TalkClientLike } from '../client/TalkClientLike.js';

/** What a call does with what signaling says about its conversation. */
export interface ConversationHandlers {
  /** A session joined the conversation or changed its call state, media or hand. */
  sessionChanged(session: SessionInfo): void;
  /** A session left the conversation. */
  sessionLeft(sessionId: string): void;
  /** Another session sent a negotiation payload. */
  signal(from: string, payload: SignalPayload): void;
  /** The server decided (or repeated) how the call's media flows. */
  topology(message: ServerMessageOf<'call-topology'>): void;
  /** The conversation was joined again after a signaling reconnect, under a new session id. */
  rejoined(): void;
  /** The server ended this session's membership, saying why (`removed`, `banned`, `deleted`, …). */
  left?(reason: string): void;
  /** The conversation's settings or membership changed: role, permissions, lobby. */
  updated?(): void;
}

/** Subscribes `handlers` to the client's events of one conversation, until the returned function is called. */
export function onConversation(
  client: TalkClientLike,
  conversation: string,
  handlers: ConversationHandlers,
): () => void {
  const mine = (c: string) => c === conversation;
  const changed = (c: string, session: SessionInfo) => mine(c) && handlers.sessionChanged(session);
  const unsubscribe = [
    client.on(ClientEvent.SessionJoined, changed),
    client.on(ClientEvent.SessionUpdated, changed),
    client.on(ClientEvent.SessionLeft, (c, sessionId) => mine(c) && handlers.sessionLeft(sessionId)),
    client.on(
      ClientEvent.Signal,
      (message) => mine(message.conversation) && handlers.signal(message.from, message.payload),
    ),
    client.on(ClientEvent.CallTopology, (message) => mine(message.conversation) && handlers.topology(message)),
    client.on(
      ClientEvent.ConversationJoined,
      (c, _sessions, { rejoined }) => mine(c) && rejoined && handlers.rejoined(),
    ),
    client.on(ClientEvent.ConversationLeft, (c, reason) => mine(c) && handlers.left?.(reason)),
    client.on(ClientEvent.ConversationUpdated, (c) => mine(c) && handlers.updated?.()),
  ];
  return () => {
    for (const off of unsubscribe) off();
  };
}
