import { createHash } from 'node:crypto';
import { conversationPath, Routes } from '@talk/protocol';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, conversationOf, login, startTestServer, TestSocket } from '../testing/harness.js';

// Nothing listens there: the SFU guard's calls to LiveKit fail, which must not stop the webhooks' own work.
const livekit = { url: 'ws://127.0.0.1:1', apiKey: 'devkey', apiSecret: 's'.repeat(40) };

let server: TalkServer;
let alice: string;
let bob: string;
let carol: string;
beforeAll(async () => {
  // Two in the call are on the SFU; one alone goes back to the mesh at once.
  server = await startTestServer({ livekit, topology: { sfuFrom: 2, meshAtMost: 1, downgradeDelayMs: 0 } });
  [alice, bob, carol] = await Promise.all([
    login(server, 'alice', 'Alice'),
    login(server, 'bob', 'Bob'),
    login(server, 'carol', 'Carol'),
  ]);
});
afterAll(() => server.close());

let events = 0;
/** Posts a webhook signed the way LiveKit signs them, with a fresh event id unless one is given. */
async function webhook(event: Record<string, unknown>): Promise<number> {
  const body = JSON.stringify({ id: `EV_${++events}`, createdAt: String(Math.floor(Date.now() / 1000)), ...event });
  const token = new AccessToken(livekit.apiKey, livekit.apiSecret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  const response = await fetch(server.url + Routes.livekitWebhook, {
    method: 'POST',
    headers: { 'content-type': 'application/webhook+json', authorization: await token.toJwt() },
    body,
  });
  return response.status;
}

/** A LiveKit participant of a session's connection number `connection`, with the epoch its token was for. */
const since = Date.now();
function participant(sessionId: string, epoch: number, connection = 1) {
  return {
    identity: sessionId,
    sid: `PA_${sessionId}_${connection}`,
    joinedAtMs: String(since + connection * 1000),
    metadata: JSON.stringify({ userId: 'x', epoch }),
  };
}

/** A conversation of alice's with bob and carol, each with a socket joined to it. */
async function world() {
  const token = await conversationOf(server, alice, [
    { userId: 'bob', displayName: 'Bob' },
    { userId: 'carol', displayName: 'Carol' },
  ]);
  const sockets = await Promise.all([alice, bob, carol].map((user) => TestSocket.connect(server, user)));
  for (const socket of sockets) await socket.join(token);
  type Joined = TestSocket & { sessionId: string };
  const [a, b, c] = sockets as [Joined, Joined, Joined];
  return { token, a, b, c, close: () => Promise.all(sockets.map((socket) => socket.close())) };
}

/** Puts a session in the call and waits until `watcher` sees it there. */
async function joinCall(token: string, socket: TestSocket & { sessionId: string }, watcher: TestSocket) {
  socket.send({ type: 'call-join', conversation: token, media: { audio: true, video: true } });
  await watcher.nextWhere('session-updated', (m) => m.session.sessionId === socket.sessionId && m.session.inCall);
}

describe('LiveKit webhooks and the SFU epoch', () => {
  it('take a session out of the call when LiveKit says it left the current SFU epoch, and end it when the room finishes', async () => {
    const { token, a, b, close } = await world();
    await joinCall(token, a, b);
    await joinCall(token, b, a);
    await a.nextWhere('call-topology', (m) => m.topology === 'sfu');
    expect(
      await webhook({ event: 'participant_left', room: { name: token }, participant: participant(a.sessionId, 1) }),
    ).toBe(204);
    const update = await b.nextWhere(
      'session-updated',
      (m) => m.session.sessionId === a.sessionId && !m.session.inCall,
    );
    expect(update.session.media).toEqual({ audio: false, video: false });
    await joinCall(token, a, b);
    await a.nextWhere('call-topology', (m) => m.topology === 'sfu');
    // The call moved to the SFU a second time: epoch 2, and its room is a fresh one.
    const room = { name: token, creationTimeMs: String(Date.now()) };
    expect(await webhook({ event: 'room_finished', room })).toBe(204);
    expect(await a.next('call-ended')).toEqual({ type: 'call-ended', conversation: token });
    await close();
  });

  it('leave the mesh call alone once it moved back from the SFU, whatever LiveKit says of the SFU epoch', async () => {
    const { token, a, b, c, close } = await world();
    await joinCall(token, a, c);
    await joinCall(token, b, c);
    await c.nextWhere('call-topology', (m) => m.topology === 'sfu');
    b.send({ type: 'call-leave', conversation: token });
    await c.nextWhere('call-topology', (m) => m.topology === 'mesh');
    // Alice left the SFU for the mesh; LiveKit reports her gone and, later, the room finished.
    const created = String(Date.now() - 5_000);
    expect(
      await webhook({ event: 'participant_left', room: { name: token }, participant: participant(a.sessionId, 1) }),
    ).toBe(204);
    expect(await webhook({ event: 'room_finished', room: { name: token, creationTimeMs: created } })).toBe(204);
    await c.roundTrip();
    const settings = await call<{ topology: string }>(server, 'GET', conversationPath(Routes.call, token), {
      token: alice,
    });
    expect(settings.body.topology).toBe('mesh');
    expect(c.pending('call-ended')).toEqual([]);
    expect(c.pending('session-updated').filter((m) => m.type === 'session-updated' && !m.session.inCall)).toHaveLength(
      1,
    );
    await close();
  });

  it('count a retried event once, and ignore what comes late about a connection its reconnect replaced', async () => {
    const { token, a, b, c, close } = await world();
    await joinCall(token, a, c);
    await joinCall(token, b, c);
    await c.nextWhere('call-topology', (m) => m.topology === 'sfu');
    // Three in the call: with one out it stays on the SFU.
    await joinCall(token, c, a);
    const room = { name: token };
    // Bob's first connection drops and he reconnects; the old connection's "left" is delivered after the "joined".
    expect(await webhook({ event: 'participant_joined', room, participant: participant(b.sessionId, 1, 2) })).toBe(204);
    expect(await webhook({ event: 'participant_left', room, participant: participant(b.sessionId, 1, 1) })).toBe(204);
    // A retried "left" of alice counts once: her "joined" after it brings her back.
    const left = { id: 'EV_retried', event: 'participant_left', room, participant: participant(a.sessionId, 1, 1) };
    expect(await webhook(left)).toBe(204);
    await c.nextWhere('session-updated', (m) => m.session.sessionId === a.sessionId && !m.session.inCall);
    expect(await webhook({ event: 'participant_joined', room, participant: participant(a.sessionId, 1, 2) })).toBe(204);
    await c.nextWhere('session-updated', (m) => m.session.sessionId === a.sessionId && m.session.inCall);
    expect(await webhook(left)).toBe(204);
    await c.roundTrip();
    const outs = c
      .pending('session-updated')
      .filter((m) => m.type === 'session-updated' && !m.session.inCall && m.session.sessionId !== c.sessionId);
    expect(outs).toHaveLength(0);
    await close();
  });
});

describe('LiveKit webhooks and the rules', () => {
  it('do not put a session the lobby holds back in the call when its LiveKit connection returns', async () => {
    const { token, a, b, c, close } = await world();
    await joinCall(token, a, c);
    await joinCall(token, b, c);
    await c.nextWhere('call-topology', (m) => m.topology === 'sfu');
    expect(
      (
        await call(server, 'PATCH', conversationPath(Routes.conversation, token), {
          token: alice,
          body: { lobby: true },
        })
      ).status,
    ).toBe(200);
    await a.nextWhere('session-updated', (m) => m.session.sessionId === b.sessionId && !m.session.inCall);
    // Bob's token was minted before the lobby closed; he reconnects to LiveKit with it.
    const joined = { event: 'participant_joined', room: { name: token }, participant: participant(b.sessionId, 1, 2) };
    expect(await webhook(joined)).toBe(204);
    await a.roundTrip();
    expect(a.pending('session-updated').filter((m) => m.type === 'session-updated' && m.session.inCall)).toEqual([]);
    await close();
  });
});
