import { conversationPath, ErrorCode, Routes } from '@talk/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { TalkServer, TalkServerOptions } from '../app.js';
import type { RateLimit, RateLimitedAction } from '../config.js';
import { call, conversationOf, login, startTestServer } from '../testing/harness.js';

const servers: TalkServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serverWith(
  rateLimits: Partial<Record<RateLimitedAction, RateLimit>>,
  options: Partial<TalkServerOptions> = {},
): Promise<TalkServer> {
  const server = await startTestServer({ rateLimits, ...options });
  servers.push(server);
  return server;
}

/** A raw request, so that a test sees the headers (Retry-After, and X-Forwarded-For going out). */
async function request(
  server: TalkServer,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(server.url + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (text ? JSON.parse(text) : undefined) as { code?: string; id?: number; token?: string },
  };
}

const window = 60_000;

describe('REST rate limits', () => {
  it('refuses a user’s posts over the limit with 429 rate-limited and Retry-After, while another user still posts', async () => {
    const server = await serverWith({ posts: { perUser: 3, perAddress: 100, windowMs: window } });
    const [alice, bob] = await Promise.all([login(server, 'alice'), login(server, 'bob')]);
    const token = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const path = conversationPath(Routes.messages, token);
    const statuses: number[] = [];
    for (let n = 0; n < 3; n++)
      statuses.push((await request(server, 'POST', path, alice, { message: `m${n}`, referenceId: `m${n}` })).status);
    expect(statuses).toEqual([201, 201, 201]);
    const refused = await request(server, 'POST', path, alice, { message: 'one too many', referenceId: 'over' });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe(ErrorCode.RateLimited);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect((await request(server, 'POST', path, bob, { message: 'mine', referenceId: 'mine' })).status).toBe(201);
    // Nothing refused was stored.
    const list = await call<unknown[]>(server, 'GET', path, { token: alice });
    expect(list.body).toHaveLength(4);
  });

  it('counts every user of one address together, so many identities from one client are limited too', async () => {
    const server = await serverWith({ posts: { perUser: 100, perAddress: 4, windowMs: window } });
    const users = await Promise.all(['u1', 'u2', 'u3', 'u4', 'u5'].map((id) => login(server, id)));
    const token = await conversationOf(
      server,
      users[0]!,
      ['u2', 'u3', 'u4', 'u5'].map((userId) => ({ userId, displayName: userId })),
    );
    const path = conversationPath(Routes.messages, token);
    const statuses: number[] = [];
    for (const user of users)
      statuses.push((await request(server, 'POST', path, user, { message: 'hi', referenceId: 'hi' })).status);
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
  });

  it('believes X-Forwarded-For only when trustProxy says so', async () => {
    const limits = { posts: { perUser: 100, perAddress: 1, windowMs: window } };
    for (const trustProxy of [undefined, true] as const) {
      const server = await serverWith(limits, trustProxy ? { trustProxy } : {});
      const alice = await login(server, 'alice');
      const path = conversationPath(Routes.messages, await conversationOf(server, alice, []));
      const from = (address: string) =>
        request(
          server,
          'POST',
          path,
          alice,
          { message: address, referenceId: address },
          { 'x-forwarded-for': address },
        );
      const statuses = [(await from('198.51.100.1')).status, (await from('198.51.100.2')).status];
      // Trusted, the two addresses are two clients; untrusted, both are the loopback peer that really connected.
      expect(statuses).toEqual(trustProxy ? [201, 201] : [201, 429]);
    }
  });

  it('limits edits, reactions, uploads and conversation creation per user as configured', async () => {
    const one = { perUser: 1, perAddress: 100, windowMs: window };
    const server = await serverWith({ edits: one, reactions: one, uploads: one, conversations: one });
    const alice = await login(server, 'alice');
    const token = await conversationOf(server, alice, []);
    const conversation = { type: 'group', name: 'more' };
    expect((await request(server, 'POST', Routes.conversations, alice, conversation)).status).toBe(429);

    const posted = await request(server, 'POST', conversationPath(Routes.messages, token), alice, {
      message: 'a',
      referenceId: 'a',
    });
    const message = conversationPath(Routes.message, token, { messageId: posted.body.id! });
    expect((await request(server, 'PATCH', message, alice, { message: 'b' })).status).toBe(200);
    const edit = await request(server, 'PATCH', message, alice, { message: 'c' });
    expect([edit.status, edit.body.code]).toEqual([429, ErrorCode.RateLimited]);

    const reactions = conversationPath(Routes.reactions, token, { messageId: posted.body.id! });
    expect((await request(server, 'POST', reactions, alice, { reaction: '👍' })).status).toBe(201);
    expect((await request(server, 'POST', reactions, alice, { reaction: '🎉' })).status).toBe(429);

    const upload = () =>
      fetch(server.url + conversationPath(Routes.attachments, token), {
        method: 'POST',
        headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/octet-stream' },
        body: Buffer.from('some bytes'),
      });
    expect((await upload()).status).toBe(201);
    const refused = await upload();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('limits poll votes per user, and counts creating a poll as a post', async () => {
    const server = await serverWith({
      votes: { perUser: 3, perAddress: 100, windowMs: window },
      posts: { perUser: 2, perAddress: 100, windowMs: window },
    });
    const [alice, bob] = await Promise.all([login(server, 'alice'), login(server, 'bob')]);
    const token = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const polls = conversationPath(Routes.polls, token);
    const poll = (n: number) => ({ question: `Lunch ${n}?`, options: ['yes', 'no'], referenceId: `poll-${n}` });
    const created = await request(server, 'POST', polls, alice, poll(1));
    expect(created.status).toBe(201);
    expect(
      (
        await request(server, 'POST', conversationPath(Routes.messages, token), alice, {
          message: 'm',
          referenceId: 'm',
        })
      ).status,
    ).toBe(201);
    // The poll and the message spent alice's two posts.
    expect((await request(server, 'POST', polls, alice, poll(2))).status).toBe(429);
    // Voting back and forth: three votes a minute, then a refusal, while another user still votes.
    const votes = conversationPath(Routes.pollVotes, token, { pollId: created.body.id! });
    const statuses: number[] = [];
    for (const optionIds of [[0], [1], [0], [1]])
      statuses.push((await request(server, 'POST', votes, bob, { optionIds })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await request(server, 'POST', votes, alice, { optionIds: [0] })).status).toBe(200);
  });
});
