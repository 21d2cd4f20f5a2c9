import type { ClientMessage, ServerMessage } from '@talk/protocol';
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

  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientMessage);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(message: ServerMessage): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(message) }));
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.(new Event('close') as CloseEvent);
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
});
