import { CloseCode, conversationPath, ErrorCode, type GuestJoinResponse, Routes } from '@talk/protocol';
import { decodeJwt, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, login, startTestServer, TestSocket } from '../testing/harness.js';

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
      .setAudience('talk')
      .setIssuedAt()
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
        .setAudience('talk')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key);
    expect((await call(server, 'GET', Routes.conversations, { token: await sign(mine.privateKey) })).status).toBe(200);
    const forged = await call(server, 'GET', Routes.conversations, { token: await sign(theirs.privateKey) });
    expect(forged).toMatchObject({ status: 401, body: { code: ErrorCode.Unauthenticated } });
  });
});

describe('token claims', () => {
  const now = () => Math.floor(Date.now() / 1000);
  interface Claims {
    sub?: string;
    aud?: string;
    iss?: string;
    iat?: number;
    exp?: number;
    [claim: string]: unknown;
  }
  /** A token with exactly these claims (a name is added), signed with `key`. */
  const token = ({ sub = 'mallory', aud, iss, iat, exp, ...rest }: Claims, key = secret, kid?: string) => {
    const jwt = new SignJWT({ name: 'Mallory', ...rest }).setProtectedHeader(
      kid ? { alg: 'HS256', kid } : { alg: 'HS256' },
    );
    jwt.setSubject(sub);
    if (aud !== undefined) jwt.setAudience(aud);
    if (iss !== undefined) jwt.setIssuer(iss);
    if (iat !== undefined) jwt.setIssuedAt(iat);
    if (exp !== undefined) jwt.setExpirationTime(exp);
    return jwt.sign(new TextEncoder().encode(key));
  };
  const statusOf = async (jwt: string) => (await call(server!, 'GET', Routes.conversations, { token: jwt })).status;

  it('requires the audience, the configured issuer, an iat within the maximum age, with a little clock tolerance', async () => {
    server = await startTestServer({ devMode: false, jwtSecret: secret, jwtIssuer: 'https://host.example' });
    const good = { aud: 'talk', iss: 'https://host.example', iat: now(), exp: now() + 600 };
    const cases: Array<[string, Claims, number]> = [
      ['all claims right', good, 200],
      ['no aud', { ...good, aud: undefined }, 401],
      ['another aud', { ...good, aud: 'chat' }, 401],
      ['no iss', { ...good, iss: undefined }, 401],
      ['another iss', { ...good, iss: 'https://elsewhere.example' }, 401],
      ['no iat', { ...good, iat: undefined }, 401],
      ['older than a day', { ...good, iat: now() - 86_400 - 120 }, 401],
      ['iat 10 s ahead (clock skew)', { ...good, iat: now() + 10 }, 200],
      ['expired 10 s ago (clock skew)', { ...good, exp: now() - 10 }, 200],
      ['expired 2 min ago', { ...good, exp: now() - 120 }, 401],
      ['a malformed obj claim', { ...good, obj: 'file:42' }, 401],
      ['a NUL in the name', { ...good, name: 'Mal\u0000lory' }, 401],
      ['an obj grant of another shape', { ...good, obj: [{ pattern: 'file' }] }, 401],
      ['valid obj grants', { ...good, obj: ['file:42', { pattern: 'card:*', types: ['public'] }] }, 200],
    ];
    const actual = Object.fromEntries(
      await Promise.all(cases.map(async ([name, claims]) => [name, await statusOf(await token(claims))])),
    );
    expect(actual).toEqual(Object.fromEntries(cases.map(([name, , status]) => [name, status])));
  });

  it('signs guest tokens with a key of their own, so neither kind of token passes for the other', async () => {
    server = await startTestServer({ devMode: false, jwtSecret: secret });
    const host = await token({ sub: 'hannah', aud: 'talk', iat: now(), exp: now() + 600 });
    const created = await call<{ token: string }>(server, 'POST', Routes.conversations, {
      token: host,
      body: { type: 'public', name: 'Open' },
    });
    const guest = await call<GuestJoinResponse>(server, 'POST', conversationPath(Routes.guests, created.body.token), {
      body: { displayName: 'Gus' },
    });
    expect(await statusOf(guest.body.token)).toBe(200);
    const claims = decodeJwt(guest.body.token) as Claims;
    // The guest's claims signed with the user secret: without the guest key they make nobody a guest.
    expect(await statusOf(await token(claims))).toBe(401);
    expect(await statusOf(await token(claims, secret, 'guest'))).toBe(401);
    // A user token cannot pretend to be a guest token, nor a guest token drop its conversation.
    expect(await statusOf(await token({ ...claims, cnv: undefined }, secret, 'guest'))).toBe(401);
  });

  it('closes a signaling socket with 4003 when its token expires, unless a fresh token came in time', async () => {
    server = await startTestServer({ devMode: false, jwtSecret: secret });
    const short = (sub: string) => token({ sub, aud: 'talk', iat: now(), exp: now() + 2 });
    const lapsing = await TestSocket.connect(server, await short('mallory'));
    const refreshed = await TestSocket.connect(server, await short('mallory'));
    refreshed.send({ type: 'token', id: 'r', token: await token({ aud: 'talk', iat: now(), exp: now() + 600 }) });
    const accepted = await refreshed.next('token-accepted');
    expect(Date.parse(accepted.expiresAt)).toBeGreaterThan(Date.now() + 500_000);
    // Another user's token is no refresh: the session stays on its own token.
    refreshed.send({
      type: 'token',
      id: 'x',
      token: await token({ sub: 'bob', aud: 'talk', iat: now(), exp: now() + 600 }),
    });
    expect(await refreshed.next('error')).toMatchObject({ id: 'x', code: ErrorCode.Forbidden });
    expect(await lapsing.closed).toBe(CloseCode.TokenExpired);
    await refreshed.roundTrip();
    expect(refreshed.closeCode).toBeUndefined();
    await refreshed.close();
  });
});
