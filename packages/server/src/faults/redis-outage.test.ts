import { type ChatMessage, conversationPath, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTalkServer, type TalkServer } from '../app.js';
import { call, conversationOf, login, TestSocket } from '../testing/harness.js';
import { type LocalService, startRedis } from '../testing/services.js';
import { freshStorage } from '../testing/storage.js';

// Two instances on one PostgreSQL and a Redis of this test's own, which it stops and starts again.
let redis: LocalService;
let one: TalkServer;
let two: TalkServer;
beforeAll(async () => {
  redis = await startRedis();
  const storage = await freshStorage();
  const options = { port: 0, storage, devMode: true, jwtSecret: 'a-shared-secret-of-at-least-32-characters!' };
  one = await createTalkServer({ ...options, redisUrl: redis.url });
  two = await createTalkServer({ ...options, redisUrl: redis.url });
});
afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
  await redis?.stop();
});

const timed = async <T>(work: Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const result = await work;
  return [result, performance.now() - started];
};

describe('a Redis outage', () => {
  it('fails writes fast while Redis is down, and after it is back a user removed meanwhile receives nothing more', async () => {
    const [alice, bob, carol] = await Promise.all([login(one, 'alice'), login(two, 'bob'), login(two, 'carol')]);
    const members = [
      { userId: 'bob', displayName: 'Bob' },
      { userId: 'carol', displayName: 'Carol' },
    ];
    const conversation = await conversationOf(one, alice, members);
    const messages = conversationPath(Routes.messages, conversation);
    const a = await TestSocket.connect(one, alice);
    const b = await TestSocket.connect(two, bob);
    const c = await TestSocket.connect(two, carol);
    for (const socket of [a, b, c]) await socket.join(conversation);

    await redis.down();
    // Writes answer within a few seconds instead of waiting for Redis: the message is stored, its push is lost.
    const [posted, postMs] = await timed(
      call<ChatMessage>(one, 'POST', messages, { token: alice, body: { message: 'during', referenceId: 'd1' } }),
    );
    expect(posted.status).toBe(201);
    expect(postMs).toBeLessThan(5_000);
    // Bob is removed while the eviction cannot reach instance two.
    const path = Routes.participant.replace('{token}', conversation).replace('{userId}', 'bob');
    const [removed, removeMs] = await timed(call(one, 'DELETE', path, { token: alice }));
    expect(removed.status).toBeLessThan(300);
    expect(removeMs).toBeLessThan(5_000);

    await redis.up();
    // Instance two re-checks its sessions once its subscriber is back: bob is told he was removed.
    expect(await b.nextWhere('left', (m) => m.conversation === conversation, 15_000)).toMatchObject({
      reason: 'removed',
    });
    // The bus works again across instances; bob gets nothing of it, carol does.
    let after: ChatMessage | undefined;
    for (let attempt = 0; attempt < 50 && !after; attempt++) {
      const answer = await call<ChatMessage>(one, 'POST', messages, {
        token: alice,
        body: { message: `after ${attempt}`, referenceId: `a${attempt}` },
      });
      try {
        after = (await c.nextWhere('chat-message', (m) => m.message.id === answer.body.id, 500)).message;
      } catch {
        // the publisher may reconnect a moment after the subscriber: try again
      }
    }
    expect(after).toBeDefined();
    await b.roundTrip();
    expect(b.pending('chat-message').map((m) => (m as { message: ChatMessage }).message.message)).toEqual([]);
    await Promise.all([a.close(), b.close(), c.close()]);
  });
});
