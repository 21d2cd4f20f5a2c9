import { type CallSettings, conversationPath, ErrorCode, Routes, type SfuTokenResponse } from '@talk/protocol';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, login, startTestServer, TestSocket } from '../testing/harness.js';

const livekit = { url: 'ws://127.0.0.1:7880', apiKey: 'devkey', apiSecret: 'a-livekit-secret-of-enough-length-000' };
let server: TalkServer | undefined;
const sockets: TestSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  await server?.close();
  server = undefined;
});

async function setUp(options: Parameters<typeof startTestServer>[0]) {
  const running = await startTestServer(options);
  server = running;
  const [alice, bob] = await Promise.all([login(running, 'alice', 'Alice'), login(running, 'bob', 'Bob')]);
  const created = await call<{ token: string }>(running, 'POST', Routes.conversations, {
    token: alice,
    body: { type: 'public', name: 'Call' },
  });
  const conversation = created.body.token;
  const sfuToken = (token: string, sessionId: string) =>
    call<SfuTokenResponse>(running, 'POST', conversationPath(Routes.sfuToken, conversation), {
      token,
      body: { sessionId },
    });
  return { server: running, alice, bob, conversation, sfuToken };
}

describe('call settings', () => {
  it('hands out the configured STUN servers, SFU URL and bitrate cap', async () => {
    const { server, alice, conversation } = await setUp({ stunUrls: ['stun:stun.example:3478'], livekit });
    const settings = await call<CallSettings>(server, 'GET', conversationPath(Routes.call, conversation), {
      token: alice,
    });
    expect(settings).toEqual({
      status: 200,
      body: {
        iceServers: [{ urls: ['stun:stun.example:3478'] }],
        sfuUrl: livekit.url,
        maxVideoBitrate: 1_000_000,
        topology: 'mesh',
        joinTopology: 'mesh',
        sfuFrom: 5,
      },
    });
  });

  it("gives the conversation's own SFU threshold, for clients to get ready one short of it", async () => {
    const { server, alice, conversation } = await setUp({ livekit });
    await call(server, 'PATCH', conversationPath(Routes.conversation, conversation), {
      token: alice,
      body: { sfuFrom: 3 },
    });
    const settings = await call<CallSettings>(server, 'GET', conversationPath(Routes.call, conversation), {
      token: alice,
    });
    expect(settings.body.sfuFrom).toBe(3);
  });

  it('has no ICE servers and no SFU when none are configured', async () => {
    const { server, alice, conversation } = await setUp({ maxVideoBitrate: 300_000 });
    const settings = await call<CallSettings>(server, 'GET', conversationPath(Routes.call, conversation), {
      token: alice,
    });
    expect(settings.body).toEqual({
      iceServers: [],
      sfuUrl: null,
      maxVideoBitrate: 300_000,
      topology: 'mesh',
      joinTopology: 'mesh',
    });
  });
});

describe('SFU tokens', () => {
  it('answers 503 disabled without LiveKit', async () => {
    const { server, alice, conversation, sfuToken } = await setUp({});
    const socket = await TestSocket.connect(server, alice);
    sockets.push(socket);
    await socket.join(conversation);
    expect(await sfuToken(alice, socket.sessionId)).toEqual({
      status: 503,
      body: { status: 503, code: ErrorCode.Disabled, message: expect.any(String) },
    });
  });

  it('mints a LiveKit token for the caller’s joined session: identity = session, room = conversation', async () => {
    const { server, alice, conversation, sfuToken } = await setUp({ livekit });
    const socket = await TestSocket.connect(server, alice);
    sockets.push(socket);
    await socket.join(conversation);

    const answer = await sfuToken(alice, socket.sessionId);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ url: livekit.url, room: conversation, identity: socket.sessionId });
    const claims = await new TokenVerifier(livekit.apiKey, livekit.apiSecret).verify(answer.body.token);
    expect(claims.sub).toBe(socket.sessionId);
    expect(claims.name).toBe('Alice');
    // No call on the SFU yet: the token is for the first SFU epoch, the one the call moves onto next.
    expect(JSON.parse(claims.metadata ?? '{}')).toEqual({ userId: 'alice', epoch: 1 });
    expect(claims.video).toMatchObject({ room: conversation, roomJoin: true, canPublish: true, canSubscribe: true });
    await expect(new TokenVerifier(livekit.apiKey, 'wrong-secret').verify(answer.body.token)).rejects.toThrow();
  });

  it('refuses with 403 a session that is someone else’s, not joined, or unknown', async () => {
    const { server, alice, bob, conversation, sfuToken } = await setUp({ livekit });
    await call(server, 'POST', conversationPath(Routes.participantSelf, conversation), { token: bob });
    const alices = await TestSocket.connect(server, alice);
    const bobs = await TestSocket.connect(server, bob);
    sockets.push(alices, bobs);
    await alices.join(conversation);

    for (const [token, sessionId] of [
      [bob, alices.sessionId], // someone else's
      [bob, bobs.sessionId], // not joined
      [alice, 'no-such-session'],
    ] as const) {
      const answer = await sfuToken(token, sessionId);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ code: ErrorCode.Forbidden });
    }
    await alices.close();
    // The server ends the session after its own close handler's database write, a moment after the client closed.
    await expect.poll(async () => (await sfuToken(alice, alices.sessionId)).status, { timeout: 10_000 }).toBe(403); // no longer live
  });
});
