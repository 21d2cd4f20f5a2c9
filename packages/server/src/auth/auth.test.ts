import { ErrorCode, Routes } from '@talk/protocol';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, login, startTestServer } from '../testing/harness.js';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';
let server: TalkServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('dev tokens', () => {
  it('mints a 12-hour token in dev mode that the API accepts', async () => {
    server = await startTestServer();
    const minted = await call<{ token: string; expiresAt: string }>(server, 'POST', Routes.devTokens, {
      body: { userId: 'alice', displayName: 'Alice' },
    });
    expect(minted.status).toBe(201);
    const hoursLeft = (Date.parse(minted.body.expiresAt) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(11.9);
    expect(hoursLeft).toBeLessThanOrEqual(12);
    const list = await call(server, 'GET', Routes.conversations, { token: minted.body.token });
    expect(list).toEqual({ status: 200, body: [] });
  });

  it('refuses to mint tokens when dev mode is off', async () => {
    server = await startTestServer({ devMode: false, jwtSecret: secret });
    const minted = await call(server, 'POST', Routes.devTokens, { body: { userId: 'alice', displayName: 'Alice' } });
    expect(minted).toEqual({
      status: 403,
      body: { status: 403, code: ErrorCode.Disabled, message: expect.any(String) },
    });
  });

  it('rejects a user id with characters outside the allowed set', async () => {
    server = await startTestServer();
    const minted = await call(server, 'POST', Routes.devTokens, { body: { userId: 'a b', displayName: 'A' } });
    expect(minted.status).toBe(400);
    expect(minted.body).toMatchObject({ status: 400, code: ErrorCode.InvalidRequest });
  });
});

describe('bearer tokens', () => {
  const sign = (key: string, exp: number) =>
    new SignJWT({ name: 'Mallory' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(key));
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts a token signed with the configured secret', async () => {
    server = await startTestServer({ devMode: false, jwtSecret: secret });
    const answer = await call(server, 'GET', Routes.conversations, { token: await sign(secret, now() + 60) });
    expect(answer.status).toBe(200);
  });

  it('answers 401 unauthenticated for a forged, an expired, a garbled or a missing token', async () => {
    server = await startTestServer({ devMode: false, jwtSecret: secret });
    const forged = await sign('some-other-secret-of-the-same-length-xx', now() + 60);
    const expired = await sign(secret, now() - 60);
    for (const token of [forged, expired, 'not.a.jwt', undefined]) {
      const answer = await call(server, 'GET', Routes.conversations, { token });
      expect(answer).toEqual({
        status: 401,
        body: { status: 401, code: ErrorCode.Unauthenticated, message: expect.any(String) },
      });
    }
  });

  it('checks the token before the body, so strangers learn nothing about schemas', async () => {
    server = await startTestServer();
    const answer = await call(server, 'POST', Routes.conversations, { body: { nonsense: true } });
    expect(answer.status).toBe(401);
    const token = await login(server, 'alice');
    const valid = await call(server, 'POST', Routes.conversations, { token, body: { nonsense: true } });
    expect(valid.status).toBe(400);
  });
});

describe('host-app tokens signed with a private key', () => {
  it('accepts an ES256 token that verifies with TALK_JWT_PUBLIC_KEY and refuses one from another key', async () => {
    const { exportSPKI, generateKeyPair } = await import('jose');
    const mine = await generateKeyPair('ES256', { extractable: true });
    const theirs = await generateKeyPair('ES256', { extractable: true });
    server = await startTestServer({
      devMode: false,
      jwtSecret: secret,
      jwtPublicKey: await exportSPKI(mine.publicKey),
    });
    const sign = (key: Parameters<SignJWT['sign']>[0]) =>
      new SignJWT({ name: 'Alice' })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject('alice')
        .setExpirationTime('5m')
        .sign(key);
    expect((await call(server, 'GET', Routes.conversations, { token: await sign(mine.privateKey) })).status).toBe(200);
    const forged = await call(server, 'GET', Routes.conversations, { token: await sign(theirs.privateKey) });
    expect(forged).toMatchObject({ status: 401, body: { code: ErrorCode.Unauthenticated } });
  });
});
