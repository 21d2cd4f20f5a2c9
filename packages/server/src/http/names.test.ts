import { type ChatMessage, type Conversation, conversationPath, type Participant, Routes } from '@talk/protocol';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, startTestServer } from '../testing/harness.js';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';
let server: TalkServer;
beforeAll(async () => {
  // As in production: the host signs tokens, nothing is minted, so only presented tokens name anyone.
  server = await startTestServer({ devMode: false, jwtSecret: secret });
});
afterAll(() => server.close());

const tokenOf = (userId: string, name: string) =>
  new SignJWT({ name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setAudience('talk')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(secret));

const names = async (token: string, as: string) =>
  (await call<Participant[]>(server, 'GET', conversationPath(Routes.participants, token), { token: as })).body.map(
    (p) => [p.userId, p.displayName],
  );

describe('display names', () => {
  it('come from each user’s own latest token, never from whoever adds them', async () => {
    const alice = await tokenOf('alice', 'Alice');
    const bob = await tokenOf('bob', 'Bob');
    await call(server, 'GET', Routes.conversations, { token: bob }); // bob has presented a token once
    const created = await call<Conversation>(server, 'POST', Routes.conversations, {
      token: alice,
      body: { type: 'group', name: 'G', participants: [{ userId: 'bob', displayName: 'CEO' }] },
    });
    const token = created.body.token;
    const added = await call<Participant>(server, 'POST', conversationPath(Routes.participants, token), {
      token: alice,
      body: { userId: 'carol', displayName: 'The Boss' },
    });
    // Carol has never presented a token: she is her user id until she does.
    expect(added.body.displayName).toBe('carol');
    expect(await names(token, alice)).toEqual([
      ['alice', 'Alice'],
      ['bob', 'Bob'],
      ['carol', 'carol'],
    ]);
    const system = await call<ChatMessage[]>(server, 'GET', `${conversationPath(Routes.messages, token)}?system=true`, {
      token: alice,
    });
    expect(system.body.map((m) => m.message).join('\n')).not.toMatch(/CEO|The Boss/);

    // Carol signs in; then bob's next token renames him everywhere.
    await call(server, 'GET', Routes.conversations, { token: await tokenOf('carol', 'Carol') });
    await call(server, 'GET', Routes.conversations, { token: await tokenOf('bob', 'Robert') });
    expect(await names(token, alice)).toEqual([
      ['alice', 'Alice'],
      ['bob', 'Robert'],
      ['carol', 'Carol'],
    ]);
  });
});
