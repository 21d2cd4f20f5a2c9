import { type ChatMessage, conversationPath, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTalkServer, type TalkServer, type TalkServerOptions } from '../app.js';
import { call, conversationOf, login, TestSocket } from '../testing/harness.js';
import { freshStorage } from '../testing/storage.js';

// Two instances on one PostgreSQL database and one Redis: a session that dropped on one resumes on the other.
const secret = 'a-shared-secret-of-at-least-32-characters!';
let one: TalkServer;
let two: TalkServer;
let options: TalkServerOptions;
beforeAll(async () => {
  options = {
    port: 0,
    storage: await freshStorage(),
    devMode: true,
    jwtSecret: secret,
    redisUrl: inject('redisUrl'),
    // Longer than the drop-to-resume of the first test takes on a loaded machine (a resume that races the old
    // instance's grace expiry is a different case), short enough that a late drop by it would show within the test.
    resumeGraceMs: 8_000,
  };
  one = await createTalkServer(options);
  two = await createTalkServer(options);
});
afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
});

const post = (server: TalkServer, token: string, conversation: string, text: string) =>
  call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, conversation), {
    token,
    body: { message: text, referenceId: text },
  });

/** The signaling sessions an instance holds, from its metrics. */
async function sessionsOn(server: TalkServer): Promise<number> {
  const text = await (await fetch(server.url + Routes.metrics)).text();
  return Number(/^talk_signaling_sessions (\d+)/m.exec(text)?.[1]);
}

/** Waits until `server` holds no signaling session, checking every few ms, up to `timeoutMs`. */
async function untilEmpty(server: TalkServer, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await sessionsOn(server)) !== 0) {
    if (Date.now() > deadline) throw new Error(`${server.url} still holds sessions`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('resume on another instance', () => {
  it('takes over a session dropped on the first instance: no leave or join, what was sent meanwhile once, in order', async () => {
    const [alice, bob] = [await login(one, 'alice', 'Alice'), await login(two, 'bob', 'Bob')];
    const conversation = await conversationOf(one, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const first = await TestSocket.connect(one, alice);
    const watcher = await TestSocket.connect(two, bob);
    await first.join(conversation);
    await watcher.join(conversation);
    first.send({ type: 'call-join', conversation, media: { audio: true, video: false } });
    await watcher.nextWhere('session-updated', (m) => m.session.sessionId === first.sessionId && m.session.inCall);
    const before = await post(two, bob, conversation, 'before the drop');
    expect((await first.next('chat-message')).message.id).toBe(before.body.id);
    const lastSeq = first.lastSeq;
    expect(lastSeq).toBeTypeOf('number');
    await first.drop();

    const sent: number[] = [];
    for (let i = 0; i < 5; i++) sent.push((await post(two, bob, conversation, `while away ${i}`)).body.id);
    const second = await TestSocket.open(two);
    expect(await second.hello(alice, first.sessionId, lastSeq)).toMatchObject({
      sessionId: first.sessionId,
      resumed: true,
    });
    const got: number[] = [];
    for (let i = 0; i < 5; i++) got.push((await second.next('chat-message')).message.id);
    expect(got).toEqual(sent);
    const after = await post(one, bob, conversation, 'after the resume');
    expect((await second.next('chat-message')).message.id).toBe(after.body.id);
    await second.roundTrip();
    expect(second.pending('chat-message')).toEqual([]);

    // The first instance let go of it, rather than ending it when its grace ran out; its call seat stayed.
    await untilEmpty(one);
    await new Promise((resolve) => setTimeout(resolve, (options.resumeGraceMs ?? 0) + 500));
    await watcher.roundTrip();
    expect(watcher.pending('session-left')).toEqual([]);
    expect(watcher.pending('session-joined')).toEqual([]);
    const looker = await TestSocket.connect(one, bob);
    const joined = await looker.join(conversation);
    expect(joined.sessions.find((s) => s.sessionId === first.sessionId)).toMatchObject({ inCall: true });
    await looker.close();
    // Signals still reach it, now on the second instance.
    watcher.send({ type: 'call-join', conversation, media: { audio: true, video: false } });
    await second.nextWhere('session-updated', (m) => m.session.sessionId === watcher.sessionId && m.session.inCall);
    watcher.send({
      type: 'signal',
      conversation,
      to: first.sessionId,
      payload: { kind: 'description', description: { type: 'offer', sdp: 'v=0 offer' } },
    });
    expect(await second.next('signal')).toMatchObject({ from: watcher.sessionId });
    await Promise.all([second.close(), watcher.close()]);
  });

  it('gives another user a new session, and a resume past the window a new one too', async () => {
    const [alice, mallory] = [await login(one, 'alice', 'Alice'), await login(two, 'mallory', 'Mallory')];
    const first = await TestSocket.connect(one, alice);
    await first.drop();
    const thief = await TestSocket.open(two);
    const stolen = await thief.hello(mallory, first.sessionId);
    expect(stolen).toMatchObject({ userId: 'mallory', resumed: false });
    expect(stolen.sessionId).not.toBe(first.sessionId);
    await thief.close();

    await untilEmpty(one, (options.resumeGraceMs ?? 0) + 5_000);
    const late = await TestSocket.open(two);
    const welcome = await late.hello(alice, first.sessionId);
    expect(welcome.resumed).toBe(false);
    expect(welcome.sessionId).not.toBe(first.sessionId);
    await late.close();
  });
});
