import type { Socket } from 'node:net';
import { CloseCode, ErrorCode } from '@talk/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { TalkServer, TalkServerOptions } from '../app.js';
import { conversationOf, login, startTestServer, TestSocket } from '../testing/harness.js';

const servers: TalkServer[] = [];
const sockets: TestSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serverWith(options: Partial<TalkServerOptions>): Promise<TalkServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}
async function connect(server: TalkServer, token: string) {
  const socket = await TestSocket.connect(server, token);
  sockets.push(socket);
  return socket;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('signaling flow control', () => {
  it('counts invalid frames against the rate limit as they arrive, and cuts a client that keeps sending into refusals', async () => {
    const server = await serverWith({ signalingRate: { perSecond: 1, burst: 5 } });
    const alice = await login(server, 'alice');
    const socket = await connect(server, alice); // the hello took one token
    for (let i = 0; i < 8; i++) socket.send('not json');
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) codes.push((await socket.next('error')).code);
    // Four garbage frames were admitted (and answered invalid-request); the other four were refused as they came.
    expect(codes.filter((code) => code === ErrorCode.InvalidRequest)).toHaveLength(4);
    expect(codes.filter((code) => code === ErrorCode.RateLimited)).toHaveLength(4);
    expect(socket.closeCode).toBeUndefined();
    // A client that does not slow down when told is cut once it has sent a whole burst into refusals.
    for (let i = 0; i < 10; i++) socket.send({ type: 'ping', id: `p${i}` });
    expect(await socket.closed).toBe(CloseCode.RateLimited);
  });

  it('closes a client that stops reading once more than its allowance waits to be sent to it', async () => {
    const server = await serverWith({
      signalingFlow: { maxBufferedBytes: 256 * 1024 },
      signalingRate: { perSecond: 100_000, burst: 100_000 },
    });
    const [alice, bob] = await Promise.all([login(server, 'alice'), login(server, 'bob')]);
    const token = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const sender = await connect(server, bob);
    const stalled = await connect(server, alice);
    for (const socket of [sender, stalled]) {
      await socket.join(token);
      socket.send({ type: 'call-join', conversation: token, media: { audio: true, video: true } });
      await socket.nextWhere('session-updated', (m) => m.session.sessionId === socket.sessionId && m.session.inCall);
    }
    (stalled.ws as unknown as { _socket: Socket })._socket.pause(); // reads nothing more
    // Offers of 60 KB each: kernel buffers take some megabytes first, then the server holds the rest.
    const payload = { kind: 'description', description: { type: 'offer', sdp: 'v'.repeat(60_000) } } as const;
    let sent = 0;
    while (sent < 2_000 && sender.pending('session-left').length === 0) {
      for (let i = 0; i < 20; i++, sent++) {
        sender.send({ type: 'signal', conversation: token, to: stalled.sessionId, payload });
      }
      await sender.roundTrip();
    }
    const left = await sender.next('session-left', 5_000);
    expect(left.sessionId).toBe(stalled.sessionId);
    expect(sent).toBeLessThan(2_000);
    stalled.ws.terminate(); // it would wait for the server's close frame, which it is not reading
  });

  it('pings every socket and cuts one that stops answering, while one that answers stays', async () => {
    const server = await serverWith({ signalingFlow: { pingIntervalMs: 150 }, resumeGraceMs: 0 });
    const [alice, bob] = await Promise.all([login(server, 'alice'), login(server, 'bob')]);
    const token = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const watcher = await connect(server, bob);
    await watcher.join(token);
    // A peer that is gone without a word: its socket is open but nothing answers the server's pings.
    const dead = await TestSocket.open(server, { autoPong: false });
    sockets.push(dead);
    const welcome = await dead.hello(alice);
    await dead.join(token);
    const left = await watcher.nextWhere('session-left', (m) => m.sessionId === welcome.sessionId, 3_000);
    expect(left.conversation).toBe(token);
    expect(await dead.closed).toBe(CloseCode.Abnormal);
    await sleep(500);
    expect(watcher.closeCode).toBeUndefined();
    await watcher.roundTrip();
  });

  it('keeps at most the configured sessions of one user, closing the oldest', async () => {
    const server = await serverWith({ signalingFlow: { maxSessionsPerUser: 2 } });
    const alice = await login(server, 'alice');
    const first = await connect(server, alice);
    const second = await connect(server, alice);
    const third = await connect(server, alice);
    expect(await first.closed).toBe(CloseCode.TooManySessions);
    await second.roundTrip();
    await third.roundTrip();
    expect([second.closeCode, third.closeCode]).toEqual([undefined, undefined]);
  });

  it('forwards typing at most once per interval, and the latest state at its end', async () => {
    const server = await serverWith({ signalingFlow: { repeatIntervalMs: 600 } });
    const [alice, bob] = await Promise.all([login(server, 'alice'), login(server, 'bob')]);
    const token = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const watcher = await connect(server, alice);
    const typist = await connect(server, bob);
    await watcher.join(token);
    await typist.join(token);
    const started = Date.now();
    for (let i = 0; i < 20; i++) typist.send({ type: 'typing', conversation: token, typing: true });
    typist.send({ type: 'typing', conversation: token, typing: false });
    expect((await watcher.next('typing')).typing).toBe(true);
    const stop = await watcher.next('typing', 3_000);
    expect(stop.typing).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    await sleep(800);
    await watcher.roundTrip();
    expect(watcher.pending('typing')).toEqual([]);
  });
});
