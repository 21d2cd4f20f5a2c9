import { createHash, randomUUID } from 'node:crypto';
import { conversationPath, ErrorCode, type GuestJoinResponse, Routes } from '@talk/protocol';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTalkServer, type TalkServer, type TalkServerOptions } from '../app.js';
import { type Answer, call, conversationOf, login, TestSocket } from '../testing/harness.js';
import { type LocalService, startRedis } from '../testing/services.js';
import { freshStorage } from '../testing/storage.js';
import { openCounters } from './counters.js';

// Nothing listens there: the SFU guard's calls fail, which the webhook handling tolerates.
const livekit = { url: 'ws://127.0.0.1:1', apiKey: 'devkey', apiSecret: 's'.repeat(40) };

// Two instances on one PostgreSQL database and the suite's Redis, as a scaled deployment runs behind a balancer.
let one: TalkServer;
let two: TalkServer;
beforeAll(async () => {
  const options: TalkServerOptions = {
    port: 0,
    storage: await freshStorage(),
    devMode: true,
    jwtSecret: 'a-shared-secret-of-at-least-32-characters!',
    redisUrl: inject('redisUrl'),
    // Keys of this file's own, so that other files on the suite's Redis count apart.
    redisKeyPrefix: `talk-test-${randomUUID()}:`,
    livekit,
    topology: { sfuFrom: 2, meshAtMost: 1, downgradeDelayMs: 0 },
    rateLimits: { posts: { perUser: 6, perAddress: 1_000, windowMs: 60_000 } },
  };
  one = await createTalkServer(options);
  two = await createTalkServer(options);
});
afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
});

function joinAsGuest(server: TalkServer, token: string, password: string): Promise<Answer<GuestJoinResponse>> {
  return call<GuestJoinResponse>(server, 'POST', conversationPath(Routes.guests, token), {
    body: { displayName: 'Guesser', password },
  });
}

describe('two instances sharing one Redis', () => {
  it('share the password throttle: guesses spread over both meet one count', async () => {
    const alice = await login(one, 'alice-throttle', 'Alice');
    const token = await conversationOf(one, alice, [], { type: 'public', password: 'open sesame' });
    // Five tries per client and conversation: three on one instance and two on the other use them up.
    for (const server of [one, one, one, two, two]) {
      expect((await joinAsGuest(server, token, 'wrong')).status).toBe(403);
    }
    for (const server of [one, two]) {
      const refused = await joinAsGuest(server, token, 'open sesame');
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ code: ErrorCode.RateLimited });
    }
  });

  it('share the REST rate limits: posts on both instances spend one allowance', async () => {
    const bob = await login(one, 'bob-rate', 'Bob');
    const token = await conversationOf(one, bob, []);
    const post = (server: TalkServer, i: number) =>
      call(server, 'POST', conversationPath(Routes.messages, token), {
        token: bob,
        body: { message: `post ${i}`, referenceId: `rate-${i}` },
      });
    // Six posts a minute per user: alternating instances, the seventh is refused wherever it lands.
    for (let i = 0; i < 6; i++) expect((await post(i % 2 === 0 ? one : two, i)).status).toBe(201);
    expect((await post(one, 6)).status).toBe(429);
    expect((await post(two, 7)).status).toBe(429);
  });

  it('drop a LiveKit webhook retried onto the other instance', async () => {
    const [alice, bob, carol] = await Promise.all(
      ['alice-hook', 'bob-hook', 'carol-hook'].map((user) => login(one, user, user)),
    );
    const token = await conversationOf(one, alice!, [
      { userId: 'bob-hook', displayName: 'Bob' },
      { userId: 'carol-hook', displayName: 'Carol' },
    ]);
    type Joined = TestSocket & { sessionId: string };
    const [a, b, c] = (await Promise.all([alice!, bob!, carol!].map((user) => TestSocket.connect(one, user)))) as [
      Joined,
      Joined,
      Joined,
    ];
    for (const socket of [a, b, c]) await socket.join(token);
    for (const socket of [a, b, c]) {
      socket.send({ type: 'call-join', conversation: token, media: { audio: true, video: true } });
      await c.nextWhere('session-updated', (m) => m.session.sessionId === socket.sessionId && m.session.inCall);
    }
    await c.nextWhere('call-topology', (m) => m.topology === 'sfu');
    const room = { name: token };
    const since = Date.now();
    const connection = (n: number) => ({
      identity: a.sessionId,
      sid: `PA_${a.sessionId}_${n}`,
      joinedAtMs: String(since + n * 1000),
      metadata: JSON.stringify({ userId: 'alice-hook', epoch: 1 }),
    });
    // Alice's first connection leaves (instance one acts), she reconnects (back in the call); then LiveKit,
    // having seen the first delivery fail, retries that "left" — and the balancer sends it to instance two.
    const left = { id: `EV_left_${randomUUID()}`, event: 'participant_left', room, participant: connection(1) };
    expect(await webhook(one, left)).toBe(204);
    await c.nextWhere('session-updated', (m) => m.session.sessionId === a.sessionId && !m.session.inCall);
    const joined = { id: `EV_joined_${randomUUID()}`, event: 'participant_joined', room, participant: connection(2) };
    expect(await webhook(one, joined)).toBe(204);
    await c.nextWhere('session-updated', (m) => m.session.sessionId === a.sessionId && m.session.inCall);
    expect(await webhook(two, left)).toBe(204);
    await c.roundTrip();
    const outs = c
      .pending('session-updated')
      .filter((m) => m.type === 'session-updated' && m.session.sessionId === a.sessionId && !m.session.inCall);
    expect(outs).toHaveLength(0);
    // Instance two does act on what is new: the reconnect's own "left" takes her out.
    const leftAgain = { id: `EV_left2_${randomUUID()}`, event: 'participant_left', room, participant: connection(2) };
    expect(await webhook(two, leftAgain)).toBe(204);
    await c.nextWhere('session-updated', (m) => m.session.sessionId === a.sessionId && !m.session.inCall);
    await Promise.all([a, b, c].map((socket) => socket.close()));
  });
});

describe('the password throttle while Redis is down', () => {
  let redis: LocalService;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('refuses attempts (fails closed) rather than letting guesses through uncounted, and counts again after', async () => {
    const counters = openCounters({ redisUrl: redis.url });
    try {
      const keys = [{ key: `k-${randomUUID()}`, max: 2 }];
      (await counters.passwordThrottle.begin(keys)).succeeded();
      await redis.down();
      await expect(counters.passwordThrottle.begin(keys)).rejects.toMatchObject({ code: ErrorCode.RateLimited });
      await redis.up();
      // Back: a fresh count (the Redis kept nothing on disk), two attempts and then a refusal.
      await until(async () => {
        try {
          await counters.passwordThrottle.begin(keys);
          return true;
        } catch {
          return false;
        }
      });
      await counters.passwordThrottle.begin(keys);
      await expect(counters.passwordThrottle.begin(keys)).rejects.toThrow(/Too many failed attempts/);
    } finally {
      await counters.close();
    }
  });
});

/** Polls `check` until it holds, for up to 10 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Posts a webhook to `server`, signed as LiveKit signs them. */
async function webhook(server: TalkServer, event: Record<string, unknown>): Promise<number> {
  const body = JSON.stringify({ createdAt: String(Math.floor(Date.now() / 1000)), ...event });
  const token = new AccessToken(livekit.apiKey, livekit.apiSecret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  const response = await fetch(server.url + Routes.livekitWebhook, {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', authorization: await token.toJwt() },
    body,
  });
  return response.status;
}
