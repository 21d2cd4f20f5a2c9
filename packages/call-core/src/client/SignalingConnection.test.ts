import { type ClientMessage, CloseCode, type ServerMessage } from '@talk/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionState } from './events.js';
import { SignalingConnection, type WebSocketLike } from './SignalingConnection.js';

/** A socket the test plays the server for. */
class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly sent: ClientMessage[] = [];
  /** The code this side closed with, if it did. */
  closedWith: number | undefined;

  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientMessage);
  }
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(message: ServerMessage): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(message) }));
  }
  /** The connection ends from the server's side: with its close `code`, or none (1006) for a network drop. */
  drop(code: number = CloseCode.Abnormal): void {
    this.readyState = 3;
    this.onclose?.(Object.assign(new Event('close'), { code }) as CloseEvent);
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const connection = new SignalingConnection({
    url: 'ws://talk.test/api/v1/signaling',
    token: () => 'token-1',
    createSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    },
    backoff: { initialDelayMs: 5, maxDelayMs: 20, jitter: 0 },
  });
  const states: ConnectionState[] = [];
  connection.on('state', (state) => states.push(state));
  return { connection, sockets, states };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SignalingConnection', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it('says hello on every socket and reconnects after a drop with a new welcome', async () => {
    const { connection, sockets, states } = setup();
    close = () => connection.close();
    const welcomes: [string, boolean][] = [];
    connection.on('welcome', (welcome, reconnected) => welcomes.push([welcome.sessionId, reconnected]));

    const connected = connection.connect();
    sockets[0]!.open();
    expect(sockets[0]!.sent).toEqual([{ type: 'hello', token: 'token-1' }]);
    sockets[0]!.receive({ type: 'welcome', sessionId: 's1', userId: 'alice' });
    await connected;

    sockets[0]!.drop();
    expect(connection.state).toBe(ConnectionState.Reconnecting);
    await tick(15);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    // The hello after a drop asks for the old session back; this server could not resume it (a new id, below).
    expect(sockets[1]!.sent).toEqual([{ type: 'hello', token: 'token-1', resume: 's1' }]);
    sockets[1]!.receive({ type: 'welcome', sessionId: 's2', userId: 'alice', resumed: false });

    expect(welcomes).toEqual([
      ['s1', false],
      ['s2', true],
    ]);
    expect(states).toEqual([
      ConnectionState.Connecting,
      ConnectionState.Connected,
      ConnectionState.Reconnecting,
      ConnectionState.Connected,
    ]);
  });

  it('offers the last welcomed session in each hello after a drop, and none after close or a refused hello', async () => {
    const { connection, sockets } = setup();
    close = () => connection.close();
    const connected = connection.connect();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', sessionId: 's1', userId: 'alice' });
    await connected;
    sockets[0]!.drop();
    await tick(10);
    sockets[1]!.drop(); // a failed attempt keeps offering the same session
    await tick(20);
    sockets[2]!.open();
    expect(sockets[2]!.sent).toEqual([{ type: 'hello', token: 'token-1', resume: 's1' }]);
    sockets[2]!.receive({ type: 'welcome', sessionId: 's1', userId: 'alice', resumed: true });
    expect(connection.state).toBe(ConnectionState.Connected);

    connection.close();
    const again = connection.connect();
    sockets[3]!.open();
    expect(sockets[3]!.sent).toEqual([{ type: 'hello', token: 'token-1' }]); // closed for good: a fresh session
    sockets[3]!.receive({ type: 'welcome', sessionId: 's3', userId: 'alice' });
    await again;
  });

  it('backs off between failed attempts instead of hammering the server', async () => {
    const { connection, sockets } = setup();
    close = () => connection.close();
    void connection.connect().catch(() => {});
    sockets[0]!.drop(); // attempt 0 waits 5 ms
    await tick(10);
    expect(sockets).toHaveLength(2);
    sockets[1]!.drop(); // attempt 1 waits 10 ms
    await tick(4);
    expect(sockets).toHaveLength(2);
    await tick(12);
    expect(sockets).toHaveLength(3);
  });

  it('fails pending requests when the socket drops, and matches answers by id', async () => {
    const { connection, sockets } = setup();
    close = () => connection.close();
    const connected = connection.connect();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', sessionId: 's1', userId: 'alice' });
    await connected;

    const answered = connection.request({ type: 'join', conversation: 'c1' });
    const join = sockets[0]!.sent.at(-1) as { id: string };
    sockets[0]!.receive({ type: 'joined', id: join.id, conversation: 'c1', sessions: [] });
    await expect(answered).resolves.toMatchObject({ type: 'joined', conversation: 'c1' });

    const lost = connection.request({ type: 'join', conversation: 'c2' });
    sockets[0]!.drop();
    await expect(lost).rejects.toMatchObject({ code: 'signaling-closed' });
  });

  it('gives up when the server refuses the hello, since the same token would be refused again', async () => {
    const { connection, sockets } = setup();
    close = () => connection.close();
    const connected = connection.connect();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'error', code: 'unauthenticated', message: 'token expired' });
    await expect(connected).rejects.toMatchObject({ code: 'unauthenticated' });
    await tick(30);
    expect(sockets).toHaveLength(1);
    expect(connection.state).toBe(ConnectionState.Disconnected);
  });

  it('treats a silent connection as dropped once a ping goes unanswered', async () => {
    const sockets: FakeSocket[] = [];
    const connection = new SignalingConnection({
      url: 'ws://talk.test',
      token: () => 't',
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      pingIntervalMs: 10,
      backoff: { initialDelayMs: 1000 },
    });
    close = () => connection.close();
    const connected = connection.connect();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', sessionId: 's1', userId: 'u' });
    await connected;
    await tick(35);
    expect(sockets[0]!.sent.some((message) => message.type === 'ping')).toBe(true);
    expect(connection.state).toBe(ConnectionState.Reconnecting);
  });

  it('closes a socket whose ping deadline passed with Resuming, not Normal, and offers its session on the next', async () => {
    const sockets: FakeSocket[] = [];
    const connection = new SignalingConnection({
      url: 'ws://talk.test',
      token: () => 't',
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      pingIntervalMs: 10,
      backoff: { initialDelayMs: 5, maxDelayMs: 5, jitter: 0 },
    });
    close = () => connection.close();
    const connected = connection.connect();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', sessionId: 's1', userId: 'u' });
    await connected;
    await tick(50);
    // A clean close (1000) would end the session on the server, and the resume below could only fail.
    expect(sockets[0]!.closedWith).toBe(CloseCode.Resuming);
    expect(sockets.length).toBeGreaterThan(1);
    sockets[1]!.open();
    expect(sockets[1]!.sent).toEqual([{ type: 'hello', token: 't', resume: 's1' }]);
  });

  it('stops, with a too-many-sessions error, when the server closes it with 4012, instead of reconnecting', async () => {
    const { connection, sockets } = setup();
    close = () => connection.close();
    const stopped: string[] = [];
    connection.on('stopped', (error) => stopped.push(error.code));
    const connected = connection.connect();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', sessionId: 's1', userId: 'alice' });
    await connected;
    const lost = connection.request({ type: 'join', conversation: 'c1' });

    sockets[0]!.drop(CloseCode.TooManySessions);
    await expect(lost).rejects.toMatchObject({ code: 'too-many-sessions' });
    await tick(40); // several backoff delays: no new socket
    expect(sockets).toHaveLength(1);
    expect(stopped).toEqual(['too-many-sessions']);
    expect(connection.state).toBe(ConnectionState.Disconnected);

    // Told to connect again, it does, as a new session: the old one is gone on the server.
    const again = connection.connect();
    sockets[1]!.open();
    expect(sockets[1]!.sent).toEqual([{ type: 'hello', token: 'token-1' }]);
    sockets[1]!.receive({ type: 'welcome', sessionId: 's2', userId: 'alice' });
    await again;
  });

  it('reconnects after 4003 (token expired) with the current token, offering its session, as after a drop', async () => {
    let token = 'token-1';
    const sockets: FakeSocket[] = [];
    const connection = new SignalingConnection({
      url: 'ws://talk.test',
      token: () => token,
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      backoff: { initialDelayMs: 5, maxDelayMs: 5, jitter: 0 },
    });
    close = () => connection.close();
    const stopped: string[] = [];
    connection.on('stopped', (error) => stopped.push(error.code));
    const connected = connection.connect();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', sessionId: 's1', userId: 'alice' });
    await connected;
    token = 'token-2'; // refreshed meanwhile
    sockets[0]!.drop(CloseCode.TokenExpired);
    expect(connection.state).toBe(ConnectionState.Reconnecting);
    await tick(20);
    sockets[1]!.open();
    expect(sockets[1]!.sent).toEqual([{ type: 'hello', token: 'token-2', resume: 's1' }]);
    expect(stopped).toEqual([]);
  });

  it('reconnects at once after 4005 (the instance hands its sessions over), resuming with its last seq', async () => {
    const sockets: FakeSocket[] = [];
    const connection = new SignalingConnection({
      url: 'ws://talk.test',
      token: () => 'token-1',
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      // Long enough that only a reconnect without backoff comes within the test.
      backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000, jitter: 0 },
    });
    close = () => connection.close();
    const connected = connection.connect();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', sessionId: 's1', userId: 'alice' });
    await connected;
    sockets[0]!.onmessage?.(new MessageEvent('message', { data: JSON.stringify({ type: 'pong', seq: 41 }) }));
    sockets[0]!.drop(CloseCode.HandOver);
    expect(connection.state).toBe(ConnectionState.Reconnecting);
    await tick(5);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(sockets[1]!.sent).toEqual([{ type: 'hello', token: 'token-1', resume: 's1', lastSeq: 41 }]);
    // That attempt failed (the balancer had no instance yet): from there on, the backoff as after any drop.
    sockets[1]!.drop();
    await tick(20);
    expect(sockets).toHaveLength(2);
  });

  it('backs off after a plain drop, where 4005 would not', async () => {
    const { connection, sockets } = setup();
    close = () => connection.close();
    void connection.connect().catch(() => {});
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'welcome', sessionId: 's1', userId: 'alice' });
    sockets[0]!.drop(CloseCode.GoingAway); // attempt 0 waits 5 ms
    await tick(0);
    expect(sockets).toHaveLength(1);
    await tick(10);
    expect(sockets).toHaveLength(2);
  });
});
