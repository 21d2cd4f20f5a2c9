import {
  type ClientMessage,
  CloseCode,
  type Sequenced,
  type ServerMessage,
  type ServerMessageOf,
} from '@talk/protocol';
import { TypedEmitter } from '../emitter.js';
import { TalkError, TalkErrorCode } from '../errors.js';
import { type BackoffOptions, backoffDelay } from './backoff.js';
import { ConnectionState } from './events.js';

/** The part of the WebSocket API this connection uses, so tests can hand in a fake. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Opens a WebSocket; the default is the global `WebSocket`. */
export type WebSocketFactory = (url: string) => WebSocketLike;

/** Options of a SignalingConnection. */
export interface SignalingOptions {
  /** ws:// or wss:// URL of the signaling endpoint. */
  url: string;
  /** Returns the token to present in each hello, so a refreshed token is used on reconnect. */
  token: () => string;
  /** Opens sockets; defaults to the global WebSocket. */
  createSocket?: WebSocketFactory;
  /** Delays between reconnect attempts. */
  backoff?: BackoffOptions;
  /** How often to ping; a connection that stays silent for two intervals counts as dropped. */
  pingIntervalMs?: number;
  /** How long to wait for an answer to a request. */
  requestTimeoutMs?: number;
}

type SignalingCallbacks = {
  state: (state: ConnectionState) => void;
  welcome: (welcome: ServerMessageOf<'welcome'>, reconnected: boolean) => void;
  message: (message: ServerMessage) => void;
  /** The server ended the connection in a way a reconnect would not mend; the state is `Disconnected`. */
  stopped: (error: TalkError) => void;
};

interface PendingRequest {
  resolve: (message: ServerMessage) => void;
  reject: (error: TalkError) => void;
  timer: ReturnType<typeof setTimeout>;
}

const OPEN = 1;

/**
 * One logical signaling connection over a sequence of WebSockets: it says hello on each, reconnects with backoff
 * when one drops, asking to resume its session, and matches answers to requests by id. What to re-join after a
 * reconnect that the server did not resume (`welcome.resumed` not true) is the owner's concern.
 */
export class SignalingConnection extends TypedEmitter<SignalingCallbacks> {
  readonly #options: SignalingOptions;
  #socket: WebSocketLike | null = null;
  #state = ConnectionState.Disconnected;
  #attempt = 0;
  #everWelcomed = false;
  /** The session of the last welcome, offered back in the next hello so the server can resume it. */
  #sessionId: string | undefined;
  /** The last `seq` received, offered back with the resume: another instance replays what came after it. */
  #lastSeq: number | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #heardSincePing = true;
  #nextId = 0;
  readonly #pending = new Map<string, PendingRequest>();
  #welcomeWaiters: { resolve: () => void; reject: (error: TalkError) => void }[] = [];

  constructor(options: SignalingOptions) {
    super();
    this.#options = options;
  }

  /** Where the connection is. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Connects unless connected or already trying; resolves on the server's welcome. */
  connect(): Promise<void> {
    if (this.#state === ConnectionState.Connected) return Promise.resolve();
    const welcomed = new Promise<void>((resolve, reject) => this.#welcomeWaiters.push({ resolve, reject }));
    if (this.#state === ConnectionState.Disconnected) {
      this.#setState(ConnectionState.Connecting);
      this.#open();
    }
    return welcomed;
  }

  /** Closes for good: no reconnect, pending requests fail. */
  close(): void {
    clearTimeout(this.#retryTimer);
    this.#detach();
    const closed = new TalkError(TalkErrorCode.Aborted, 'The signaling connection was closed');
    this.#failPending(closed);
    for (const waiter of this.#welcomeWaiters.splice(0)) waiter.reject(closed);
    this.#everWelcomed = false;
    this.#sessionId = undefined;
    this.#setState(ConnectionState.Disconnected);
  }

  /** Sends a message now; throws when not connected, because a queued signal would be stale by the time it goes. */
  send(message: ClientMessage): void {
    if (this.#state !== ConnectionState.Connected || this.#socket?.readyState !== OPEN) {
      throw new TalkError(TalkErrorCode.SignalingClosed, `Cannot send ${message.type}: signaling is ${this.#state}`);
    }
    this.#socket.send(JSON.stringify(message));
  }

  /** Sends a message with a fresh id and resolves with the answer that echoes it; an `error` answer rejects. */
  request(message: ClientMessage): Promise<ServerMessage> {
    const id = `c${++this.#nextId}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new TalkError(TalkErrorCode.Network, `No answer to ${message.type} in time`));
      }, this.#options.requestTimeoutMs ?? 10_000);
      this.#pending.set(id, { resolve, reject, timer });
      try {
        this.send({ ...message, id });
      } catch (error) {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(error);
      }
    });
  }

  #open(): void {
    const createSocket = this.#options.createSocket ?? ((url: string) => new WebSocket(url));
    let socket: WebSocketLike;
    try {
      socket = createSocket(this.#options.url);
    } catch {
      this.#dropped();
      return;
    }
    this.#socket = socket;
    // After a drop the server keeps the session for a grace period: resuming it keeps its conversations and call
    // seat, so the others see no leave and join, and the call's head count does not grow by a ghost.
    const resume = this.#sessionId;
    socket.onopen = () => {
      const seen = this.#lastSeq === undefined ? {} : { lastSeq: this.#lastSeq };
      socket.send(
        JSON.stringify({ type: 'hello', token: this.#options.token(), ...(resume ? { resume, ...seen } : {}) }),
      );
    };
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = (event) => this.#socket === socket && this.#closedByPeer(event.code);
    // Browsers follow every error with a close; reacting to the close alone avoids reconnecting twice.
    socket.onerror = () => {};
  }

  #receive(data: unknown): void {
    this.#heardSincePing = true;
    let message: ServerMessage & Sequenced;
    try {
      message = JSON.parse(String(data)) as ServerMessage & Sequenced;
    } catch {
      return; // A frame we cannot read cannot be answered either; the server's messages are JSON.
    }
    if (typeof message.seq === 'number') this.#lastSeq = message.seq;
    if (message.type === 'welcome') {
      this.#welcomed(message);
      return;
    }
    if (message.type === 'error' && this.#state !== ConnectionState.Connected) {
      this.#refused(message);
      return;
    }
    const pending = 'id' in message && message.id ? this.#pending.get(message.id) : undefined;
    if (pending && 'id' in message && message.id) {
      this.#pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.type === 'error') {
        pending.reject(new TalkError(TalkErrorCode.Server, message.message, { serverCode: message.code }));
      } else {
        pending.resolve(message);
      }
      return;
    }
    this.emit('message', message);
  }

  #welcomed(welcome: ServerMessageOf<'welcome'>): void {
    const reconnected = this.#everWelcomed;
    this.#everWelcomed = true;
    // A new session starts its own count; a resumed one goes on from where the client stood.
    if (welcome.sessionId !== this.#sessionId) this.#lastSeq = undefined;
    this.#sessionId = welcome.sessionId;
    this.#attempt = 0;
    this.#setState(ConnectionState.Connected);
    this.#startPing();
    for (const waiter of this.#welcomeWaiters.splice(0)) waiter.resolve();
    this.emit('welcome', welcome, reconnected);
  }

  /** An error before the welcome answers the hello: the token was refused, and retrying it will not help. */
  #refused(error: ServerMessageOf<'error'>): void {
    const refusal = new TalkError(TalkErrorCode.Unauthenticated, error.message, { serverCode: error.code });
    this.#detach();
    for (const waiter of this.#welcomeWaiters.splice(0)) waiter.reject(refusal);
    this.#everWelcomed = false;
    this.#sessionId = undefined;
    this.#setState(ConnectionState.Disconnected);
  }

  /**
   * The socket closed without us: most codes mean "reconnect" (4005, a restarting instance that kept the session,
   * means "at once"), but 4012 would make a reconnect loop.
   */
  #closedByPeer(code: number | undefined): void {
    if (code === CloseCode.HandOver) {
      // The session waits on the shared record, not on this instance: a resume now reaches another instance, and
      // the sooner it does the less the replay holds. Should that attempt fail, the backoff starts from the bottom.
      this.#attempt = 0;
      this.#dropped(0);
      return;
    }
    if (code !== CloseCode.TooManySessions) {
      this.#dropped();
      return;
    }
    // Reconnecting would open one session too many again, and the server would close another of this user's
    // sessions (maybe this one's other tab), which would reconnect in turn: each tab would evict the next.
    const stopped = new TalkError(
      TalkErrorCode.TooManySessions,
      'The server closed this session: the user has too many sessions open',
    );
    this.#detach(CloseCode.Normal);
    this.#failPending(stopped);
    for (const waiter of this.#welcomeWaiters.splice(0)) waiter.reject(stopped);
    this.#everWelcomed = false;
    this.#sessionId = undefined;
    this.#setState(ConnectionState.Disconnected);
    this.emit('stopped', stopped);
  }

  /** The socket is gone: reconnect after `delayMs`, by default the backoff's next delay. */
  #dropped(delayMs?: number): void {
    // Resuming, not Normal: a socket given up on after a missed ping may still reach the server, and a clean close
    // would end the session there, so the resume below would fail and every conversation and the call be re-joined.
    this.#detach(CloseCode.Resuming);
    this.#failPending(new TalkError(TalkErrorCode.SignalingClosed, 'The signaling connection dropped'));
    this.#setState(ConnectionState.Reconnecting);
    clearTimeout(this.#retryTimer);
    const delay = delayMs ?? backoffDelay(this.#attempt, this.#options.backoff);
    this.#attempt++;
    this.#retryTimer = setTimeout(() => this.#open(), delay);
  }

  #startPing(): void {
    clearInterval(this.#pingTimer);
    this.#heardSincePing = true;
    this.#pingTimer = setInterval(() => {
      // A half-open TCP connection never fires close; silence across a whole interval is the only sign of it.
      if (!this.#heardSincePing) {
        this.#dropped();
        return;
      }
      this.#heardSincePing = false;
      try {
        this.send({ type: 'ping' });
      } catch {
        // The close handler is already reconnecting.
      }
    }, this.#options.pingIntervalMs ?? 20_000);
  }

  /** Unhooks and closes the current socket with `code`, so its late events are ignored. */
  #detach(code: CloseCode = CloseCode.Normal): void {
    clearInterval(this.#pingTimer);
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      // Closing a socket that is still connecting is allowed and stops it from opening behind our back.
      if (socket.readyState <= OPEN) socket.close(code);
    }
  }

  #failPending(error: TalkError): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.emit('state', state);
  }
}
