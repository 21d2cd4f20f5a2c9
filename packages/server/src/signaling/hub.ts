import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  ClientMessage,
  type ClientMessageOf,
  ErrorCode,
  type ServerMessage,
  type ServerMessageOf,
} from '@talk/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { TokenService } from '../auth/tokens.js';
import { TalkServerError } from '../errors.js';
import type { PubSub, Unsubscribe } from '../pubsub/bus.js';
import type { Store } from '../store/store.js';
import { Session } from './session.js';

/** A server message on its way through the bus, with the one session (the cause) that should not get it. */
export interface Delivery {
  /** The message to send. */
  message: ServerMessage;
  /** Session id that is left out. */
  except?: string;
}

/** WebSocket close codes of this protocol (4000–4999 are the application's). */
export const CloseCode = {
  /** The first message was not a `hello` with a valid token, or none came in time. */
  Unauthenticated: 4001,
  /** The server is shutting down. */
  GoingAway: 1001,
} as const;

/** How long a fresh socket may stay silent before it must have said `hello`. */
export const HELLO_TIMEOUT_MS = 10_000;

const checkClientMessage = TypeCompiler.Compile(ClientMessage);
const conversationTopic = (token: string) => `conversation/${token}`;
const sessionTopic = (sessionId: string) => `session/${sessionId}`;

/** What the hub needs from the rest of the server. */
export interface SignalingHubDeps {
  tokens: TokenService;
  store: Store;
  bus: PubSub<Delivery>;
  log: FastifyBaseLogger;
}

/**
 * Keeps the signaling sessions of this process and answers their messages: presence in conversations, call
 * state, and relaying WebRTC negotiation between two sessions of one conversation. Fan-out goes through the
 * bus; which sessions are in which conversation is known only in this process for now.
 */
export class SignalingHub {
  readonly #sessions = new Map<string, Session>();
  /** Conversation token → this process's sessions that joined it. */
  readonly #rooms = new Map<string, Map<string, Session>>();
  readonly #subscriptions = new Map<string, Unsubscribe>();

  constructor(private readonly deps: SignalingHubDeps) {}

  /** Takes over a freshly upgraded socket. */
  accept(socket: WebSocket): void {
    const session = new Session(socket);
    const helloTimer = setTimeout(() => {
      if (!session.identity) this.#refuse(session, undefined, 'No hello came in time');
    }, HELLO_TIMEOUT_MS);
    socket.on('message', (data, isBinary) => {
      session.queue = session.queue.then(() => this.#receive(session, data, isBinary));
    });
    // ws emits an error for oversized or malformed frames and closes the socket itself; without a listener
    // the error would be thrown and take the process down.
    socket.on('error', (error) => this.deps.log.debug({ err: error, session: session.id }, 'signaling socket error'));
    socket.on('close', () => {
      clearTimeout(helloTimer);
      // Behind queued handling, so that a join that was in flight is undone too.
      session.queue = session.queue.then(() => this.#drop(session));
    });
  }

  /** Sends `message` to every session joined to `conversation`, except the one named. */
  broadcast(conversation: string, message: ServerMessage, except?: string): void {
    this.deps.bus.publish(conversationTopic(conversation), { message, except });
  }

  /** A live session joined to `conversation`, if there is one with this id. */
  joinedSession(conversation: string, sessionId: string): Session | undefined {
    return this.#rooms.get(conversation)?.get(sessionId);
  }

  /** Closes every socket, for shutdown; their sessions leave their conversations as the sockets close. */
  closeAll(): void {
    for (const session of this.#sessions.values()) session.close(CloseCode.GoingAway, 'server shutting down');
  }

  async #receive(session: Session, data: RawData, isBinary: boolean): Promise<void> {
    let parsed: unknown;
    try {
      if (isBinary) throw new Error('binary frame');
      parsed = JSON.parse(data.toString());
    } catch {
      return this.#fail(session, undefined, new TalkServerError(ErrorCode.InvalidRequest, 'Frames must be JSON text'));
    }
    const id = requestIdOf(parsed);
    if (!checkClientMessage.Check(parsed)) {
      const first = checkClientMessage.Errors(parsed).First();
      const where = first?.path ? ` at ${first.path}` : '';
      const error = new TalkServerError(ErrorCode.InvalidRequest, `Not a client message${where}: ${first?.message}`);
      return this.#fail(session, id, error);
    }
    try {
      await this.#handle(session, parsed);
    } catch (error) {
      if (error instanceof TalkServerError) return this.#fail(session, id, error);
      this.deps.log.error({ err: error, session: session.id }, 'signaling message failed');
      this.#fail(session, id, new TalkServerError(ErrorCode.Internal, 'The server failed to handle this message'));
    }
  }

  async #handle(session: Session, message: ClientMessage): Promise<void> {
    if (!session.identity) {
      if (message.type !== 'hello') return this.#refuse(session, message.id, 'The first message must be hello');
      return this.#hello(session, message);
    }
    switch (message.type) {
      case 'hello':
        throw new TalkServerError(ErrorCode.InvalidRequest, 'This session has already said hello');
      case 'join':
        return this.#join(session, message);
      case 'leave':
        this.#membership(session, message.conversation);
        this.#leave(session, message.conversation);
        return session.send({ type: 'left', id: message.id, conversation: message.conversation });
      case 'call-join':
      case 'call-leave': {
        const membership = this.#membership(session, message.conversation);
        membership.inCall = message.type === 'call-join';
        membership.media = message.type === 'call-join' ? message.media : { audio: false, video: false };
        const info = session.info(message.conversation)!;
        return this.broadcast(message.conversation, {
          type: 'session-updated',
          conversation: message.conversation,
          session: info,
        });
      }
      case 'signal': {
        this.#membership(session, message.conversation);
        if (message.to === session.id || !this.joinedSession(message.conversation, message.to)) {
          throw new TalkServerError(ErrorCode.NotFound, `No session ${message.to} in this conversation`);
        }
        const signal: ServerMessageOf<'signal'> = {
          type: 'signal',
          conversation: message.conversation,
          from: session.id,
          payload: message.payload,
        };
        return this.deps.bus.publish(sessionTopic(message.to), { message: signal });
      }
      case 'ping':
        return session.send({ type: 'pong', id: message.id });
    }
  }

  async #hello(session: Session, message: ClientMessageOf<'hello'>): Promise<void> {
    let identity: Awaited<ReturnType<TokenService['verify']>>;
    try {
      identity = await this.deps.tokens.verify(message.token);
    } catch (error) {
      const reason = error instanceof TalkServerError ? error.message : 'The token is not valid';
      return this.#refuse(session, message.id, reason);
    }
    if (session.closed) return;
    session.identity = identity;
    this.#sessions.set(session.id, session);
    this.#subscriptions.set(
      sessionTopic(session.id),
      this.deps.bus.subscribe(sessionTopic(session.id), ({ message }) => session.send(message)),
    );
    session.send({ type: 'welcome', id: message.id, sessionId: session.id, userId: identity.userId });
  }

  async #join(session: Session, message: ClientMessageOf<'join'>): Promise<void> {
    const { conversation } = message;
    const participant = await this.deps.store.getParticipant(conversation, session.identity!.userId);
    if (!participant) throw new TalkServerError(ErrorCode.Forbidden, 'Only participants may join this conversation');
    if (session.closed) return;
    const rejoin = session.memberships.has(conversation);
    if (!rejoin) {
      session.memberships.set(conversation, { participant, inCall: false, media: { audio: false, video: false } });
      this.#room(conversation).set(session.id, session);
    }
    const others = [...this.#room(conversation).values()].filter((other) => other !== session);
    session.send({
      type: 'joined',
      id: message.id,
      conversation,
      sessions: others.map((other) => other.info(conversation)!),
    });
    if (!rejoin) {
      this.broadcast(
        conversation,
        { type: 'session-joined', conversation, session: session.info(conversation)! },
        session.id,
      );
    }
  }

  #leave(session: Session, conversation: string): void {
    session.memberships.delete(conversation);
    const room = this.#rooms.get(conversation);
    room?.delete(session.id);
    this.broadcast(conversation, { type: 'session-left', conversation, sessionId: session.id }, session.id);
    if (room?.size === 0) {
      this.#rooms.delete(conversation);
      this.#subscriptions.get(conversationTopic(conversation))?.();
      this.#subscriptions.delete(conversationTopic(conversation));
    }
  }

  #drop(session: Session): void {
    for (const conversation of [...session.memberships.keys()]) this.#leave(session, conversation);
    this.#subscriptions.get(sessionTopic(session.id))?.();
    this.#subscriptions.delete(sessionTopic(session.id));
    this.#sessions.delete(session.id);
  }

  /** This process's sessions in `conversation`, subscribing the process to its topic on first use. */
  #room(conversation: string): Map<string, Session> {
    const existing = this.#rooms.get(conversation);
    if (existing) return existing;
    const room = new Map<string, Session>();
    this.#rooms.set(conversation, room);
    const deliver = ({ message, except }: Delivery) => {
      for (const member of room.values()) if (member.id !== except) member.send(message);
    };
    const topic = conversationTopic(conversation);
    this.#subscriptions.set(topic, this.deps.bus.subscribe(topic, deliver));
    return room;
  }

  #membership(session: Session, conversation: string) {
    const membership = session.memberships.get(conversation);
    if (!membership) throw new TalkServerError(ErrorCode.NotJoined, `Join ${conversation} first`);
    return membership;
  }

  #fail(session: Session, id: string | undefined, error: TalkServerError): void {
    session.send({ type: 'error', id, code: error.code, message: error.message });
    // Before hello nothing else is allowed, so a broken first frame ends the session too.
    if (!session.identity) session.close(CloseCode.Unauthenticated, 'hello required');
  }

  #refuse(session: Session, id: string | undefined, reason: string): void {
    session.send({ type: 'error', id, code: ErrorCode.Unauthenticated, message: reason });
    session.close(CloseCode.Unauthenticated, 'hello required');
  }
}

/** The request id of a frame that failed validation, so its error can still be matched to it. */
function requestIdOf(frame: unknown): string | undefined {
  if (typeof frame !== 'object' || frame === null || !('id' in frame)) return undefined;
  return typeof frame.id === 'string' && frame.id.length <= 64 ? frame.id : undefined;
}
