import {
  type Ban,
  type Conversation,
  conversationPath,
  ErrorCode,
  type GuestJoinResponse,
  type Participant,
  Routes,
} from '@talk/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, login, startTestServer } from '../testing/harness.js';

let server: TalkServer;
let alice: string;
let bob: string;
beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([
    login(server, 'alice', 'Alice', ['file:*']),
    login(server, 'bob', 'Bob', ['file:*']),
  ]);
});
afterAll(() => server.close());

const create = async (body: object) =>
  (await call<Conversation>(server, 'POST', Routes.conversations, { token: alice, body })).body.token;
const self = (token: string) => conversationPath(Routes.participantSelf, token);
const roleOf = async (token: string, userId: string) =>
  (await call<Participant[]>(server, 'GET', conversationPath(Routes.participants, token), { token: alice })).body.find(
    (p) => p.userId === userId,
  )?.role;

describe('guests who leave', () => {
  it('come back as guests, not as users', async () => {
    const token = await create({ type: 'public', name: 'Open' });
    const guest = await call<GuestJoinResponse>(server, 'POST', conversationPath(Routes.guests, token), {
      body: { displayName: 'Gus' },
    });
    const { userId } = guest.body.participant;
    expect((await call(server, 'DELETE', self(token), { token: guest.body.token })).status).toBe(204);
    const back = await call<Participant>(server, 'POST', self(token), { token: guest.body.token });
    expect(back).toMatchObject({ status: 201, body: { userId, role: 'guest' } });
    expect(await roleOf(token, userId)).toBe('guest');
  });
});

describe('bans', () => {
  it('keeps a user removed from a public conversation from joining again until a moderator lifts the ban', async () => {
    const token = await create({ type: 'public', name: 'Open' });
    expect((await call(server, 'POST', self(token), { token: bob })).status).toBe(201);
    const remove = conversationPath(Routes.participant, token, { userId: 'bob' });
    expect((await call(server, 'DELETE', remove, { token: alice })).status).toBe(204);
    expect(await call(server, 'POST', self(token), { token: bob })).toMatchObject({
      status: 403,
      body: { code: ErrorCode.Forbidden },
    });
    const bans = await call<Ban[]>(server, 'GET', conversationPath(Routes.bans, token), { token: alice });
    expect(bans.body).toEqual([
      { userId: 'bob', displayName: 'Bob', bannedBy: 'alice', createdAt: expect.any(String) },
    ]);
    const lift = conversationPath(Routes.ban, token, { userId: 'bob' });
    expect((await call(server, 'DELETE', lift, { token: alice })).status).toBe(204);
    expect((await call(server, 'POST', self(token), { token: bob })).status).toBe(201);
  });

  it('lets a moderator ban someone who is not in yet, and a ban removes one who is', async () => {
    const token = await create({ type: 'public', name: 'Open' });
    const ban = (userId: string) =>
      call<Ban>(server, 'POST', conversationPath(Routes.bans, token), { token: alice, body: { userId } });
    expect(await ban('bob')).toMatchObject({ status: 201, body: { userId: 'bob', displayName: 'Bob' } });
    expect((await call(server, 'POST', self(token), { token: bob })).status).toBe(403);
    await call(server, 'DELETE', conversationPath(Routes.ban, token, { userId: 'bob' }), { token: alice });
    expect((await call(server, 'POST', self(token), { token: bob })).status).toBe(201);
    expect((await ban('bob')).status).toBe(201);
    expect(await roleOf(token, 'bob')).toBeUndefined();
    // The owner cannot be banned, and bob (no moderator, and out) cannot ban anyone.
    expect((await ban('alice')).status).toBe(403);
    const bobs = await call(server, 'POST', conversationPath(Routes.bans, token), {
      token: bob,
      body: { userId: 'x' },
    });
    expect(bobs.status).toBe(404);
  });

  it('keeps a user removed from an object conversation out though their grant would let them in', async () => {
    const object = { type: 'file', id: `banned-${Math.random()}` };
    const token = await create({ type: 'group', name: 'File', object });
    const open = () =>
      call(server, 'POST', Routes.conversations, { token: bob, body: { type: 'group', name: 'F', object } });
    expect((await open()).status).toBe(200);
    await call(server, 'DELETE', conversationPath(Routes.participant, token, { userId: 'bob' }), { token: alice });
    expect(await open()).toMatchObject({ status: 403, body: { code: ErrorCode.Forbidden } });
  });
});

describe('guest creation', () => {
  let limited: TalkServer | undefined;
  afterEach(async () => {
    await limited?.close();
    limited = undefined;
  });

  it('is rate-limited per client address', async () => {
    limited = await startTestServer({ guestRate: { max: 3, windowMs: 60_000 } });
    const owner = await login(limited, 'alice', 'Alice');
    const { body } = await call<Conversation>(limited, 'POST', Routes.conversations, {
      token: owner,
      body: { type: 'public', name: 'Open' },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await call(limited, 'POST', conversationPath(Routes.guests, body.token), {
        body: { displayName: `Guest ${i}` },
      });
      statuses.push(answer.status);
      if (answer.status === 429) expect(answer.body).toMatchObject({ status: 429, code: ErrorCode.RateLimited });
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    // Other routes are not limited by it.
    expect((await call(limited, 'GET', Routes.conversations, { token: owner })).status).toBe(200);
  });
});
