import { type ClientMessage, type ClientMessageOf, ErrorCode, type ServerMessageOf } from '@talk/protocol';
import { requireSignalPath } from '../access/rules.js';
import type { TokenService } from '../auth/tokens.js';
import { TalkServerError } from '../errors.js';
import type { CallSeats } from './call-seats.js';
import type { Presence } from './presence.js';
import type { Session } from './session.js';

/** Handles one type of client message from a session that has said hello. */
export type Handler<T extends ClientMessage['type']> = (session: Session, message: ClientMessageOf<T>) => Promise<void>;

/** A handler for every client message type: a type added to the protocol fails typecheck until it has one. */
export type HandlerTable = { [T in ClientMessage['type']]: Handler<T> };

/** What the handlers need from the hub. */
export interface HandlerDeps {
  /** Checks the fresh token of a `token` message. */
  tokens: Pick<TokenService, 'verify'>;
  presence: Presence;
  /** Sends a message to a conversation's sessions on every instance, except the one named. */
  broadcast: (conversation: string, message: ServerMessageOf<'typing'>, except?: string) => Promise<void>;
  /** Who sits in each call, kept in memory, so that relaying a signal asks no database. */
  seats: CallSeats;
  /** Sends a message to one session, on whichever instance holds it. */
  sendTo: (sessionId: string, message: ServerMessageOf<'signal'>) => Promise<void>;
}

/** The signaling message handlers, keyed by message type. */
export function messageHandlers({ tokens, presence, broadcast, seats, sendTo }: HandlerDeps): HandlerTable {
  return {
    async hello() {
      throw new TalkServerError(ErrorCode.InvalidRequest, 'This session has already said hello');
    },
    async token(session, { id, token }) {
      const fresh = await tokens.verify(token);
      const current = session.identity;
      // The session's conversations and call seats were granted to this user: a token for anyone else is refused.
      if (fresh.userId !== current?.userId || fresh.guestOf !== current.guestOf) {
        throw new TalkServerError(ErrorCode.Forbidden, 'A fresh token must be for the same user');
      }
      session.authenticate(fresh);
      const expiresAt = new Date(fresh.expiresAt ?? Date.now()).toISOString();
      session.send({ type: 'token-accepted', id, expiresAt });
    },
    join: (session, message) => presence.join(session, message),
    async leave(session, { id, conversation }) {
      session.membership(conversation);
      session.announcements.clear(conversation);
      await presence.leave(session, conversation);
      session.send({ type: 'left', id, conversation });
    },
    'call-join': (session, message) => presence.callJoin(session, message),
    async 'call-leave'(session, { conversation }) {
      session.membership(conversation);
      session.announcements.clear(conversation);
      await presence.callLeave(session, conversation);
    },
    // A hand raised again and again, or typing sent on every key, goes out at most once per interval: the
    // latest state still arrives, the flood does not.
    async 'raise-hand'(session, message) {
      session.activeMembership(message.conversation);
      const raised = String(message.raised);
      await session.announcements.offer('raise-hand', message.conversation, raised, () =>
        presence.raiseHand(session, message),
      );
    },
    async typing(session, { conversation, typing }) {
      session.activeMembership(conversation);
      await session.announcements.offer('typing', conversation, String(typing), async () => {
        // Read when it goes out: a held announcement may leave after the lobby closed or the session left.
        const membership = session.memberships.get(conversation);
        if (!membership || membership.inLobby) return;
        const { userId, displayName } = membership.participant;
        const message: ServerMessageOf<'typing'> = {
          type: 'typing',
          conversation,
          sessionId: session.id,
          userId,
          displayName,
          typing,
        };
        await broadcast(conversation, message, session.id);
      });
    },
    async signal(session, { conversation, to, payload }) {
      session.activeMembership(conversation);
      if (to === session.id) throw new TalkServerError(ErrorCode.NotFound, `No session ${to} in this conversation`);
      // The seats follow every call-leave, revoked permission and closed lobby as the bus tells this instance.
      const current = await seats.get(conversation);
      requireSignalPath(current.get(session.id), current.get(to), to);
      await sendTo(to, { type: 'signal', conversation, from: session.id, payload });
    },
    async ping(session, { id }) {
      session.send({ type: 'pong', id });
    },
  };
}

/** Hands a message to its type's handler. */
export function dispatch<T extends ClientMessage['type']>(
  table: HandlerTable,
  session: Session,
  message: ClientMessageOf<T>,
): Promise<void> {
  // TypeScript cannot correlate the table's entry with the message's own type; the mapped type guarantees it.
  const handler = table[message.type as T] as Handler<T>;
  return handler(session, message);
}
