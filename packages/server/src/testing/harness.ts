import type { ObjectGrant, Sequenced, ServerMessage, ServerMessageOf } from '@talk/protocol';
import { Routes } from '@talk/protocol';
import WebSocket from 'ws';
import { createTalkServer, type TalkServer, type TalkServerOptions } from '../app.js';
import { RATE_LIMITED_ACTIONS } from '../config.js';
import { freshStorage } from './storage.js';

/**
 * REST limits far above what any test sends from its one address, so that only tests about limits (which pass
 * their own `rateLimits`) meet them.
 */
export const ROOMY_RATE_LIMITS = Object.fromEntries(
  RATE_LIMITED_ACTIONS.map((action) => [action, { perUser: 1_000_000, perAddress: 1_000_000, windowMs: 60_000 }]),
);

/**
 * A server on a free port with dev mode on and fresh storage of the project's kind (in-memory PGlite, or a new
 * PostgreSQL database), unless `overrides` says otherwise.
 */
export async function startTestServer(overrides: Partial<TalkServerOptions> = {}): Promise<TalkServer> {
  // Tests make many guests from one address; the guest rate limit has tests of its own.
  const guestRate = { max: 10_000, windowMs: 60_000 };
  return createTalkServer({
    port: 0,
    storage: await freshStorage(),
    devMode: true,
    guestRate,
    ...overrides,
    rateLimits: overrides.rateLimits === false ? false : { ...ROOMY_RATE_LIMITS, ...overrides.rateLimits },
  });
}

/** An HTTP answer with its parsed JSON body. */
export interface Answer<T = unknown> {
  status: number;
  body: T;
}

/** A small fetch wrapper: JSON in, JSON out, optional bearer token. */
export async function call<T = unknown>(
  server: TalkServer,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(server.url + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Mints a dev token for `userId` (named after them), with the object grants given, and returns it. */
export async function login(
  server: TalkServer,
  userId: string,
  displayName = userId.toUpperCase(),
  objects?: ObjectGrant[],
): Promise<string> {
  const body = objects ? { userId, displayName, objects } : { userId, displayName };
  const answer = await call<{ token: string }>(server, 'POST', Routes.devTokens, { body });
  if (answer.status !== 201) throw new Error(`login failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.token;
}

/** A real `ws` client that queues what the server sends, so tests can await the next message of a type. */
export class TestSocket {
  readonly #inbox: ServerMessage[] = [];
  readonly #waiters: Array<() => void> = [];
  /** The close code, once closed. */
  closeCode: number | undefined;
  /** The last `seq` received (what a resume on another instance replays after). */
  lastSeq: number | undefined;
  /** Resolves when the socket has closed. */
  readonly closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      // The log position is the transport's, not the message's: kept aside, so tests compare messages as sent.
      const { seq, ...message } = JSON.parse(data.toString()) as ServerMessage & Sequenced;
      if (seq !== undefined) this.lastSeq = seq;
      this.#inbox.push(message as ServerMessage);
      this.#wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        this.#wake();
        resolve(code);
      }),
    );
  }

  /** Says hello on an open socket (optionally resuming a session, after `lastSeq`) and returns the welcome. */
  async hello(token: string, resume?: string, lastSeq?: number): Promise<ServerMessageOf<'welcome'>> {
    const seen = lastSeq === undefined ? {} : { lastSeq };
    this.send(resume ? { type: 'hello', token, resume, ...seen } : { type: 'hello', token });
    return this.next('welcome');
  }

  /** Opens a socket to the server's signaling endpoint (`options` e.g. `autoPong: false`, to play a dead peer). */
  static async open(server: TalkServer, options?: WebSocket.ClientOptions): Promise<TestSocket> {
    const ws = new WebSocket(server.url.replace(/^http/, 'ws') + Routes.signaling, options);
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    return new TestSocket(ws);
  }

  /** Opens a socket and says hello; resolves with the socket and its session id. */
  static async connect(server: TalkServer, token: string): Promise<TestSocket & { sessionId: string }> {
    const socket = await TestSocket.open(server);
    socket.send({ type: 'hello', token });
    const welcome = await socket.next('welcome');
    return Object.assign(socket, { sessionId: welcome.sessionId });
  }

  /** Sends a message (or a raw string, to test garbage). */
  send(message: object | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next message of `type`, skipping others; fails after `timeoutMs`. */
  async next<T extends ServerMessage['type']>(type: T, timeoutMs = 10_000): Promise<ServerMessageOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#inbox.findIndex((message) => message.type === type);
      if (index >= 0) return this.#inbox.splice(index, 1)[0] as ServerMessageOf<T>;
      if (this.closeCode !== undefined) throw new Error(`socket closed (${this.closeCode}) while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} within ${timeoutMs} ms; got ${JSON.stringify(this.#inbox)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next message of `type` that satisfies `test`, dropping those of that type that do not. */
  async nextWhere<T extends ServerMessage['type']>(
    type: T,
    test: (message: ServerMessageOf<T>) => boolean,
    timeoutMs = 10_000,
  ): Promise<ServerMessageOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = await this.next(type, Math.max(1, deadline - Date.now()));
      if (test(message)) return message;
    }
  }

  /** Every message received so far and not yet taken, in the order it arrived. */
  received(): readonly ServerMessage[] {
    return [...this.#inbox];
  }

  /** Messages of `type` received so far and not yet taken. */
  pending(type: ServerMessage['type']): ServerMessage[] {
    return this.#inbox.filter((message) => message.type === type);
  }

  /**
   * Waits for a ping's pong. The server writes to a socket in order, so anything it meant to send this socket
   * before handling the ping has arrived by then: this is how a test proves that something was NOT sent.
   */
  async roundTrip(): Promise<void> {
    const id = `rt-${Math.random()}`;
    this.send({ type: 'ping', id });
    await this.nextWhere('pong', (pong) => pong.id === id);
  }

  /** Joins a conversation and returns the `joined` answer. */
  async join(conversation: string): Promise<ServerMessageOf<'joined'>> {
    this.send({ type: 'join', conversation });
    return this.next('joined');
  }

  /** Cuts the connection without a close frame, as a network drop does (the server sees 1006). */
  async drop(): Promise<void> {
    this.ws.terminate();
    await this.closed;
  }

  /** Closes the socket and waits until it is closed. */
  async close(): Promise<void> {
    if (this.closeCode === undefined) this.ws.close();
    await this.closed;
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
}

/** A conversation of `owner` (a token) with the given users in it; returns its token. */
export async function conversationOf(
  server: TalkServer,
  owner: string,
  members: Array<{ userId: string; displayName: string }>,
  options: Record<string, unknown> = {},
): Promise<string> {
  const created = await call<{ token: string }>(server, 'POST', Routes.conversations, {
    token: owner,
    body: { type: 'group', name: 'Test', participants: members, ...options },
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.token;
}
