import { type ChatMessage, conversationPath, Routes } from '@talk/protocol';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTalkServer, type TalkServer } from '../app.js';
import { call, login, TestSocket } from '../testing/harness.js';
import { freshStorage } from '../testing/storage.js';

// Two instances on different ports share one PostgreSQL database and one Redis, as a scaled deployment does.
let one: TalkServer;
let two: TalkServer;
const secret = 'a-shared-secret-of-at-least-32-characters!';

beforeAll(async () => {
  const storage = await freshStorage();
  const redisUrl = inject('redisUrl');
  const options = { port: 0, storage, devMode: true, jwtSecret: secret, redisUrl };
  one = await createTalkServer(options);
  two = await createTalkServer(options);
});
afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
});

const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0 offer' } } as const;
const answer = { kind: 'description', description: { type: 'answer', sdp: 'v=0 answer' } } as const;
const candidate = { kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' } } as const;

describe('two server instances over Redis and PostgreSQL', () => {
  it('lets clients on different instances chat and complete the signaling of a mesh call', async () => {
    expect(one.port).not.toBe(two.port);
    const alice = await login(one, 'alice', 'Alice');
    const bob = await login(two, 'bob', 'Bob'); // a token from one instance is good on the other
    const created = await call<{ token: string }>(one, 'POST', Routes.conversations, {
      token: alice,
      body: { type: 'group', name: 'Scaled', participants: [{ userId: 'bob', displayName: 'Bob' }] },
    });
    const conversation = created.body.token;

    const a = await TestSocket.connect(one, alice);
    const b = await TestSocket.connect(two, bob);
    await a.join(conversation);
    const joined = await b.join(conversation);
    expect(joined.sessions.map((s) => s.sessionId)).toEqual([a.sessionId]); // presence is shared
    expect((await a.next('session-joined')).session.sessionId).toBe(b.sessionId);

    // Chat: posted on instance two, pushed to the session on instance one, once.
    const posted = await call<ChatMessage>(two, 'POST', conversationPath(Routes.messages, conversation), {
      token: bob,
      body: { message: 'hello across instances', referenceId: 'x1' },
    });
    expect(await a.next('chat-message')).toEqual({ type: 'chat-message', conversation, message: posted.body });
    expect(await b.next('chat-message')).toEqual({ type: 'chat-message', conversation, message: posted.body });

    // Typing crosses too.
    a.send({ type: 'typing', conversation, typing: true });
    expect(await b.next('typing')).toMatchObject({ sessionId: a.sessionId, userId: 'alice', typing: true });

    // A mesh call: both join, then offer, answer and candidates are relayed across the instances.
    a.send({ type: 'call-join', conversation, media: { audio: true, video: true } });
    expect(await b.next('call-topology')).toMatchObject({ topology: 'mesh', reason: 'call-started' });
    b.send({ type: 'call-join', conversation, media: { audio: true, video: false } });
    expect(await a.next('session-updated', 3_000)).toMatchObject({ session: { sessionId: a.sessionId, inCall: true } });
    expect(await a.next('session-updated', 3_000)).toMatchObject({ session: { sessionId: b.sessionId, inCall: true } });

    a.send({ type: 'signal', conversation, to: b.sessionId, payload: offer });
    expect(await b.next('signal')).toEqual({ type: 'signal', conversation, from: a.sessionId, payload: offer });
    b.send({ type: 'signal', conversation, to: a.sessionId, payload: answer });
    expect(await a.next('signal')).toEqual({ type: 'signal', conversation, from: b.sessionId, payload: answer });
    b.send({ type: 'signal', conversation, to: a.sessionId, payload: candidate });
    expect(await a.next('signal')).toEqual({ type: 'signal', conversation, from: b.sessionId, payload: candidate });

    // Leaving on one instance is seen on the other.
    await b.close();
    expect(await a.next('session-left')).toEqual({ type: 'session-left', conversation, sessionId: b.sessionId });
    await a.close();
  });

  it('delivers messages posted on both instances to a third client in one order, each once', async () => {
    const alice = await login(one, 'alice', 'Alice');
    const created = await call<{ token: string }>(one, 'POST', Routes.conversations, {
      token: alice,
      body: { type: 'group', name: 'Order', participants: [{ userId: 'bob', displayName: 'Bob' }] },
    });
    const conversation = created.body.token;
    const bob = await login(two, 'bob', 'Bob');
    const watcher = await TestSocket.connect(two, bob);
    await watcher.join(conversation);
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) {
      const server = i % 2 === 0 ? one : two;
      const token = i % 2 === 0 ? alice : bob;
      const posted = await call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, conversation), {
        token,
        body: { message: `m${i}`, referenceId: `o${i}` },
      });
      ids.push(posted.body.id);
    }
    const received: number[] = [];
    for (let i = 0; i < 10; i++) received.push((await watcher.next('chat-message')).message.id);
    expect(received).toEqual(ids);
    await watcher.roundTrip();
    expect(watcher.pending('chat-message')).toEqual([]);
    await watcher.close();
  });
});

describe('an instance that stopped without shutting down', () => {
  it('has its sessions reaped by a live instance, which tells the conversation they left', async () => {
    const storage = await freshStorage();
    if (storage.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const survivor = await createTalkServer({ port: 0, storage, devMode: true, jwtSecret: secret, heartbeatMs: 100 });
    const db = new pg.Client({ connectionString: storage.url });
    await db.connect();
    try {
      const alice = await login(survivor, 'alice', 'Alice');
      const conversation = (
        await call<{ token: string }>(survivor, 'POST', Routes.conversations, {
          token: alice,
          body: { type: 'group', name: 'Crash', participants: [{ userId: 'bob', displayName: 'Bob' }] },
        })
      ).body.token;
      // What a killed instance leaves behind: a session still "present". Its heartbeat stays fresh until the watcher
      // has joined, so the reaper cannot take the session before the watcher is subscribed to hear it leave.
      await db.query(`insert into instances (id, seen_at) values ('killed', now() + interval '1 hour')`);
      await db.query(
        `insert into presence (session_id, conversation, user_id, display_name, role, in_call, instance)
         values ('ghost', $1, 'bob', 'Bob', 'user', true, 'killed')`,
        [conversation],
      );
      const watcher = await TestSocket.connect(survivor, alice);
      const joined = await watcher.join(conversation);
      await db.query(`update instances set seen_at = now() - interval '1 hour' where id = 'killed'`);
      const left = await watcher.next('session-left', 3_000);
      expect(left).toEqual({ type: 'session-left', conversation, sessionId: 'ghost' });
      expect(joined.sessions.map((s) => s.sessionId)).toEqual(['ghost']); // it was there until reaped
      expect((await db.query(`select count(*)::int as n from presence where instance = 'killed'`)).rows[0].n).toBe(0);
      await watcher.close();
    } finally {
      await db.end();
      await survivor.close();
    }
  });
});
