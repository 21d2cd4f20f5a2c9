import { randomUUID } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  ClientMessage,
  type ClientMessageOf,
  CloseCode,
  type ConversationChange,
  ErrorCode,
  type ServerMessage,
  type SessionInfo,
} from '@talk/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { Identity, TokenService } from '../auth/tokens.js';
import { CallCoordinator } from '../calls/call-coordinator.js';
import type { TopologyPolicy } from '../calls/topology-policy.js';
import type { DeliveryLog } from '../cluster/delivery-log.js';
import type { SessionDirectory, SessionRecord } from '../cluster/session-directory.js';
import { DEFAULT_SIGNALING_FLOW, type SignalingFlowLimits } from '../config.js';
import { TalkServerError } from '../errors.js';
import type { SfuGuard } from '../livekit/sfu-guard.js';
import type { Metrics } from '../metrics/metrics.js';
import type { PubSub, Unsubscribe } from '../pubsub/bus.js';
import { unstorable } from '../store/storable.js';
import type { Store } from '../store/store.js';
import { CallSeats } from './call-seats.js';
import { type Control, conversationTopic, type Delivery, sessionTopic, userTopic } from './delivery.js';
import { dispatch, type HandlerTable, messageHandlers } from './handlers.js';
import { InstanceHeartbeat, type ReapedPresence, SocketLiveness } from './heartbeat.js';
import { LocalRooms } from './local-rooms.js';
import { Presence } from './presence.js';
import { RESUME_BUFFER, Session } from './session.js';
import { SessionRegistry } from './session-registry.js';

export { CloseCode } from '@talk/protocol';
export type { Control, Delivery } from './delivery.js';

/** The actor of call changes that the server makes by itself (a dead instance's sessions, a restart). */
const SERVER_ACTOR = { userId: 'server', displayName: 'Server' };

/** How long shutdown waits for its sessions to leave their conversations (or be handed over) before closing anyway. */
const SHUTDOWN_LEAVE_MS = 5_000;

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
  /** Sessions per user, unsent bytes, pings and announcements; unset ones keep {@link DEFAULT_SIGNALING_FLOW}. */
  flow?: Partial<SignalingFlowLimits>;
  /** The attachment size limit, told to each client in its welcome. */
  maxAttachmentBytes?: number;
}

/** Signaling defaults: 30 s to resume, 50 messages/s with bursts of 200. */
export const DEFAULT_SIGNALING_OPTIONS: Omit<SignalingOptions, 'topology'> = {
  resumeGraceMs: 30_000,
  ratePerSecond: 50,
  burst: 200,
};

const checkClientMessage = TypeCompiler.Compile(ClientMessage);

/** What the hub needs from the rest of the server. */
export interface SignalingHubDeps {
  tokens: TokenService;
  store: Store;
  bus: PubSub<Delivery>;
  log: FastifyBaseLogger;
  metrics: Metrics;
  options: SignalingOptions;
  /** Keeps the SFU's room in line with signaling's rules, when an SFU is configured. */
  sfu?: SfuGuard;
  /** With several instances on one Redis: the shared session records and delivery log that let any of them resume. */
  cluster?: ClusterDeps;
}

/** What lets a session resume on an instance other than the one that held it. */
export interface ClusterDeps {
  /** Every instance's sessions, with a TTL of the resume window. */
  directory: SessionDirectory;
  /** What the bus published lately, numbered, for the replay. */
  log: DeliveryLog;
}

/**
 * Keeps the signaling sessions of this process and answers their messages: presence in conversations, call
 * state, and relaying WebRTC negotiation between two sessions of one conversation. Who is where is kept in the
 * database, shared with the other instances; fan-out goes through the bus, which is Redis when scaled out.
 * The parts: {@link LocalRooms} (this instance's rooms), {@link Presence} (joining and leaving), the handler
 * table (one handler per message type) and the {@link InstanceHeartbeat}.
 */
export class SignalingHub {
  /** This process's name in the presence table. */
  readonly instance = randomUUID();
  /** The call coordinator, which REST routes and LiveKit webhooks tell about changes too. */
  readonly calls: CallCoordinator;
  readonly #sessions = new SessionRegistry();
  /** Session id → its subscription to signals addressed to it. */
  readonly #inboxes = new Map<string, Promise<Unsubscribe>>();
  readonly #rooms: LocalRooms;
  readonly #seats: CallSeats;
  readonly #presence: Presence;
  readonly #handlers: HandlerTable;
  readonly #heartbeat: InstanceHeartbeat;
  readonly #flow: SignalingFlowLimits;
  #closing = false;
  /** Set once {@link handOver} began: sessions are let go for other instances to take over, none is ended. */
  #handingOver = false;
  /** This instance's presence rows that no live session backed at the last beat. */
  #unbacked = new Set<string>();
  /** Session id → what its shared record last said, so that an unchanged session is only renewed. */
  readonly #shared = new Map<string, string>();
  /** Renews the shared records of the sessions whose sockets are up. */
  #renewal: NodeJS.Timeout | undefined;

  constructor(private readonly deps: SignalingHubDeps) {
    this.#flow = { ...DEFAULT_SIGNALING_FLOW, ...deps.options.flow };
    const broadcast = (conversation: string, message: ServerMessage, except?: string) =>
      this.broadcast(conversation, message, except);
    this.calls = new CallCoordinator({
      store: deps.store,
      broadcast,
      policy: deps.options.topology,
      onError: (error) => deps.log.error({ err: error }, 'call decision failed'),
    });
    this.#seats = new CallSeats(
      (conversation) => deps.store.presence.seats(conversation),
      (conversation) => this.#rooms.serves(conversation),
    );
    this.#rooms = new LocalRooms(
      deps.bus,
      (conversation, sessions, control) => this.#presence.apply(conversation, sessions, control),
      (error) => deps.log.warn({ err: error }, 'control failed'),
      {
        delivered: (conversation, delivery) => this.#seats.observe(conversation, delivery),
        closed: (conversation) => this.#seats.forget(conversation),
      },
    );
    this.#presence = new Presence({
      store: deps.store,
      rooms: this.#rooms,
      calls: this.calls,
      instance: this.instance,
      broadcast,
    });
    this.#handlers = messageHandlers({
      tokens: deps.tokens,
      presence: this.#presence,
      broadcast,
      seats: this.#seats,
      sendTo: (sessionId, message) => deps.bus.publish(sessionTopic(sessionId), { kind: 'message', message }),
    });
    // Control changes published while Redis was away reached nobody: the sessions here are checked again, and the
    // call seats, which those changes would have kept right, are read afresh.
    deps.bus.onResync(() => {
      this.#seats.forgetAll();
      return this.#presence.revalidate(this.#sessions.values(), (error) =>
        deps.log.warn({ err: error }, 'revalidation failed'),
      );
    });
    this.#heartbeat = new InstanceHeartbeat({
      store: deps.store,
      instance: this.instance,
      intervalMs: deps.options.heartbeatMs ?? 10_000,
      onReaped: (reaped) => this.#reaped(reaped),
      onError: (error) => deps.log.warn({ err: error }, 'heartbeat failed'),
      reconcile: () => this.#reconcilePresence(),
    });
  }

  /**
   * Registers this instance and keeps saying it is alive; meanwhile reaps instances that stopped (a crash
   * leaves their sessions in the presence table), telling the conversations those sessions left.
   */
  async start(): Promise<void> {
    await this.#heartbeat.start();
    if (this.deps.cluster) {
      // A third of the window: a record outlives a dead instance by two thirds of it at least.
      const every = Math.max(500, Math.floor(this.deps.options.resumeGraceMs / 3));
      this.#renewal = setInterval(() => void this.#renewRecords(), every);
      this.#renewal.unref();
    }
    // After a crash or a close whose database writes failed, a call can be marked as running with nobody left in
    // it: each is decided again (one with nobody in it ends), here and by the reaping of the old instance's presence.
    for (const conversation of await this.deps.store.calls.active()) {
      await this.calls.update(conversation, SERVER_ACTOR).catch((error) => {
        this.deps.log.warn({ err: error, conversation }, 'deciding a call again after start failed');
      });
    }
  }

  /** Takes over a freshly upgraded socket. */
  accept(socket: WebSocket): void {
    if (this.#handingOver) {
      // Arrived as this instance stopped listening: its client tries again at once, and reaches another.
      socket.close(CloseCode.HandOver, 'reconnect now');
      return;
    }
    const { ratePerSecond, burst } = this.deps.options;
    const { maxBufferedBytes, repeatIntervalMs, pingIntervalMs } = this.#flow;
    let session = new Session(socket, { ratePerSecond, burst, maxBufferedBytes, repeatIntervalMs });
    const liveness = new SocketLiveness(socket, pingIntervalMs);
    const helloTimer = setTimeout(() => {
      if (!session.identity) this.#refuse(session, undefined, 'No hello came in time');
    }, HELLO_TIMEOUT_MS);
    socket.on('message', (data, isBinary) => {
      const current = session;
      // Counted as it arrives, before it is parsed or queued: a flood, even of garbage, costs the server little.
      const admission = current.admit();
      if (admission === 'cut') return;
      if (admission === 'refused') {
        this.deps.metrics.signalingMessages.inc({ type: 'refused' });
        this.#fail(current, undefined, new TalkServerError(ErrorCode.RateLimited, 'Too many messages; slow down'));
        return;
      }
      current
        .handle(async () => {
          const resumed = await this.#receive(current, data, isBinary, socket);
          if (resumed) session = resumed;
        })
        .catch((error) => this.deps.log.error({ err: error, session: current.id }, 'signaling message failed'));
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
      liveness.stop();
      const current = session;
      // A socket the server ended itself (a flood, a slow reader) ends its session, whatever ws saw.
      const ended = current.owns(socket) ? current.endedWith : undefined;
      // Behind queued handling, so that a join that was in flight is undone too.
      current.queue
        .run(() => this.#closed(current, socket, ended ?? (broken ? CloseCode.ProtocolError : code)))
        .catch((error) => this.deps.log.warn({ err: error, session: current.id }, 'closing a session failed'));
    });
  }

  /**
   * Sends `message` to every session joined to `conversation`, on every instance, except the one named.
   * Awaiting it orders the push before anything the caller causes next (such as its HTTP answer).
   */
  broadcast(conversation: string, message: ServerMessage, except?: string): Promise<void> {
    return this.#publish(conversation, { kind: 'message', message, except });
  }

  /** Applies a change to every session of a conversation, on every instance. */
  control(conversation: string, control: Control): Promise<void> {
    return this.#publish(conversation, { kind: 'control', control });
  }

  /**
   * Tells every session of each of `userIds` (joined to the conversation or not) that something their conversation
   * list shows changed. For what every participant should hear, `broadcast` does this by itself.
   */
  async tellUsers(userIds: Iterable<string>, conversation: string, change: ConversationChange): Promise<void> {
    const message: ServerMessage = { type: 'conversation-changed', conversation, change };
    await Promise.all(
      [...new Set(userIds)].map((userId) => this.deps.bus.publish(userTopic(userId), { kind: 'message', message })),
    );
  }

  async #publish(conversation: string, delivery: Delivery): Promise<void> {
    // This instance's call seats follow its own changes at once, not only once the bus brings them back: a
    // permission revoked here stops the relay here before the request that revoked it is answered.
    this.#seats.observe(conversation, delivery);
    if (this.deps.sfu && narrowsTheCall(delivery)) void this.deps.sfu.reconcile(conversation);
    await this.deps.bus.publish(conversationTopic(conversation), delivery);
    const change = delivery.kind === 'message' ? listChangeOf(delivery.message) : undefined;
    if (change) await this.#tellParticipants(conversation, change);
  }

  /** Every participant's list hears of the change; a failure is logged, like a lost push that a reconnect repairs. */
  async #tellParticipants(conversation: string, change: ConversationChange): Promise<void> {
    try {
      await this.tellUsers(await this.deps.store.participants.userIds(conversation), conversation, change);
    } catch (error) {
      this.deps.log.warn({ err: error, conversation }, 'telling the conversation lists failed');
    }
  }

  /** Whether `sessionId` is a session of `userId` joined to `conversation`, on any instance. */
  async isSessionOf(conversation: string, sessionId: string, userId: string): Promise<boolean> {
    const presence = await this.deps.store.presence.get(sessionId, conversation);
    return presence?.participant.userId === userId;
  }

  /**
   * For shutdown: every session of this instance leaves its conversations as a clean close would (the others hear
   * `session-left`, calls are decided again and end when nobody is left), then the sockets close with "going away"
   * and this instance's presence is forgotten. A leave that hangs is given up after a few seconds.
   */
  async closeAll(): Promise<void> {
    // Handed over: ending what is left, or forgetting this instance's presence, would undo it.
    if (this.#handingOver) return;
    this.#closing = true;
    const sessions = [...this.#sessions.values()];
    const leaving = Promise.all(
      sessions.map((session) => {
        clearTimeout(session.graceTimer);
        return session.queue
          .run(() => this.#drop(session))
          .catch((error) => this.deps.log.warn({ err: error, session: session.id }, 'leaving on shutdown failed'));
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([leaving, new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_LEAVE_MS)))]);
    clearTimeout(timer);
    this.calls.close();
    clearInterval(this.#renewal);
    for (const session of sessions) session.close(CloseCode.GoingAway, 'server shutting down');
    await this.#heartbeat.stop();
  }

  /**
   * For a restart (SIGTERM), on a cluster: hands every session over instead of ending it. Behind whatever it was
   * handling, each session's record is written afresh with the whole window ahead, its socket is closed with
   * `HandOver` (its client resumes at once, through the balancer, on another instance, which takes the session over
   * as after a drop and replays what was pushed meanwhile) and this instance lets it go without a leave. Presence
   * rows stay for the takers, and the heartbeat stops without forgetting them: a session nobody resumes is reaped
   * as a stopped instance's. Sockets that arrive meanwhile are sent on with `HandOver` too. Without a cluster nobody
   * could take the sessions: they end as in {@link closeAll}.
   */
  async handOver(): Promise<void> {
    const directory = this.deps.cluster?.directory;
    if (!directory) return this.closeAll();
    this.#handingOver = true;
    clearInterval(this.#renewal);
    const sessions = [...this.#sessions.values()];
    const handing = Promise.all(
      sessions.map((session) =>
        session.queue
          .run(async () => {
            if (this.#sessions.get(session.id) !== session) return; // taken over elsewhere meanwhile
            clearTimeout(session.graceTimer);
            const record = this.#recordOf(session);
            // Before the close: the resume it prompts must find the record as it is now, and a window ahead of it.
            if (record) await directory.save(session.id, this.instance, record);
            session.end(CloseCode.HandOver, 'reconnect now: the session is kept');
            await this.#letGo(session);
          })
          .catch((error) => this.deps.log.warn({ err: error, session: session.id }, 'handing over failed')),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([handing, new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_LEAVE_MS)))]);
    clearTimeout(timer);
    this.calls.close();
    this.#heartbeat.pause();
  }

  /** The guard that keeps the SFU in line with signaling, when an SFU is configured. */
  get sfu(): SfuGuard | undefined {
    return this.deps.sfu;
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
    const unfit = unstorable(parsed);
    if (unfit) {
      this.deps.metrics.signalingMessages.inc({ type: 'invalid' });
      return this.#fail(session, id, new TalkServerError(ErrorCode.InvalidRequest, unfit));
    }
    this.deps.metrics.signalingMessages.inc({ type: parsed.type });
    try {
      if (!session.identity) {
        if (parsed.type !== 'hello') return this.#refuse(session, parsed.id, 'The first message must be hello');
        return await this.#hello(session, parsed, socket);
      }
      await dispatch(this.#handlers, session, parsed);
      this.#share(session);
    } catch (error) {
      if (error instanceof TalkServerError) return this.#fail(session, id, error);
      this.deps.log.error({ err: error, session: session.id }, 'signaling message failed');
      this.#fail(session, id, new TalkServerError(ErrorCode.Internal, 'The server failed to handle this message'));
    }
    return undefined;
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
    if (this.#handingOver) {
      session.close(CloseCode.HandOver, 'reconnect now');
      return undefined;
    }
    const old = message.resume ? this.#sessions.get(message.resume) : undefined;
    if (old && old.identity?.userId === identity.userId && !old.overflowed) {
      // The same session on a new socket: conversations, call state and everything sent meanwhile carry over.
      old.authenticate(identity);
      // The welcome goes first, so the client knows it resumed before the replay (and can catch up from before it).
      old.attach(socket, {
        type: 'welcome',
        id: message.id,
        sessionId: old.id,
        userId: identity.userId,
        resumed: true,
        ...this.#limits(),
      });
      return old;
    }
    if (message.resume && !old && this.deps.cluster) {
      // Not here: maybe on another instance, alive or dead, whose record is still within the window.
      const taken = await this.#takeOver(message, identity, socket).catch((error) => {
        this.deps.log.warn({ err: error, session: message.resume }, 'taking a session over failed');
        return undefined;
      });
      if (taken) return taken;
      if (session.closed) return undefined;
    }
    session.authenticate(identity);
    this.#makeRoomFor(identity.userId);
    this.#sessions.set(session.id, session);
    this.deps.metrics.signalingSessions.set(this.#sessions.size);
    try {
      await this.#openInbox(session, identity.userId);
    } catch {
      // The bus is away (Redis down): a session nobody can signal to is no session; the client retries later.
      this.#sessions.delete(session.id);
      this.#inboxes.delete(session.id);
      this.deps.metrics.signalingSessions.set(this.#sessions.size);
      session.send({ type: 'error', id: message.id, code: ErrorCode.Internal, message: 'Signaling is unavailable' });
      session.close(CloseCode.GoingAway, 'try again');
      return undefined;
    }
    session.send({
      type: 'welcome',
      id: message.id,
      sessionId: session.id,
      userId: identity.userId,
      ...(message.resume ? { resumed: false } : {}),
      ...this.#limits(),
    });
    this.#share(session);
    return undefined;
  }

  /**
   * Subscribes a session to its own inbox and its user's (the conversation list hears of conversations it never
   * joined); a failed subscription is undone before the error is thrown.
   */
  async #openInbox(session: Session, userId: string): Promise<void> {
    const deliver = (delivery: Delivery, position?: number) => {
      if (delivery.kind === 'message') session.send(delivery.message, undefined, position);
      else if (delivery.kind === 'moved' && delivery.instance !== this.instance) this.#moved(session);
    };
    const subscriptions = [
      this.deps.bus.subscribe(sessionTopic(session.id), deliver),
      this.deps.bus.subscribe(userTopic(userId), deliver),
    ];
    const inbox = Promise.all(subscriptions).then(
      (unsubscribes): Unsubscribe =>
        () => {
          for (const unsubscribe of unsubscribes) unsubscribe();
        },
    );
    this.#inboxes.set(session.id, inbox);
    try {
      await inbox;
    } catch (error) {
      for (const subscription of subscriptions) subscription.then((unsubscribe) => unsubscribe()).catch(() => {});
      this.#inboxes.delete(session.id);
      throw error;
    }
  }

  /**
   * Resumes a session another instance held (it died, or the client's reconnect landed here): its record says who
   * it is and where it was; its presence rows move here, so the others see no leave and no join; the instance
   * that had it, if alive, forgets it; and what the client missed is replayed from the delivery log, after the
   * last position it saw, then whatever arrived meanwhile, each message once. A gap in the log (more missed than
   * a resume keeps) ends the session instead, as an overflowed buffer does.
   */
  async #takeOver(
    message: ClientMessageOf<'hello'>,
    identity: Identity,
    socket: WebSocket,
  ): Promise<Session | undefined> {
    const { directory, log } = this.deps.cluster!;
    const id = message.resume!;
    const seen = await directory.get(id);
    if (!seen || seen.userId !== identity.userId || seen.guestOf !== identity.guestOf) return undefined;
    const claimed = await directory.claim(id, this.instance);
    if (!claimed) return undefined;
    const { record, since } = claimed;
    const { ratePerSecond, burst } = this.deps.options;
    const { maxBufferedBytes, repeatIntervalMs } = this.#flow;
    const session = new Session(socket, { ratePerSecond, burst, maxBufferedBytes, repeatIntervalMs }, id);
    session.authenticate(identity);
    // What arrives live while the replay is read waits behind it.
    session.buffer = [];
    this.#makeRoomFor(identity.userId);
    this.#sessions.set(id, session);
    this.deps.metrics.signalingSessions.set(this.#sessions.size);
    for (const { conversation, participant, inLobby } of record.memberships) {
      session.memberships.set(conversation, { participant, inLobby });
    }
    const conversations = record.memberships.map((m) => m.conversation);
    try {
      await this.#openInbox(session, identity.userId);
      await Promise.all(conversations.map((conversation) => this.#rooms.add(conversation, session)));
      // Presence rows keep the call state and flags; they now name this instance, so that reaping the old one
      // passes them by. A row already reaped (the resume came late) is written again, and the others hear a join.
      const reaped: { conversation: string; session: SessionInfo }[] = [];
      for (const { conversation, participant } of record.memberships) {
        const moved = await this.deps.store.presence.move(id, conversation, participant, this.instance);
        if (moved.inserted) reaped.push({ conversation, session: moved.session });
      }
      await this.deps.bus.publish(sessionTopic(id), { kind: 'moved', instance: this.instance });
      const after = message.lastSeq ?? since;
      const topics = new Map<string, string | undefined>([
        [sessionTopic(id), undefined],
        [userTopic(identity.userId), undefined],
        ...conversations.map((c): [string, string] => [conversationTopic(c), c]),
      ]);
      const replay = await log.replay<Delivery>([...topics.keys()], after, RESUME_BUFFER);
      if (!replay.complete || session.overflowed) throw new Error('the delivery log no longer holds what was missed');
      const live = session.buffer;
      session.buffer = [];
      let last = after;
      for (const { topic, position, event } of replay.events) {
        last = position;
        if (event.kind === 'message' && event.except !== id) session.send(event.message, topics.get(topic), position);
      }
      for (const entry of live) if (entry.position === undefined || entry.position > last) session.buffer.push(entry);
      session.attach(socket, {
        type: 'welcome',
        id: message.id,
        sessionId: id,
        userId: identity.userId,
        resumed: true,
        ...this.#limits(),
      });
      for (const { conversation, session: info } of reaped) {
        this.broadcast(conversation, { type: 'session-joined', conversation, session: info }, id);
      }
    } catch (error) {
      // A session half taken over is no session: it leaves as after a drop, and the client gets a new one.
      await this.#drop(session);
      throw error;
    }
    // Removals, lobby and role changes published while nobody held the session were lost: they are read afresh.
    void this.#presence.revalidate([session], (error) => this.deps.log.warn({ err: error }, 'revalidation failed'));
    this.#share(session);
    return session;
  }

  /** Another instance took the session over: this one forgets it without a leave, and ends its socket if still up. */
  #moved(session: Session): void {
    session.queue
      .run(async () => {
        if (this.#sessions.get(session.id) !== session) return;
        session.end(CloseCode.Replaced, 'resumed elsewhere');
        await this.#letGo(session);
      })
      .catch((error) => this.deps.log.warn({ err: error, session: session.id }, 'forgetting a moved session failed'));
  }

  /**
   * Forgets a session here without a leave and without touching its record or presence rows: they are another
   * instance's to take over (or theirs already).
   */
  async #letGo(session: Session): Promise<void> {
    if (this.#sessions.get(session.id) !== session) return;
    this.#forget(session);
    await this.#unhook(session);
  }

  /** Takes a session out of this instance's map, timers and announcements. */
  #forget(session: Session): void {
    this.#sessions.delete(session.id);
    this.#shared.delete(session.id);
    this.deps.metrics.signalingSessions.set(this.#sessions.size);
    clearTimeout(session.graceTimer);
    session.announcements.clear();
  }

  /** Takes a forgotten session out of this instance's rooms and unsubscribes its inbox, with no leave. */
  async #unhook(session: Session): Promise<void> {
    for (const conversation of session.memberships.keys()) this.#rooms.remove(conversation, session.id);
    session.memberships.clear();
    const inbox = this.#inboxes.get(session.id);
    this.#inboxes.delete(session.id);
    await inbox?.then((unsubscribe) => unsubscribe());
  }

  /** Writes a session's shared record when what another instance would need of it changed. */
  #share(session: Session): void {
    const cluster = this.deps.cluster;
    const record = this.#recordOf(session);
    if (!cluster || !record || session.endedWith !== undefined || !this.#sessions.has(session.id)) return;
    const signature = JSON.stringify(record.memberships);
    if (this.#shared.get(session.id) === signature) return;
    this.#shared.set(session.id, signature);
    cluster.directory.save(session.id, this.instance, record).catch((error) => {
      this.#shared.delete(session.id); // written again on the next renewal
      this.deps.log.warn({ err: error, session: session.id }, 'sharing a session failed');
    });
  }

  /** What another instance would need to take a session over, once it said hello. */
  #recordOf(session: Session): SessionRecord | undefined {
    const identity = session.identity;
    if (!identity) return undefined;
    return {
      userId: identity.userId,
      ...(identity.guestOf === undefined ? {} : { guestOf: identity.guestOf }),
      createdAt: session.createdAt,
      ...(session.lastSeq === undefined ? {} : { lastSeq: session.lastSeq }),
      memberships: [...session.memberships].map(([conversation, { participant, inLobby }]) => ({
        conversation,
        participant,
        inLobby,
      })),
    };
  }

  /** Renews the records of sessions whose sockets are up (and writes those that changed). */
  async #renewRecords(): Promise<void> {
    const up = [...this.#sessions.values()].filter((s) => !s.buffer && s.endedWith === undefined);
    for (const session of up) this.#share(session);
    await this.deps.cluster?.directory
      .renew(up.map((s) => s.id))
      .catch((error) => this.deps.log.warn({ err: error }, 'renewing session records failed'));
  }

  /** What a welcome tells the client about this server's limits. */
  #limits(): { maxAttachmentBytes?: number } {
    const { maxAttachmentBytes } = this.deps.options;
    return maxAttachmentBytes === undefined ? {} : { maxAttachmentBytes };
  }

  /** A socket closed: a clean close ends the session; a drop (or Resuming) keeps it for a resume until the grace ends. */
  async #closed(session: Session, socket: WebSocket, code: number): Promise<void> {
    if (!session.owns(socket) || !session.identity) return; // a socket that was replaced, or never said hello
    if (this.#sessions.get(session.id) !== session) return; // let go: moved, or handed over
    // A client that closes with Resuming gave up on a socket that may still work; it resumes on a new one.
    const resumable = code === CloseCode.Abnormal || code === CloseCode.Resuming;
    if (!resumable || this.#closing || this.deps.options.resumeGraceMs <= 0) {
      return this.#drop(session);
    }
    session.detach();
    // The record's window starts now, like the grace period here.
    void this.deps.cluster?.directory.renew([session.id]).catch(() => {});
    session.graceTimer = setTimeout(() => {
      session.queue
        .run(() => this.#drop(session))
        .catch((error) => this.deps.log.warn({ err: error, session: session.id }, 'dropping a session failed'));
    }, this.deps.options.resumeGraceMs);
    session.graceTimer.unref();
  }

  /**
   * Keeps a user below the sessions cap before one more is added: the oldest go, those waiting for a resume
   * first (their tab is likely gone), closed with `TooManySessions`.
   */
  #makeRoomFor(userId: string): void {
    const mine = this.#sessions.ofUser(userId).filter((s) => s.endedWith === undefined);
    const excess = mine.length + 1 - this.#flow.maxSessionsPerUser;
    if (excess <= 0) return;
    const oldestFirst = [...mine.filter((s) => s.buffer), ...mine.filter((s) => !s.buffer)];
    for (const old of oldestFirst.slice(0, excess)) {
      if (old.buffer) {
        old.endedWith = CloseCode.TooManySessions;
        old.queue.run(() => this.#drop(old)).catch(() => {});
      } else {
        old.end(CloseCode.TooManySessions, 'too many sessions of this user');
      }
    }
  }

  async #drop(session: Session): Promise<void> {
    if (this.#sessions.get(session.id) !== session) return;
    // Out of the map before anything is awaited: a hello that resumes it here meanwhile gets a new session rather
    // than one being ended.
    this.#forget(session);
    const directory = this.deps.cluster?.directory;
    // In one step against a resume's claim elsewhere: a session claimed first is theirs and goes without a leave;
    // one released here can no longer be claimed, so its resume gets a new session. Were it read, then deleted, a
    // claim in between would see this leave and then announce the session again.
    const release = directory ? await directory.release(session.id, this.instance).catch(() => 'gone') : 'gone';
    if (release === 'taken') {
      session.end(CloseCode.Replaced, 'resumed elsewhere');
      return this.#unhook(session);
    }
    for (const conversation of [...session.memberships.keys()]) {
      await this.#presence
        .leave(session, conversation)
        .catch((error) => this.deps.log.warn({ err: error }, 'leave on drop failed'));
    }
    await this.#unhook(session);
  }

  /** Sessions of a stopped instance: their conversations hear that they left, and their calls are re-decided. */
  async #reaped(reaped: ReapedPresence[]): Promise<void> {
    for (const { conversation, session } of reaped) {
      this.broadcast(conversation, { type: 'session-left', conversation, sessionId: session.sessionId });
    }
    for (const conversation of new Set(reaped.filter((r) => r.session.inCall).map((r) => r.conversation))) {
      await this.calls.update(conversation, SERVER_ACTOR);
    }
  }

  /**
   * This instance's presence rows that no live session backs — a leave whose database write failed left them —
   * are reaped like a dead instance's. Only rows seen unbacked on two beats in a row go, so that a join or leave
   * in flight between its memory and its row is not taken for one.
   */
  async #reconcilePresence(): Promise<void> {
    const { instances } = this.deps.store;
    const rows = await instances.presenceOf(this.instance);
    const unbacked = rows.filter(
      ({ sessionId, conversation }) => !this.#sessions.get(sessionId)?.memberships.has(conversation),
    );
    const keyOf = (row: { sessionId: string; conversation: string }) => `${row.sessionId}\u0000${row.conversation}`;
    const suspects = this.#unbacked;
    this.#unbacked = new Set(unbacked.map(keyOf));
    const confirmed = unbacked.filter((row) => suspects.has(keyOf(row)));
    if (confirmed.length === 0) return;
    await this.#reaped(await instances.forget(this.instance, confirmed));
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

/**
 * Whether a change may take someone's right to be in a conversation's call, or to publish in it: the SFU is told
 * after each. Only the instance that made the change publishes it, so each change is checked once.
 */
function narrowsTheCall(delivery: Delivery): boolean {
  if (delivery.kind === 'control') return true;
  if (delivery.kind === 'moved') return false;
  const { type } = delivery.message;
  return type === 'conversation-updated' || type === 'session-left';
}

/** What a pushed message changes in the participants' conversation lists, if anything. */
function listChangeOf(message: ServerMessage): ConversationChange | undefined {
  switch (message.type) {
    case 'chat-message':
    case 'chat-message-updated':
    case 'system-message':
      return 'message';
    case 'call-started':
    case 'call-ended':
      return 'call';
    case 'conversation-updated':
      return 'updated';
    default:
      return undefined;
  }
}

/** The request id of a frame that failed validation, so its error can still be matched to it. */
function requestIdOf(frame: unknown): string | undefined {
  if (typeof frame !== 'object' || frame === null || !('id' in frame)) return undefined;
  return typeof frame.id === 'string' && frame.id.length <= 64 ? frame.id : undefined;
}
