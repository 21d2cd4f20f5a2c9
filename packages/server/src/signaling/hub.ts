import { randomUUID } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  ClientMessage,
  type ClientMessageOf,
  ErrorCode,
  type ParticipantRole,
  Permission,
  type ServerMessage,
  type ServerMessageOf,
} from '@talk/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { Identity, TokenService } from '../auth/tokens.js';
import { CallCoordinator } from '../calls/call-coordinator.js';
import type { TopologyPolicy } from '../calls/topology-policy.js';
import { TalkServerError } from '../errors.js';
import type { Metrics } from '../metrics/metrics.js';
import type { PubSub, Unsubscribe } from '../pubsub/bus.js';
import { isModerator } from '../store/rows.js';
import type { Store } from '../store/store.js';
import { Session } from './session.js';

/** Something for the sessions of a conversation (or one session), on its way through the bus. */
export interface Delivery {
  /** The message to send. */
  message?: ServerMessage;
  /** Session id that is left out. */
  except?: string;
  /** A change every instance applies to its own sessions of the conversation. */
  control?:
    | { kind: 'evict'; userId?: string; reason: string }
    | { kind: 'lobby'; enabled: boolean }
    | { kind: 'role'; userId: string; role: ParticipantRole };
}

/** WebSocket close codes of this protocol (4000–4999 are the application's). */
export const CloseCode = {
  /** The first message was not a `hello` with a valid token, or none came in time. */
  Unauthenticated: 4001,
  /** A newer socket resumed this session. */
  Replaced: 4002,
  /** The server is shutting down. */
  GoingAway: 1001,
} as const;

/** How long a fresh socket may stay silent before it must have said `hello`. */
export const HELLO_TIMEOUT_MS = 10_000;

/** Limits and timing of signaling. */
export interface SignalingOptions {
  /** How long a session outlives a socket that dropped without a close frame, waiting for a resume. */
  resumeGraceMs: number;
  /** Sustained messages per second a session may send… */
  ratePerSecond: number;
  /** …and how many it may send in a burst. */
  burst: number;
  /** The call topology policy. */
  topology: TopologyPolicy;
  /** How often this instance says it is alive; presence of instances silent for 3 intervals is reaped. */
  heartbeatMs?: number;
}

/** Signaling defaults: 30 s to resume, 50 messages/s with bursts of 200. */
export const DEFAULT_SIGNALING_OPTIONS: Omit<SignalingOptions, 'topology'> = {
  resumeGraceMs: 30_000,
  ratePerSecond: 50,
  burst: 200,
};

const checkClientMessage = TypeCompiler.Compile(ClientMessage);
const conversationTopic = (token: string) => `conversation/${token}`;
const sessionTopic = (sessionId: string) => `session/${sessionId}`;

/** What the hub needs from the rest of the server. */
export interface SignalingHubDeps {
  tokens: TokenService;
  store: Store;
  bus: PubSub<Delivery>;
  log: FastifyBaseLogger;
  metrics: Metrics;
  options: SignalingOptions;
}

/**
 * Keeps the signaling sessions of this process and answers their messages: presence in conversations, call
 * state, and relaying WebRTC negotiation between two sessions of one conversation. Who is where is kept in the
 * database, shared with the other instances; fan-out goes through the bus, which is Redis when scaled out.
 */
export class SignalingHub {
  /** This process's name in the presence table. */
  readonly instance = randomUUID();
  /** The call coordinator, which REST routes and LiveKit webhooks tell about changes too. */
  readonly calls: CallCoordinator;
  readonly #sessions = new Map<string, Session>();
  /** Conversation token → this process's sessions that joined it. */
  readonly #rooms = new Map<string, Map<string, Session>>();
  readonly #subscriptions = new Map<string, Unsubscribe>();
  #closing = false;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly deps: SignalingHubDeps) {
    this.calls = new CallCoordinator({
      store: deps.store,
      broadcast: (conversation, message) => this.broadcast(conversation, message),
      policy: deps.options.topology,
      onError: (error) => deps.log.error({ err: error }, 'call decision failed'),
    });
  }

  /**
   * Registers this instance and keeps saying it is alive; meanwhile reaps instances that stopped (a crash
   * leaves their sessions in the presence table), telling the conversations those sessions left.
   */
  async start(): Promise<void> {
    const interval = this.deps.options.heartbeatMs ?? 10_000;
    await this.deps.store.instances.heartbeat(this.instance);
    const beat = async () => {
      await this.deps.store.instances.heartbeat(this.instance);
      const reaped = await this.deps.store.instances.reap(new Date(Date.now() - 3 * interval));
      for (const { conversation, session } of reaped) {
        this.broadcast(conversation, { type: 'session-left', conversation, sessionId: session.sessionId });
      }
      for (const conversation of new Set(reaped.filter((r) => r.session.inCall).map((r) => r.conversation))) {
        await this.calls.update(conversation, { userId: 'server', displayName: 'Server' });
      }
    };
    this.#heartbeat = setInterval(() => {
      beat().catch((error) => this.deps.log.warn({ err: error }, 'heartbeat failed'));
    }, interval);
    this.#heartbeat.unref();
  }

  /** Takes over a freshly upgraded socket. */
  accept(socket: WebSocket): void {
    let session = new Session(socket, this.deps.options.burst);
    const helloTimer = setTimeout(() => {
      if (!session.identity) this.#refuse(session, undefined, 'No hello came in time');
    }, HELLO_TIMEOUT_MS);
    socket.on('message', (data, isBinary) => {
      const current = session;
      current.queue = current.queue.then(async () => {
        const resumed = await this.#receive(current, data, isBinary, socket);
        if (resumed) session = resumed;
      });
    });
    // ws emits an error for oversized or malformed frames and closes the socket itself; without a listener
    // the error would be thrown and take the process down.
    // A protocol error (such as an oversized frame) is the client's fault, not a network drop: no resume then.
    let broken = false;
    socket.on('error', (error) => {
      broken = true;
      this.deps.log.debug({ err: error, session: session.id }, 'signaling socket error');
    });
    socket.on('close', (code) => {
      clearTimeout(helloTimer);
      const current = session;
      // Behind queued handling, so that a join that was in flight is undone too.
      current.queue = current.queue.then(() => this.#closed(current, socket, broken ? 1002 : code));
    });
  }

  /**
   * Sends `message` to every session joined to `conversation`, on every instance, except the one named.
   * Awaiting it orders the push before anything the caller causes next (such as its HTTP answer).
   */
  broadcast(conversation: string, message: ServerMessage, except?: string): Promise<void> {
    return this.deps.bus.publish(conversationTopic(conversation), { message, except });
  }

  /** Applies a change to every session of a conversation, on every instance. */
  control(conversation: string, control: NonNullable<Delivery['control']>): Promise<void> {
    return this.deps.bus.publish(conversationTopic(conversation), { control });
  }

  /** Whether `sessionId` is a session of `userId` joined to `conversation`, on any instance. */
  async isSessionOf(conversation: string, sessionId: string, userId: string): Promise<boolean> {
    const presence = await this.deps.store.presence.get(sessionId, conversation);
    return presence?.participant.userId === userId;
  }

  /** Closes every socket, for shutdown, and forgets this instance's presence. */
  async closeAll(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#heartbeat);
    this.calls.close();
    for (const session of this.#sessions.values()) {
      clearTimeout(session.graceTimer);
      session.close(CloseCode.GoingAway, 'server shutting down');
    }
    await this.deps.store.instances.remove(this.instance).catch(() => {});
  }

  /** Sessions open on this instance. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  async #receive(session: Session, data: RawData, isBinary: boolean, socket: WebSocket): Promise<Session | undefined> {
    let parsed: unknown;
    try {
      if (isBinary) throw new Error('binary frame');
      parsed = JSON.parse(data.toString());
    } catch {
      this.deps.metrics.signalingMessages.inc({ type: 'invalid' });
      return this.#fail(session, undefined, new TalkServerError(ErrorCode.InvalidRequest, 'Frames must be JSON text'));
    }
    const id = requestIdOf(parsed);
    if (!checkClientMessage.Check(parsed)) {
      this.deps.metrics.signalingMessages.inc({ type: 'invalid' });
      const first = checkClientMessage.Errors(parsed).First();
      const where = first?.path ? ` at ${first.path}` : '';
      const error = new TalkServerError(ErrorCode.InvalidRequest, `Not a client message${where}: ${first?.message}`);
      return this.#fail(session, id, error);
    }
    this.deps.metrics.signalingMessages.inc({ type: parsed.type });
    if (session.identity && !session.take(this.deps.options.ratePerSecond, this.deps.options.burst)) {
      return this.#fail(session, id, new TalkServerError(ErrorCode.RateLimited, 'Too many messages; slow down'));
    }
    try {
      if (!session.identity) {
        if (parsed.type !== 'hello') return this.#refuse(session, parsed.id, 'The first message must be hello');
        return await this.#hello(session, parsed, socket);
      }
      await this.#handle(session, parsed);
    } catch (error) {
      if (error instanceof TalkServerError) return this.#fail(session, id, error);
      this.deps.log.error({ err: error, session: session.id }, 'signaling message failed');
      this.#fail(session, id, new TalkServerError(ErrorCode.Internal, 'The server failed to handle this message'));
    }
    return undefined;
  }

  async #handle(session: Session, message: ClientMessage): Promise<void> {
    switch (message.type) {
      case 'hello':
        throw new TalkServerError(ErrorCode.InvalidRequest, 'This session has already said hello');
      case 'join':
        return this.#join(session, message);
      case 'leave':
        this.#membership(session, message.conversation);
        await this.#leave(session, message.conversation);
        return session.send({ type: 'left', id: message.id, conversation: message.conversation });
      case 'call-join':
        return this.#callJoin(session, message);
      case 'call-leave': {
        this.#membership(session, message.conversation);
        return this.#callLeave(session, message.conversation);
      }
      case 'raise-hand': {
        this.#activeMembership(session, message.conversation);
        const presence = await this.deps.store.presence.get(session.id, message.conversation);
        if (!presence?.inCall) throw new TalkServerError(ErrorCode.InvalidRequest, 'Join the call to raise a hand');
        const info = await this.deps.store.presence.update(session.id, message.conversation, {
          handRaised: message.raised,
        });
        if (info)
          this.broadcast(message.conversation, {
            type: 'session-updated',
            conversation: message.conversation,
            session: info,
          });
        return;
      }
      case 'typing': {
        const membership = this.#activeMembership(session, message.conversation);
        const { userId, displayName } = membership.participant;
        const typing: ServerMessageOf<'typing'> = {
          type: 'typing',
          conversation: message.conversation,
          sessionId: session.id,
          userId,
          displayName,
          typing: message.typing,
        };
        return this.broadcast(message.conversation, typing, session.id);
      }
      case 'signal': {
        this.#activeMembership(session, message.conversation);
        const local = this.#rooms.get(message.conversation)?.has(message.to);
        const there = local || (await this.deps.store.presence.get(message.to, message.conversation)) !== undefined;
        if (message.to === session.id || !there) {
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

  async #hello(session: Session, message: ClientMessageOf<'hello'>, socket: WebSocket): Promise<Session | undefined> {
    let identity: Identity;
    try {
      identity = await this.deps.tokens.verify(message.token);
    } catch (error) {
      const reason = error instanceof TalkServerError ? error.message : 'The token is not valid';
      this.#refuse(session, message.id, reason);
      return undefined;
    }
    if (session.closed) return undefined;
    const old = message.resume ? this.#sessions.get(message.resume) : undefined;
    if (old && old.identity?.userId === identity.userId && !old.overflowed) {
      // The same session on a new socket: conversations, call state and everything sent meanwhile carry over.
      old.identity = identity;
      old.attach(socket);
      old.send({ type: 'welcome', id: message.id, sessionId: old.id, userId: identity.userId, resumed: true });
      return old;
    }
    session.identity = identity;
    this.#sessions.set(session.id, session);
    this.deps.metrics.signalingSessions.set(this.#sessions.size);
    this.#subscriptions.set(
      sessionTopic(session.id),
      await this.deps.bus.subscribe(sessionTopic(session.id), ({ message: m }) => m && session.send(m)),
    );
    const welcome: ServerMessageOf<'welcome'> = {
      type: 'welcome',
      id: message.id,
      sessionId: session.id,
      userId: identity.userId,
    };
    if (message.resume) welcome.resumed = false;
    session.send(welcome);
    return undefined;
  }

  async #join(session: Session, message: ClientMessageOf<'join'>): Promise<void> {
    const { conversation } = message;
    const identity = session.identity!;
    const membership =
      identity.guestOf === undefined || identity.guestOf === conversation
        ? await this.deps.store.participants.membership(conversation, identity.userId)
        : undefined;
    if (!membership) throw new TalkServerError(ErrorCode.Forbidden, 'Only participants may join this conversation');
    const { participant } = membership;
    const inLobby = membership.conversation.lobby === true && !isModerator(participant.role);
    if (session.closed && !session.buffer) return;
    const rejoin = session.memberships.has(conversation);
    if (!rejoin) {
      const room = await this.#room(conversation);
      session.memberships.set(conversation, { participant, inLobby });
      room.set(session.id, session);
      await this.deps.store.presence.add(session.id, conversation, participant, this.instance);
    }
    const call = membership.conversation.callActive ? await this.deps.store.calls.get(conversation) : undefined;
    const others = inLobby
      ? []
      : (await this.deps.store.presence.list(conversation)).filter((s) => s.sessionId !== session.id);
    const joined: ServerMessageOf<'joined'> = { type: 'joined', id: message.id, conversation, sessions: others };
    if (call?.startedAt && !inLobby) joined.topology = call.topology;
    session.send(joined);
    if (!rejoin) {
      const info = (await this.deps.store.presence.get(session.id, conversation))!;
      const { instance: _, ...sessionInfo } = info;
      this.broadcast(conversation, { type: 'session-joined', conversation, session: sessionInfo }, session.id);
    }
  }

  async #callJoin(session: Session, message: ClientMessageOf<'call-join'>): Promise<void> {
    const { conversation, media } = message;
    this.#activeMembership(session, conversation);
    const identity = session.identity!;
    const fresh = await this.deps.store.participants.membership(conversation, identity.userId);
    if (!fresh) throw new TalkServerError(ErrorCode.Forbidden, 'You are no longer a participant');
    if (fresh.conversation.lobby && !isModerator(fresh.participant.role)) {
      throw new TalkServerError(ErrorCode.InLobby, 'The lobby is closed');
    }
    const permissions = fresh.participant.permissions ?? 0;
    const needs = (bit: number, what: string) => {
      if ((permissions & bit) === 0) throw new TalkServerError(ErrorCode.Forbidden, `You may not ${what} here`);
    };
    const presence = await this.deps.store.presence.get(session.id, conversation);
    if (!presence?.inCall)
      needs(
        fresh.conversation.callActive ? Permission.JoinCall : Permission.StartCall,
        fresh.conversation.callActive ? 'join the call' : 'start a call',
      );
    if (media.audio) needs(Permission.PublishAudio, 'send audio');
    if (media.video) needs(Permission.PublishVideo, 'send video');
    if (media.screen) needs(Permission.PublishScreen, 'share the screen');
    const info = await this.deps.store.presence.update(session.id, conversation, { inCall: true, media });
    if (!info) return;
    // The call's new topology goes out before the newcomer does: the others meet it on that topology only, rather
    // than building a mesh path to it that their switch would tear down at once.
    await this.calls.update(conversation, identity, session.id);
    this.broadcast(conversation, { type: 'session-updated', conversation, session: info });
    if (presence?.inCall) return;
    // A session joining a running call learns its topology; the others already know it.
    const call = await this.deps.store.calls.get(conversation);
    if (call?.startedAt) {
      const inCall = await this.deps.store.presence.countInCall(conversation);
      session.send({
        type: 'call-topology',
        conversation,
        topology: call.topology,
        reason: call.reason as ServerMessageOf<'call-topology'>['reason'],
        inCall,
      });
    }
  }

  async #callLeave(session: Session, conversation: string): Promise<void> {
    const info = await this.deps.store.presence.update(session.id, conversation, {
      inCall: false,
      media: { audio: false, video: false },
      handRaised: false,
    });
    if (!info) return;
    this.broadcast(conversation, { type: 'session-updated', conversation, session: info });
    await this.calls.update(conversation, session.identity!, session.id);
  }

  async #leave(session: Session, conversation: string): Promise<void> {
    session.memberships.delete(conversation);
    const room = this.#rooms.get(conversation);
    room?.delete(session.id);
    const removed = await this.deps.store.presence.remove(session.id, conversation);
    this.broadcast(conversation, { type: 'session-left', conversation, sessionId: session.id }, session.id);
    if (removed.some((info) => info.inCall) && session.identity)
      await this.calls.update(conversation, session.identity, session.id);
    if (room?.size === 0) {
      this.#rooms.delete(conversation);
      this.#subscriptions.get(conversationTopic(conversation))?.();
      this.#subscriptions.delete(conversationTopic(conversation));
    }
  }

  /** A socket closed: a clean close ends the session; a drop keeps it for a resume until the grace ends. */
  async #closed(session: Session, socket: WebSocket, code: number): Promise<void> {
    if (!session.owns(socket) || !session.identity) return; // a socket that was replaced, or never said hello
    if (code !== 1006 || this.#closing || this.deps.options.resumeGraceMs <= 0) return this.#drop(session);
    session.detach();
    session.graceTimer = setTimeout(() => {
      session.queue = session.queue.then(() => this.#drop(session));
    }, this.deps.options.resumeGraceMs);
    session.graceTimer.unref();
  }

  async #drop(session: Session): Promise<void> {
    if (!this.#sessions.has(session.id)) return;
    this.#sessions.delete(session.id);
    this.deps.metrics.signalingSessions.set(this.#sessions.size);
    clearTimeout(session.graceTimer);
    for (const conversation of [...session.memberships.keys()]) {
      await this.#leave(session, conversation).catch((error) =>
        this.deps.log.warn({ err: error }, 'leave on drop failed'),
      );
    }
    this.#subscriptions.get(sessionTopic(session.id))?.();
    this.#subscriptions.delete(sessionTopic(session.id));
  }

  /** This process's sessions in `conversation`, subscribing the process to its topic on first use. */
  async #room(conversation: string): Promise<Map<string, Session>> {
    const existing = this.#rooms.get(conversation);
    if (existing) return existing;
    const room = new Map<string, Session>();
    this.#rooms.set(conversation, room);
    const deliver = (delivery: Delivery) => {
      if (delivery.control) {
        this.#apply(conversation, room, delivery.control).catch((error) =>
          this.deps.log.warn({ err: error }, 'control failed'),
        );
        return;
      }
      const { message, except } = delivery;
      if (!message) return;
      for (const member of room.values()) if (member.id !== except) member.send(message, conversation);
    };
    const topic = conversationTopic(conversation);
    this.#subscriptions.set(topic, await this.deps.bus.subscribe(topic, deliver));
    return room;
  }

  /** Applies a control event to this instance's sessions of a conversation. */
  async #apply(
    conversation: string,
    room: Map<string, Session>,
    control: NonNullable<Delivery['control']>,
  ): Promise<void> {
    for (const session of [...room.values()]) {
      const membership = session.memberships.get(conversation);
      if (!membership) continue;
      const userId = membership.participant.userId;
      if (control.kind === 'evict') {
        if (control.userId !== undefined && control.userId !== userId) continue;
        session.queue = session.queue.then(async () => {
          if (!session.memberships.has(conversation)) return;
          await this.#leave(session, conversation).catch(() => {});
          session.send({ type: 'left', conversation, reason: control.reason });
        });
      } else if (control.kind === 'role') {
        if (control.userId !== userId) continue;
        membership.participant = { ...membership.participant, role: control.role };
        await this.deps.store.presence.update(session.id, conversation, { role: control.role });
      } else {
        const held = control.enabled && !isModerator(membership.participant.role);
        if (held && !membership.inLobby) {
          session.queue = session.queue.then(() => this.#callLeave(session, conversation).catch(() => {}));
        }
        membership.inLobby = held;
      }
    }
  }

  #membership(session: Session, conversation: string) {
    const membership = session.memberships.get(conversation);
    if (!membership) throw new TalkServerError(ErrorCode.NotJoined, `Join ${conversation} first`);
    return membership;
  }

  /** A membership that the lobby does not hold. */
  #activeMembership(session: Session, conversation: string) {
    const membership = this.#membership(session, conversation);
    if (membership.inLobby) throw new TalkServerError(ErrorCode.InLobby, 'The lobby is closed');
    return membership;
  }

  #fail(session: Session, id: string | undefined, error: TalkServerError): undefined {
    this.deps.metrics.signalingErrors.inc({ code: error.code });
    session.send({ type: 'error', id, code: error.code, message: error.message });
    // Before hello nothing else is allowed, so a broken first frame ends the session too.
    if (!session.identity) session.close(CloseCode.Unauthenticated, 'hello required');
    return undefined;
  }

  #refuse(session: Session, id: string | undefined, reason: string): undefined {
    this.deps.metrics.signalingErrors.inc({ code: ErrorCode.Unauthenticated });
    session.send({ type: 'error', id, code: ErrorCode.Unauthenticated, message: reason });
    session.close(CloseCode.Unauthenticated, 'hello required');
    return undefined;
  }
}

/** The request id of a frame that failed validation, so its error can still be matched to it. */
function requestIdOf(frame: unknown): string | undefined {
  if (typeof frame !== 'object' || frame === null || !('id' in frame)) return undefined;
  return typeof frame.id === 'string' && frame.id.length <= 64 ? frame.id : undefined;
}
