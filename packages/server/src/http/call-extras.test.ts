import { createHash, createHmac } from 'node:crypto';
import {
  type CallSettings,
  conversationPath,
  ErrorCode,
  Permission,
  Routes,
  type SfuTokenResponse,
} from '@talk/protocol';
import { AccessToken, TokenVerifier, TrackSource } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, conversationOf, login, startTestServer, TestSocket } from '../testing/harness.js';

const livekit = { url: 'ws://127.0.0.1:1', apiKey: 'devkey', apiSecret: 's'.repeat(40) };
const turn = { urls: ['turn:127.0.0.1:3478?transport=udp'], secret: 'turn-shared-secret', ttlSeconds: 3600 };

let server: TalkServer;
let alice: string;
let bob: string;
beforeAll(async () => {
  server = await startTestServer({ livekit, turn, stunUrls: ['stun:127.0.0.1:3478'] });
  [alice, bob] = await Promise.all([login(server, 'alice', 'Alice'), login(server, 'bob', 'Bob')]);
});
afterAll(() => server.close());

/** A webhook body and Authorization header signed the way LiveKit signs them. */
async function signedWebhook(event: object, secret = livekit.apiSecret) {
  const body = JSON.stringify(event);
  const token = new AccessToken(livekit.apiKey, secret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return { body, authorization: await token.toJwt() };
}
const postWebhook = async (signed: { body: string; authorization: string }) =>
  fetch(server.url + Routes.livekitWebhook, {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', authorization: signed.authorization },
    body: signed.body,
  });

describe('TURN credentials', () => {
  it('hands each user a time-limited TURN username and the HMAC-SHA1 of it, as coturn use-auth-secret expects', async () => {
    const token = await conversationOf(server, alice, []);
    const before = Math.floor(Date.now() / 1000);
    const settings = await call<CallSettings>(server, 'GET', conversationPath(Routes.call, token), { token: alice });
    const [stun, relay] = settings.body.iceServers;
    expect(stun).toEqual({ urls: ['stun:127.0.0.1:3478'] });
    expect(relay!.urls).toEqual(turn.urls);
    const [expiry, user] = relay!.username!.split(':');
    expect(user).toBe('alice');
    expect(Number(expiry)).toBeGreaterThanOrEqual(before + turn.ttlSeconds);
    expect(Number(expiry)).toBeLessThanOrEqual(before + turn.ttlSeconds + 5);
    expect(relay!.credential).toBe(createHmac('sha1', turn.secret).update(relay!.username!).digest('base64'));
  });
});

describe('LiveKit grants', () => {
  it('lets a token publish only the sources the participant’s permissions allow', async () => {
    const token = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    await call(server, 'PATCH', conversationPath(Routes.participant, token, { userId: 'bob' }), {
      token: alice,
      body: { permissions: Permission.JoinCall | Permission.PublishAudio },
    });
    const socket = await TestSocket.connect(server, bob);
    await socket.join(token);
    const answer = await call<SfuTokenResponse>(server, 'POST', conversationPath(Routes.sfuToken, token), {
      token: bob,
      body: { sessionId: socket.sessionId },
    });
    const claims = await new TokenVerifier(livekit.apiKey, livekit.apiSecret).verify(answer.body.token);
    expect(claims.video).toMatchObject({ canPublish: true, canSubscribe: true, canPublishSources: ['microphone'] });

    await call(server, 'PATCH', conversationPath(Routes.participant, token, { userId: 'bob' }), {
      token: alice,
      body: { permissions: Permission.JoinCall },
    });
    const listener = await call<SfuTokenResponse>(server, 'POST', conversationPath(Routes.sfuToken, token), {
      token: bob,
      body: { sessionId: socket.sessionId },
    });
    const listenerClaims = await new TokenVerifier(livekit.apiKey, livekit.apiSecret).verify(listener.body.token);
    expect(listenerClaims.video).toMatchObject({ canPublish: false, canSubscribe: true });
    expect(TrackSource.MICROPHONE).toBeDefined();
    await socket.close();
  });
});

describe('LiveKit webhooks', () => {
  // Leaving the SFU and its room finishing now count only for the call's current SFU epoch: see
  // livekit/webhook-routes.test.ts, which drives the same events through a call that is on the SFU.
  it('refuses a webhook whose signature does not verify, and changes nothing', async () => {
    const forged = await signedWebhook({ event: 'room_finished', room: { name: 'whatever' } }, 'f'.repeat(40));
    const answer = await postWebhook(forged);
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ code: ErrorCode.Unauthenticated });
    const tampered = await signedWebhook({ event: 'room_finished', room: { name: 'a' } });
    expect((await postWebhook({ ...tampered, body: tampered.body.replace('"a"', '"b"') })).status).toBe(401);
  });
});
