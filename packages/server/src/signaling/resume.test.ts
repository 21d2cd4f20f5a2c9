import { type ChatMessage, conversationPath, ErrorCode, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, conversationOf, login, startTestServer, TestSocket } from '../testing/harness.js';

let server: TalkServer;
let alice: string;
let bob: string;
beforeAll(async () => {
  // Long enough that a loaded machine still resumes in time; the expiry test has a server of its own.
  server = await startTestServer({ resumeGraceMs: 10_000, signalingRate: { perSecond: 1, burst: 5 } });
  [alice, bob] = await Promise.all([login(server, 'alice', 'Alice'), login(server, 'bob', 'Bob')]);
});
afterAll(() => server.close());

const post = (conversation: string, text: string, ref: string) =>
  call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, conversation), {
    token: bob,
    body: { message: text, referenceId: ref },
  });

describe('resume', () => {
  it('takes a dropped session back with hello.resume and delivers what was pushed meanwhile, in order, once', async () => {
    const conversation = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const first = await TestSocket.connect(server, alice);
    const watcher = await TestSocket.connect(server, bob);
    await first.join(conversation);
    await watcher.join(conversation);
    await first.drop();
    const sent: number[] = [];
    for (let i = 0; i < 5; i++) sent.push((await post(conversation, `while away ${i}`, `away-${i}`)).body.id);

    const second = await TestSocket.open(server);
    expect(await second.hello(alice, first.sessionId)).toMatchObject({ sessionId: first.sessionId, resumed: true });
    const got: number[] = [];
    for (let i = 0; i < 5; i++) got.push((await second.next('chat-message')).message.id);
    expect(got).toEqual(sent);
    const after = await post(conversation, 'after resume', 'after');
    expect((await second.next('chat-message')).message.id).toBe(after.body.id);
    await second.roundTrip();
    expect(second.pending('chat-message')).toEqual([]);
    expect(watcher.pending('session-left')).toEqual([]); // nobody saw alice go
    await Promise.all([second.close(), watcher.close()]);
  });

  it('ends a dropped session after the grace period, and a late resume gets a new session', async () => {
    const brief = await startTestServer({ resumeGraceMs: 300 });
    try {
      const [a, b] = await Promise.all([login(brief, 'alice', 'Alice'), login(brief, 'bob', 'Bob')]);
      const conversation = await conversationOf(brief, a, [{ userId: 'bob', displayName: 'Bob' }]);
      const first = await TestSocket.connect(brief, a);
      const watcher = await TestSocket.connect(brief, b);
      await first.join(conversation);
      await watcher.join(conversation);
      await first.drop();
      expect(await watcher.next('session-left', 5_000)).toMatchObject({ sessionId: first.sessionId });
      const late = await TestSocket.open(brief);
      const welcome = await late.hello(a, first.sessionId);
      expect(welcome.resumed).toBe(false);
      expect(welcome.sessionId).not.toBe(first.sessionId);
      await Promise.all([late.close(), watcher.close()]);
    } finally {
      await brief.close();
    }
  });

  it('does not let another user resume a session', async () => {
    const first = await TestSocket.connect(server, alice);
    await first.drop();
    const thief = await TestSocket.open(server);
    const welcome = await thief.hello(bob, first.sessionId);
    expect(welcome).toMatchObject({ userId: 'bob', resumed: false });
    expect(welcome.sessionId).not.toBe(first.sessionId);
    await thief.close();
  });

  it('ends with every message exactly once, in order, when a client reconnects without resuming and catches up over REST', async () => {
    const conversation = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const socket = await TestSocket.connect(server, alice);
    await socket.join(conversation);
    const seen = new Map<number, ChatMessage>();
    seen.set((await post(conversation, 'before', 'b0')).body.id, (await socket.next('chat-message')).message);
    await socket.close();
    for (let i = 0; i < 3; i++) await post(conversation, `gap ${i}`, `g${i}`);
    const again = await TestSocket.connect(server, alice);
    await again.join(conversation); // from here on pushes arrive…
    const live = await post(conversation, 'live', 'l0');
    const lastKnown = Math.max(...seen.keys());
    const catchUp = await call<ChatMessage[]>(
      server,
      'GET',
      `${conversationPath(Routes.messages, conversation)}?after=${lastKnown}`,
      {
        token: alice,
      },
    );
    for (const message of [...catchUp.body, (await again.next('chat-message')).message]) seen.set(message.id, message);
    const texts = [...seen.values()].sort((x, y) => x.id - y.id).map((m) => m.message);
    expect(texts).toEqual(['before', 'gap 0', 'gap 1', 'gap 2', 'live']);
    expect(catchUp.body.at(-1)!.id).toBe(live.body.id);
    await again.close();
  });
});

describe('rate limit', () => {
  it('answers messages beyond the burst with rate-limited and keeps the socket open', async () => {
    const socket = await TestSocket.connect(server, alice);
    for (let i = 0; i < 8; i++) socket.send({ type: 'ping', id: `p${i}` });
    expect(await socket.next('error')).toMatchObject({ code: ErrorCode.RateLimited });
    expect(socket.pending('pong').length).toBeLessThanOrEqual(6);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    socket.send({ type: 'ping', id: 'later' });
    expect(await socket.next('pong', 3_000)).toBeDefined();
    expect(socket.closeCode).toBeUndefined();
    await socket.close();
  });
});
