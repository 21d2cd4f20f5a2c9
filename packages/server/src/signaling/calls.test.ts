import { type CallSettings, type ChatMessage, conversationPath, ErrorCode, Permission, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, conversationOf, login, startTestServer, TestSocket } from '../testing/harness.js';

const people = ['bob', 'carol', 'dave', 'erin', 'frank'].map((id) => ({ userId: id, displayName: id.toUpperCase() }));
// Tokens are only minted, never used against a LiveKit server here.
const livekit = { url: 'ws://127.0.0.1:1', apiKey: 'devkey', apiSecret: 'x'.repeat(32) };

/** A server, the owner's token, one token per other person, and a conversation with all of them. */
async function setUp(server: TalkServer) {
  const alice = await login(server, 'alice', 'Alice');
  const others = await Promise.all(people.map((p) => login(server, p.userId, p.displayName)));
  const conversation = await conversationOf(server, alice, people);
  const tokens = [alice, ...others];
  const sockets = await Promise.all(tokens.map((token) => TestSocket.connect(server, token)));
  for (const socket of sockets) await socket.join(conversation);
  return { conversation, tokens, sockets };
}

const media = { audio: true, video: true };

describe('call topology', () => {
  let server: TalkServer;
  beforeAll(async () => {
    server = await startTestServer({ livekit, topology: { sfuFrom: 5, meshAtMost: 3, downgradeDelayMs: 300 } });
  });
  afterAll(() => server.close());

  it('starts mesh, moves everyone to the SFU at 5 in call, and back to mesh at 3 only after the delay', async () => {
    const { conversation, sockets, tokens } = await setUp(server);
    const watcher = sockets[5]!; // joined, never in the call
    sockets[0]!.send({ type: 'call-join', conversation, media });
    expect(await watcher.next('call-started')).toEqual({
      type: 'call-started',
      conversation,
      sessionId: sockets[0]!.sessionId,
    });
    expect(await watcher.next('call-topology')).toEqual({
      type: 'call-topology',
      conversation,
      topology: 'mesh',
      reason: 'call-started',
      inCall: 1,
    });
    for (const socket of sockets.slice(1, 4)) socket.send({ type: 'call-join', conversation, media });
    await Promise.all(sockets.slice(1, 4).map((socket) => socket.roundTrip()));
    // A fifth would take the call to the SFU: its settings say so, so that its media starts there.
    const settings = await call<CallSettings>(server, 'GET', conversationPath(Routes.call, conversation), {
      token: tokens[4],
    });
    expect(settings.body).toMatchObject({ topology: 'mesh', joinTopology: 'sfu' });
    await watcher.roundTrip();
    sockets[4]!.send({ type: 'call-join', conversation, media });
    await sockets[4]!.roundTrip();
    await watcher.roundTrip();
    // The others hear of the SFU before they hear of the newcomer, so none of them builds a mesh path to it.
    const order = watcher
      .received()
      .filter(
        (m) => m.type === 'call-topology' || (m.type === 'session-updated' && m.session.participant.userId === 'erin'),
      )
      .map((m) => m.type);
    expect(order).toEqual(['call-topology', 'session-updated']);
    expect(await watcher.next('call-topology')).toMatchObject({ topology: 'sfu', reason: 'grew', inCall: 5 });
    expect(watcher.pending('call-topology')).toEqual([]); // 2, 3 and 4 in call changed nothing

    // Taken before the leaves are sent: the server starts its delay on receiving them, never earlier.
    const left = Date.now();
    sockets[4]!.send({ type: 'call-leave', conversation });
    sockets[3]!.send({ type: 'call-leave', conversation });
    await Promise.all([sockets[4]!.roundTrip(), sockets[3]!.roundTrip()]);
    const back = await watcher.next('call-topology', 3_000);
    expect(back).toMatchObject({ topology: 'mesh', reason: 'shrank', inCall: 3 });
    expect(Date.now() - left).toBeGreaterThanOrEqual(250);
    await Promise.all(sockets.map((s) => s.close()));
  });

  it('tells a session that joins a running call its topology, and says call-ended when the last one leaves', async () => {
    const { conversation, sockets } = await setUp(server);
    const [a, b] = sockets;
    a!.send({ type: 'call-join', conversation, media });
    await a!.next('call-topology');
    expect(await b!.next('call-topology')).toMatchObject({ topology: 'mesh', inCall: 1 }); // the call started
    b!.send({ type: 'call-join', conversation, media });
    expect(await b!.next('call-topology')).toMatchObject({ topology: 'mesh', inCall: 2 }); // for b alone
    a!.send({ type: 'call-leave', conversation });
    b!.send({ type: 'call-leave', conversation });
    expect(await sockets[5]!.next('call-ended')).toEqual({ type: 'call-ended', conversation });
    const history = await call<ChatMessage[]>(
      server,
      'GET',
      `${conversationPath(Routes.messages, conversation)}?system=true`,
      {
        token: await login(server, 'alice', 'Alice'),
      },
    );
    expect(history.body.map((m) => m.systemType)).toEqual(['conversation-created', 'call-started', 'call-ended']);
    await Promise.all(sockets.map((s) => s.close()));
  });

  it('follows thresholds a moderator sets for the conversation', async () => {
    const { conversation, sockets, tokens } = await setUp(server);
    const patched = await call(server, 'PATCH', conversationPath(Routes.conversation, conversation), {
      token: tokens[0],
      body: { sfuFrom: 2, meshAtMost: 1 },
    });
    expect(patched.status).toBe(200);
    sockets[0]!.send({ type: 'call-join', conversation, media });
    expect(await sockets[5]!.next('call-topology')).toMatchObject({ topology: 'mesh', reason: 'call-started' });
    sockets[1]!.send({ type: 'call-join', conversation, media });
    expect(await sockets[5]!.next('call-topology')).toMatchObject({ topology: 'sfu', reason: 'grew', inCall: 2 });
    await Promise.all(sockets.map((s) => s.close()));
  });
});

describe('call topology without an SFU', () => {
  let server: TalkServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('keeps a call of 5 mesh and says there is no SFU', async () => {
    const { conversation, sockets } = await setUp(server);
    // The call starts first: five joining at once may all be counted by its first decision, which then says no-sfu.
    sockets[0]!.send({ type: 'call-join', conversation, media });
    expect(await sockets[5]!.next('call-topology')).toMatchObject({ topology: 'mesh', reason: 'call-started' });
    for (const socket of sockets.slice(1, 5)) socket.send({ type: 'call-join', conversation, media });
    expect(await sockets[5]!.next('call-topology')).toMatchObject({ topology: 'mesh', reason: 'no-sfu', inCall: 5 });
    await Promise.all(sockets.map((s) => s.close()));
  });
});

describe('call permissions, raised hands and typing', () => {
  let server: TalkServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('refuses media and calls a participant is not permitted, and allows what is', async () => {
    const { conversation, sockets, tokens } = await setUp(server);
    const listener = Permission.JoinCall | Permission.PublishAudio | Permission.Chat;
    const set = await call(server, 'PATCH', conversationPath(Routes.participant, conversation, { userId: 'bob' }), {
      token: tokens[0],
      body: { permissions: listener },
    });
    expect(set).toMatchObject({
      status: 200,
      body: { userId: 'bob', permissions: listener, permissionOverride: listener },
    });
    const bob = sockets[1]!;
    bob.send({ type: 'call-join', id: 'start', conversation, media: { audio: true, video: false } });
    expect(await bob.next('error')).toMatchObject({ id: 'start', code: ErrorCode.Forbidden }); // may not start one
    sockets[0]!.send({ type: 'call-join', conversation, media });
    await sockets[0]!.next('call-topology');
    bob.send({ type: 'call-join', id: 'video', conversation, media: { audio: true, video: true } });
    expect(await bob.next('error')).toMatchObject({ id: 'video', code: ErrorCode.Forbidden });
    bob.send({ type: 'call-join', id: 'audio', conversation, media: { audio: true, video: false } });
    const seen = await sockets[0]!.nextWhere('session-updated', (m) => m.session.sessionId === bob.sessionId);
    expect(seen.session).toMatchObject({ inCall: true, media: { audio: true, video: false } });
    await Promise.all(sockets.map((s) => s.close()));
  });

  it('shows a raised hand to everyone and relays typing to the others only', async () => {
    const { conversation, sockets } = await setUp(server);
    const [a, b] = sockets;
    a!.send({ type: 'raise-hand', id: 'early', conversation, raised: true });
    expect(await a!.next('error')).toMatchObject({ id: 'early', code: ErrorCode.InvalidRequest });
    a!.send({ type: 'call-join', conversation, media });
    await a!.next('call-topology');
    a!.send({ type: 'raise-hand', conversation, raised: true });
    await b!.next('session-updated');
    expect(await b!.next('session-updated')).toMatchObject({ session: { sessionId: a!.sessionId, handRaised: true } });

    b!.send({ type: 'typing', conversation, typing: true });
    expect(await a!.next('typing')).toEqual({
      type: 'typing',
      conversation,
      sessionId: b!.sessionId,
      userId: 'bob',
      displayName: 'BOB',
      typing: true,
    });
    await b!.roundTrip();
    expect(b!.pending('typing')).toEqual([]);
    await Promise.all(sockets.map((s) => s.close()));
  });
});
