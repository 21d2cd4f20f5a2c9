import { type ChatMessage, CloseCode, conversationPath, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTalkServer, type TalkServer, type TalkServerOptions } from '../app.js';
import { Store } from '../store/store.js';
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
    // Longer than the drop-to-resume of the first test takes on a loaded machine (five posts and a hello took over 3 s
    // at a load average of 27), short enough that a late drop by the first instance would show within the test. The
    // test of resumes at the window's end has instances of its own, with 3 s.
    resumeGraceMs: 8_000,
  };
  one = await createTalkServer(options);
  two = await createTalkServer(options);
});
/** Instances a test starts for itself, closed with the others. */
const extra: TalkServer[] = [];
afterAll(async () => {
  await Promise.all([one?.close(), two?.close(), ...extra.map((server) => server.close())]);
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

/** Alice on the first instance and Bob on the second, both joined to a conversation of theirs. */
async function aliceOnOneBobOnTwo() {
  const [alice, bob] = [await login(one, 'alice', 'Alice'), await login(two, 'bob', 'Bob')];
  const conversation = await conversationOf(one, alice, [{ userId: 'bob', displayName: 'Bob' }]);
  const first = await TestSocket.connect(one, alice);
  const watcher = await TestSocket.connect(two, bob);
  await first.join(conversation);
  await watcher.join(conversation);
  return { alice, bob, conversation, first, watcher };
}

describe('resume on another instance', () => {
  it('takes over a session dropped on the first instance: no leave or join, what was sent meanwhile once, in order', async () => {
    const { alice, bob, conversation, first, watcher } = await aliceOnOneBobOnTwo();
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

  it('writes again the presence reaped before the resume reached it, and the others hear the session join', async () => {
    const { alice, bob, conversation, first, watcher } = await aliceOnOneBobOnTwo();
    const lastSeq = first.lastSeq;
    await first.drop();
    // What a reaper does to an instance it takes for dead: the rows go, here without its leave being heard.
    const store = await Store.open(options.storage);
    try {
      expect((await store.presence.remove(first.sessionId)).map((info) => info.sessionId)).toEqual([first.sessionId]);
    } finally {
      await store.close();
    }
    const second = await TestSocket.open(two);
    expect(await second.hello(alice, first.sessionId, lastSeq)).toMatchObject({ resumed: true });
    const joined = await watcher.nextWhere('session-joined', (m) => m.session.sessionId === first.sessionId);
    expect(joined.session).toMatchObject({ participant: { userId: 'alice' }, inCall: false });
    const looker = await TestSocket.connect(one, bob);
    expect((await looker.join(conversation)).sessions.map((s) => s.sessionId)).toContain(first.sessionId);
    await Promise.all([looker.close(), second.close(), watcher.close()]);
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

  // Six drops, each waiting out a 3 s window: 25 s on a quiet machine, over 60 s at a load average of 30.
  it('lets a resume at the end of the window either take the session over or find it ended, never both', {
    timeout: 180_000,
  }, async () => {
    const grace = 3_000;
    const windowed = { ...options, resumeGraceMs: grace };
    const [near, far] = await Promise.all([createTalkServer(windowed), createTalkServer(windowed)]);
    extra.push(near, far);
    const [alice, bob] = [await login(near, 'alice', 'Alice'), await login(far, 'bob', 'Bob')];
    const conversation = await conversationOf(near, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const watcher = await TestSocket.connect(far, bob);
    await watcher.join(conversation);
    const outcomes: boolean[] = [];
    // Around the moment the first instance's grace runs out, so that some resumes claim the record just before its
    // drop releases it and some just after: either way the others must see one story.
    for (const offset of [-80, -40, -15, 0, 15, 40]) {
      const first = await TestSocket.connect(near, alice);
      await first.join(conversation);
      first.send({ type: 'call-join', conversation, media: { audio: true, video: false } });
      await watcher.nextWhere('session-updated', (m) => m.session.sessionId === first.sessionId && m.session.inCall);
      // What the watcher heard of the join is behind this mark; what it hears of the resume comes after it.
      await watcher.roundTrip();
      const mark = watcher.received().length;
      const lastSeq = first.lastSeq;
      await first.drop();
      const dropped = Date.now();
      const second = await TestSocket.open(far);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, dropped + grace + offset - Date.now())));
      const welcome = await second.hello(alice, first.sessionId, lastSeq);
      outcomes.push(welcome.resumed === true);
      // Past the first instance's grace, whichever way it went.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, dropped + grace + 500 - Date.now())));
      await untilEmpty(near);
      await watcher.roundTrip();
      const heard = watcher.received().slice(mark);
      const left = heard.filter((m) => m.type === 'session-left' && m.sessionId === first.sessionId);
      const joined = heard.filter((m) => m.type === 'session-joined' && m.session.sessionId === first.sessionId);
      const looker = await TestSocket.connect(near, bob);
      const present = (await looker.join(conversation)).sessions.find((s) => s.sessionId === first.sessionId);
      await looker.close();
      if (welcome.resumed) {
        expect(welcome.sessionId).toBe(first.sessionId);
        expect({ offset, left, joined }).toEqual({ offset, left: [], joined: [] });
        expect(present).toMatchObject({ inCall: true });
      } else {
        expect(welcome.sessionId).not.toBe(first.sessionId);
        expect({ offset, left: left.length, joined }).toEqual({ offset, left: 1, joined: [] });
        expect(present).toBeUndefined();
      }
      await second.close();
    }
    console.log(`resumes at the end of the window: ${outcomes.filter(Boolean).length} of ${outcomes.length} resumed`);
    await watcher.close();
  });

  it('hands its sessions over on a restart: closed with 4005, resumed on the other, no leave or join', async () => {
    // An instance of its own: this one stops.
    const leaving = await createTalkServer(options);
    const [alice, bob] = [await login(leaving, 'alice', 'Alice'), await login(two, 'bob', 'Bob')];
    const conversation = await conversationOf(two, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const first = await TestSocket.connect(leaving, alice);
    const watcher = await TestSocket.connect(two, bob);
    await first.join(conversation);
    await watcher.join(conversation);
    first.send({ type: 'call-join', conversation, media: { audio: true, video: false } });
    await watcher.nextWhere('session-updated', (m) => m.session.sessionId === first.sessionId && m.session.inCall);
    const before = await post(two, bob, conversation, 'before');
    expect((await first.next('chat-message')).message.id).toBe(before.body.id);
    await watcher.roundTrip();
    const mark = watcher.received().length;

    const stopped = leaving.handOver();
    expect(await first.closed).toBe(CloseCode.HandOver);
    const meanwhile = (await post(two, bob, conversation, 'during the hand-over')).body.id;
    await stopped;
    // Gone for good: its port is closed, and what it held is the others' to take.
    await expect(fetch(leaving.url + Routes.metrics)).rejects.toThrow();
    const second = await TestSocket.open(two);
    expect(await second.hello(alice, first.sessionId, first.lastSeq)).toMatchObject({
      sessionId: first.sessionId,
      resumed: true,
    });
    expect((await second.next('chat-message')).message.id).toBe(meanwhile);
    await watcher.roundTrip();
    const heard = watcher.received().slice(mark);
    expect(heard.filter((m) => m.type === 'session-left' || m.type === 'session-joined')).toEqual([]);
    const looker = await TestSocket.connect(two, bob);
    const joined = await looker.join(conversation);
    expect(joined.sessions.find((s) => s.sessionId === first.sessionId)).toMatchObject({ inCall: true });
    await Promise.all([looker.close(), second.close(), watcher.close()]);
  });
});
