import { type Conversation, conversationPath, Routes } from '@talk/protocol';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createTalkServer, type TalkServer } from '../app.js';
import type { StorageConfig } from '../config.js';
import { call, conversationOf, login, TestSocket } from '../testing/harness.js';
import { freshStorage } from '../testing/storage.js';

// Instances that stop, cleanly or not, on one PostgreSQL database and one Redis, as a scaled deployment runs them.
const secret = 'a-shared-secret-of-at-least-32-characters!';
const running: TalkServer[] = [];
const sockets: TestSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function instance(storage: StorageConfig, heartbeatMs = 10_000): Promise<TalkServer> {
  const server = await createTalkServer({
    port: 0,
    storage,
    devMode: true,
    jwtSecret: secret,
    redisUrl: inject('redisUrl'),
    heartbeatMs,
  });
  running.push(server);
  return server;
}
async function connect(server: TalkServer, token: string) {
  const socket = await TestSocket.connect(server, token);
  sockets.push(socket);
  return socket;
}
async function sql(storage: StorageConfig, text: string, values: unknown[] = []) {
  if (storage.kind !== 'postgres') throw new Error('these tests run on PostgreSQL');
  const client = new pg.Client({ connectionString: storage.url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}
const callActive = async (server: TalkServer, token: string, user: string) =>
  (await call<Conversation>(server, 'GET', conversationPath(Routes.conversation, token), { token: user })).body
    .callActive;

describe('instances that stop', () => {
  it('tell the others, on shutdown, that their sessions left, and end the call nobody is left in', async () => {
    const storage = await freshStorage();
    const [one, two] = [await instance(storage), await instance(storage)];
    const [alice, bob, carol] = [await login(one, 'alice'), await login(one, 'bob'), await login(two, 'carol')];
    const token = await conversationOf(one, alice, [
      { userId: 'bob', displayName: 'BOB' },
      { userId: 'carol', displayName: 'CAROL' },
    ]);
    const [a, b, c] = [await connect(one, alice), await connect(one, bob), await connect(two, carol)];
    for (const socket of [a, b, c]) await socket.join(token);
    for (const socket of [a, b]) {
      socket.send({ type: 'call-join', conversation: token, media: { audio: true, video: false } });
      await c.nextWhere('session-updated', (m) => m.session.sessionId === socket.sessionId && m.session.inCall);
    }
    expect(await callActive(two, token, carol)).toBe(true);

    await one.close();
    running.splice(running.indexOf(one), 1);
    const left = [
      (await c.nextWhere('session-left', (m) => m.sessionId === a.sessionId)).sessionId,
      (await c.nextWhere('session-left', (m) => m.sessionId === b.sessionId)).sessionId,
    ];
    expect(left).toEqual([a.sessionId, b.sessionId]);
    await c.next('call-ended');
    expect(await callActive(two, token, carol)).toBe(false);
    const joined = await c.join(token);
    expect(joined.sessions.map((s) => s.sessionId)).toEqual([]);
  });

  it('reap presence of their own that no live session backs, as a leave whose write failed leaves it', async () => {
    const storage = await freshStorage();
    const one = await instance(storage, 150);
    const [alice, carol] = [await login(one, 'alice'), await login(one, 'carol')];
    const token = await conversationOf(one, alice, [{ userId: 'carol', displayName: 'CAROL' }]);
    const c = await connect(one, carol);
    await c.join(token);
    const [{ id }] = await sql(storage, 'select id from instances');
    // What a failed removal leaves: alice's row in the call on this live instance, her session long gone.
    await sql(
      storage,
      `insert into presence (session_id, conversation, user_id, display_name, role, instance, in_call)
       values ('ghost', $1, 'alice', 'ALICE', 'owner', $2, true)`,
      [token, id],
    );
    await sql(storage, 'update conversations set call_started_at = now() where token = $1', [token]);
    expect((await c.nextWhere('session-left', (m) => m.sessionId === 'ghost', 5_000)).sessionId).toBe('ghost');
    await c.next('call-ended');
    expect(await sql(storage, "select * from presence where session_id = 'ghost'")).toEqual([]);
  });

  it('start by ending a call left marked as running with nobody in it', async () => {
    const storage = await freshStorage();
    const first = await instance(storage);
    const alice = await login(first, 'alice');
    const token = await conversationOf(first, alice, []);
    await first.close();
    running.splice(0);
    // A crash between the last leave and its call decision: the call stays marked as running.
    await sql(storage, 'update conversations set call_started_at = now() where token = $1', [token]);
    const restarted = await instance(storage);
    expect(await callActive(restarted, token, await login(restarted, 'alice'))).toBe(false);
  });
});
