import { conversationPath, ErrorCode, MAX_SIGNALING_FRAME, Permission, Routes } from '@talk/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from '../config.js';
import { call, login, startTestServer, TestSocket } from '../testing/harness.js';
import { CloseCode } from './hub.js';

let server: TalkServer;
let alice: string;
let bob: string;
let carol: string;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol] = await Promise.all([
    login(server, 'alice', 'Alice'),
    login(server, 'bob', 'Bob'),
    login(server, 'carol', 'Carol'),
  ]);
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
});
afterAll(() => server.close());

/** A conversation of alice's that the given users joined too. */
async function conversationWith(...members: string[]): Promise<string> {
  const created = await call<{ token: string }>(server, 'POST', Routes.conversations, {
    token: alice,
    body: { type: 'public', name: 'Room' },
  });
  for (const token of members) {
    await call(server, 'POST', Routes.participantSelf.replace('{token}', created.body.token), { token });
  }
  return created.body.token;
}
async function connect(token: string) {
  const socket = await TestSocket.connect(server, token);
  sockets.push(socket);
  return socket;
}
async function open() {
  const socket = await TestSocket.open(server);
  sockets.push(socket);
  return socket;
}
const offer = { kind: 'description', description: { type: 'offer', sdp: 'v=0' } } as const;

/** Puts sessions in the conversation's call, each waiting until it sees itself there. */
async function inCall(conversation: string, ...sockets: Array<TestSocket & { sessionId: string }>): Promise<void> {
  for (const socket of sockets) {
    socket.send({ type: 'call-join', conversation, media: { audio: true, video: true } });
    await socket.nextWhere('session-updated', (m) => m.session.sessionId === socket.sessionId && m.session.inCall);
  }
}

describe('hello', () => {
  it('welcomes a valid token with a session id, the user id and the upload limit, echoing the request id', async () => {
    const socket = await open();
    socket.send({ type: 'hello', id: 'h1', token: alice });
    const welcome = await socket.next('welcome');
    expect(welcome).toEqual({
      type: 'welcome',
      id: 'h1',
      sessionId: expect.any(String),
      userId: 'alice',
      maxAttachmentBytes: DEFAULT_MAX_ATTACHMENT_BYTES,
    });
  });

  it('closes with 4001 when the first message is not hello', async () => {
    const socket = await open();
    socket.send({ type: 'ping', id: 'p' });
    expect(await socket.next('error')).toMatchObject({ id: 'p', code: ErrorCode.Unauthenticated });
    expect(await socket.closed).toBe(CloseCode.Unauthenticated);
  });

  it('closes with 4001 on a hello with a bad token', async () => {
    const socket = await open();
    socket.send({ type: 'hello', token: 'forged' });
    expect(await socket.next('error')).toMatchObject({ code: ErrorCode.Unauthenticated });
    expect(await socket.closed).toBe(CloseCode.Unauthenticated);
  });

  it('refuses a second hello without closing', async () => {
    const socket = await connect(alice);
    socket.send({ type: 'hello', id: 'again', token: alice });
    expect(await socket.next('error')).toMatchObject({ id: 'again', code: ErrorCode.InvalidRequest });
    await socket.roundTrip();
  });
});

describe('presence', () => {
  it('answers join with the sessions already there and tells them who came', async () => {
    const conversation = await conversationWith(bob);
    const first = await connect(alice);
    expect(await first.join(conversation)).toEqual({ type: 'joined', conversation, sessions: [] });

    const second = await connect(bob);
    second.send({ type: 'join', id: 'j', conversation });
    const joined = await second.next('joined');
    expect(joined).toEqual({
      type: 'joined',
      id: 'j',
      conversation,
      sessions: [
        {
          sessionId: first.sessionId,
          participant: { userId: 'alice', displayName: 'Alice', role: 'owner' },
          inCall: false,
          media: { audio: false, video: false },
        },
      ],
    });
    expect(await first.next('session-joined')).toEqual({
      type: 'session-joined',
      conversation,
      session: {
        sessionId: second.sessionId,
        participant: { userId: 'bob', displayName: 'Bob', role: 'user' },
        inCall: false,
        media: { audio: false, video: false },
      },
    });
  });

  it('refuses join with forbidden to a non-participant', async () => {
    const conversation = await conversationWith();
    const socket = await connect(carol);
    socket.send({ type: 'join', id: 'nope', conversation });
    expect(await socket.next('error')).toMatchObject({ id: 'nope', code: ErrorCode.Forbidden });
  });

  it('tells the others when a session leaves or its socket closes', async () => {
    const conversation = await conversationWith(bob, carol);
    const [a, b, c] = await Promise.all([connect(alice), connect(bob), connect(carol)]);
    for (const socket of [a, b, c]) await socket.join(conversation);

    b.send({ type: 'leave', id: 'bye', conversation });
    expect(await b.next('left')).toEqual({ type: 'left', id: 'bye', conversation });
    expect(await a.next('session-left')).toEqual({ type: 'session-left', conversation, sessionId: b.sessionId });

    await c.close();
    expect(await a.next('session-left')).toEqual({ type: 'session-left', conversation, sessionId: c.sessionId });
    expect((await a.join(conversation)).sessions).toEqual([]);
  });

  it('broadcasts call-join and call-leave as session-updated to everyone, the sender included', async () => {
    const conversation = await conversationWith(bob);
    const [a, b] = await Promise.all([connect(alice), connect(bob)]);
    await a.join(conversation);
    await b.join(conversation);

    a.send({ type: 'call-join', conversation, media: { audio: true, video: false } });
    for (const socket of [a, b]) {
      expect(await socket.next('session-updated')).toMatchObject({
        conversation,
        session: { sessionId: a.sessionId, inCall: true, media: { audio: true, video: false } },
      });
    }
    a.send({ type: 'call-leave', conversation });
    expect(await b.next('session-updated')).toMatchObject({ session: { sessionId: a.sessionId, inCall: false } });
  });

  it('says not-joined for call and signal messages about a conversation the session has not joined', async () => {
    const conversation = await conversationWith();
    const socket = await connect(alice);
    socket.send({ type: 'call-join', id: 'c', conversation, media: { audio: true, video: true } });
    expect(await socket.next('error')).toMatchObject({ id: 'c', code: ErrorCode.NotJoined });
  });
});

describe('signal relay', () => {
  it("relays a signal between two sessions in the conversation's call, naming the sender", async () => {
    const conversation = await conversationWith(bob);
    const [a, b] = await Promise.all([connect(alice), connect(bob)]);
    await a.join(conversation);
    await b.join(conversation);
    await inCall(conversation, a, b);
    a.send({ type: 'signal', conversation, to: b.sessionId, payload: offer });
    expect(await b.next('signal')).toEqual({ type: 'signal', conversation, from: a.sessionId, payload: offer });

    const candidate = { kind: 'candidate', candidate: null } as const;
    b.send({ type: 'signal', conversation, to: a.sessionId, payload: candidate });
    expect(await a.next('signal')).toEqual({ type: 'signal', conversation, from: b.sessionId, payload: candidate });
  });

  it('refuses to relay across conversations, even between sessions that share another one', async () => {
    const shared = await conversationWith(bob);
    const alicesOnly = await conversationWith();
    const [a, b] = await Promise.all([connect(alice), connect(bob)]);
    await a.join(shared);
    await a.join(alicesOnly);
    await b.join(shared);

    a.send({ type: 'signal', id: 's1', conversation: alicesOnly, to: b.sessionId, payload: offer });
    expect(await a.next('error')).toMatchObject({ id: 's1', code: ErrorCode.NotFound });
    b.send({ type: 'signal', id: 's2', conversation: alicesOnly, to: a.sessionId, payload: offer });
    expect(await b.next('error')).toMatchObject({ id: 's2', code: ErrorCode.NotJoined });
    await Promise.all([a.roundTrip(), b.roundTrip()]);
    expect([...a.pending('signal'), ...b.pending('signal')]).toEqual([]);
  });

  it('refuses signals of a member outside the call to a session in it, and never delivers them', async () => {
    const conversation = await conversationWith(bob, carol);
    // Carol may chat but not call: she cannot join the call, so she must not receive its media either.
    await call(server, 'PATCH', conversationPath(Routes.participant, conversation, { userId: 'carol' }), {
      token: alice,
      body: { permissions: Permission.Chat },
    });
    const [a, b, c] = await Promise.all([connect(alice), connect(bob), connect(carol)]);
    for (const socket of [a, b, c]) await socket.join(conversation);
    await inCall(conversation, a);
    c.send({ type: 'call-join', id: 'c-join', conversation, media: { audio: false, video: false } });
    expect(await c.next('error')).toMatchObject({ id: 'c-join', code: ErrorCode.Forbidden });

    // An offer from outside the call would have alice's browser answer it with her camera, microphone and addresses.
    c.send({ type: 'signal', id: 'c-offer', conversation, to: a.sessionId, payload: offer });
    expect(await c.next('error')).toMatchObject({ id: 'c-offer', code: ErrorCode.Forbidden });
    b.send({ type: 'signal', id: 'b-offer', conversation, to: a.sessionId, payload: offer });
    expect(await b.next('error')).toMatchObject({ id: 'b-offer', code: ErrorCode.Forbidden });
    // Nor does anything from inside the call reach them.
    const candidate = { kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 192.0.2.7 5000 typ host' } };
    a.send({ type: 'signal', id: 'to-c', conversation, to: c.sessionId, payload: candidate });
    expect(await a.next('error')).toMatchObject({ id: 'to-c', code: ErrorCode.NotFound });
    a.send({ type: 'signal', id: 'to-b', conversation, to: b.sessionId, payload: candidate });
    expect(await a.next('error')).toMatchObject({ id: 'to-b', code: ErrorCode.NotFound });

    await Promise.all([a.roundTrip(), b.roundTrip(), c.roundTrip()]);
    expect([...a.pending('signal'), ...b.pending('signal'), ...c.pending('signal')]).toEqual([]);
  });

  it('stops relaying to and from a session whose call permission is revoked or that left the call', async () => {
    const conversation = await conversationWith(bob, carol);
    const [a, b, c] = await Promise.all([connect(alice), connect(bob), connect(carol)]);
    for (const socket of [a, b, c]) await socket.join(conversation);
    await inCall(conversation, a, b, c);
    a.send({ type: 'signal', conversation, to: b.sessionId, payload: offer });
    expect(await b.next('signal')).toMatchObject({ from: a.sessionId });

    const revoked = await call(server, 'PATCH', conversationPath(Routes.participant, conversation, { userId: 'bob' }), {
      token: alice,
      body: { permissions: Permission.Chat },
    });
    expect(revoked.status).toBe(200);
    b.send({ type: 'signal', id: 'b-after', conversation, to: a.sessionId, payload: offer });
    expect(await b.next('error')).toMatchObject({ id: 'b-after', code: ErrorCode.Forbidden });
    a.send({ type: 'signal', id: 'a-to-b', conversation, to: b.sessionId, payload: offer });
    expect(await a.next('error')).toMatchObject({ id: 'a-to-b', code: ErrorCode.NotFound });

    c.send({ type: 'call-leave', conversation });
    await a.nextWhere('session-updated', (m) => m.session.sessionId === c.sessionId && !m.session.inCall);
    c.send({ type: 'signal', id: 'c-after', conversation, to: a.sessionId, payload: offer });
    expect(await c.next('error')).toMatchObject({ id: 'c-after', code: ErrorCode.Forbidden });

    await Promise.all([a.roundTrip(), b.roundTrip(), c.roundTrip()]);
    expect([...a.pending('signal'), ...b.pending('signal'), ...c.pending('signal')]).toEqual([]);
  });
});

describe('robustness', () => {
  it('answers invalid JSON and schema-invalid frames with invalid-request while another session keeps working', async () => {
    const conversation = await conversationWith(bob);
    const [a, b] = await Promise.all([connect(alice), connect(bob)]);
    await a.join(conversation);
    await b.join(conversation);

    a.send('{not json');
    const unparsable = await a.next('error');
    expect(unparsable.code).toBe(ErrorCode.InvalidRequest);
    expect(unparsable).not.toHaveProperty('id');
    a.send({ type: 'join', id: 'bad', conversation: 42 });
    expect(await a.next('error')).toMatchObject({ id: 'bad', code: ErrorCode.InvalidRequest });
    a.send({ type: 'signal', id: 'bad-payload', conversation, to: b.sessionId, payload: { kind: 'sdp' } });
    expect(await a.next('error')).toMatchObject({ id: 'bad-payload', code: ErrorCode.InvalidRequest });
    a.send({ type: 'teleport', id: 'what' });
    expect(await a.next('error')).toMatchObject({ id: 'what', code: ErrorCode.InvalidRequest });

    await inCall(conversation, a, b);
    b.send({ type: 'signal', conversation, to: a.sessionId, payload: offer });
    expect(await a.next('signal')).toMatchObject({ from: b.sessionId });
    await a.roundTrip();
    expect(a.closeCode).toBeUndefined();
  });

  it('closes a socket that sends a frame over MAX_SIGNALING_FRAME, and only that one', async () => {
    const conversation = await conversationWith(bob);
    const [a, b] = await Promise.all([connect(alice), connect(bob)]);
    await a.join(conversation);
    await b.join(conversation);
    a.send({ type: 'ping', id: 'x'.repeat(MAX_SIGNALING_FRAME) });
    expect(await a.closed).toBe(1009);
    expect(await b.next('session-left')).toEqual({ type: 'session-left', conversation, sessionId: a.sessionId });
    await b.roundTrip();
  });

  it('answers ping with pong', async () => {
    const socket = await connect(alice);
    socket.send({ type: 'ping', id: 'p1' });
    expect(await socket.next('pong')).toEqual({ type: 'pong', id: 'p1' });
  });
});

describe('shutdown', () => {
  it('closes every socket with 1001 going-away when the server closes', async () => {
    const own = await startTestServer();
    const token = await login(own, 'alice', 'Alice');
    const socket = await TestSocket.connect(own, token);
    await own.close();
    expect(await socket.closed).toBe(CloseCode.GoingAway);
  });
});
