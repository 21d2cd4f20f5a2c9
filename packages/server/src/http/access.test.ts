import { request as httpRequest } from 'node:http';
import {
  type Attachment,
  type ChatMessage,
  type Conversation,
  conversationPath,
  type GuestJoinResponse,
  type Participant,
  Routes,
  type ServerMessage,
} from '@talk/protocol';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, login, startTestServer, TestSocket } from '../testing/harness.js';

/**
 * Every REST endpoint and every signaling message, tried by every role, with the outcome each must get. The
 * tables are compared whole, so a failure shows every cell that differs.
 */
const ROLES = ['owner', 'moderator', 'user', 'guest', 'outsider', 'none'] as const;
type Role = (typeof ROLES)[number];

const livekit = { url: 'ws://127.0.0.1:1', apiKey: 'devkey', apiSecret: 'k'.repeat(40) };
let server: TalkServer;
const users: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  server = await startTestServer({ livekit });
  users.owner = await login(server, 'owen', 'Owen');
  users.moderator = await login(server, 'mona', 'Mona');
  users.user = await login(server, 'ursula', 'Ursula');
  users.outsider = await login(server, 'olga', 'Olga');
  await login(server, 'carol', 'Carol');
});
afterAll(() => server.close());

/** A public conversation with one participant of each role, a message by the owner and one by carol, and a file. */
interface World {
  token: string;
  tokens: Record<Role, string | undefined>;
  ownersMessage: number;
  carolsMessage: number;
  attachment: string;
}

async function world(): Promise<World> {
  const owner = users.owner!;
  const created = await call<Conversation>(server, 'POST', Routes.conversations, {
    token: owner,
    body: {
      type: 'public',
      name: 'Access',
      participants: [
        { userId: 'mona', displayName: 'Mona' },
        { userId: 'ursula', displayName: 'Ursula' },
        { userId: 'carol', displayName: 'Carol' },
      ],
    },
  });
  const token = created.body.token;
  await call(server, 'PATCH', conversationPath(Routes.participant, token, { userId: 'mona' }), {
    token: owner,
    body: { role: 'moderator' },
  });
  const guest = await call<GuestJoinResponse>(server, 'POST', conversationPath(Routes.guests, token), {
    body: { displayName: 'Gwen' },
  });
  const carol = await login(server, 'carol', 'Carol');
  const post = (who: string, ref: string) =>
    call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, token), {
      token: who,
      body: { message: ref, referenceId: ref },
    });
  const ownersMessage = (await post(owner, 'owner-message')).body.id;
  const carolsMessage = (await post(carol, 'carol-message')).body.id;
  const upload = await fetch(server.url + conversationPath(Routes.attachments, token), {
    method: 'POST',
    headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/octet-stream' },
    body: 'some text',
  });
  const attachment = ((await upload.json()) as Attachment).id;
  return {
    token,
    tokens: { ...users, guest: guest.body.token, none: undefined } as Record<Role, string | undefined>,
    ownersMessage,
    carolsMessage,
    attachment,
  };
}

type Operation = (w: World, role: Role) => Promise<number>;
const rest =
  (
    method: string,
    route: string,
    body?: (w: World, role: Role) => unknown,
    params?: (w: World) => Record<string, string | number>,
  ): Operation =>
  async (w, role) =>
    (
      await call(server, method, conversationPath(route, w.token, params?.(w) ?? {}), {
        token: w.tokens[role],
        body: body?.(w, role),
      })
    ).status;

const message = (w: World) => ({ messageId: w.ownersMessage });
/** [operation, fresh world per role (it changes the world), expected status for owner … none]. */
const endpoints: Record<string, [Operation, boolean, number[]]> = {
  'GET conversations': [
    async (w, r) => (await call(server, 'GET', Routes.conversations, { token: w.tokens[r] })).status,
    false,
    [200, 200, 200, 200, 200, 401],
  ],
  'POST conversations': [
    async (w, r) =>
      (await call(server, 'POST', Routes.conversations, { token: w.tokens[r], body: { type: 'group', name: 'x' } }))
        .status,
    false,
    [201, 201, 201, 403, 201, 401],
  ],
  'GET conversation': [rest('GET', Routes.conversation), false, [200, 200, 200, 200, 404, 401]],
  'PATCH conversation': [
    rest('PATCH', Routes.conversation, () => ({ description: 'd' })),
    false,
    [200, 200, 403, 403, 404, 401],
  ],
  'DELETE conversation': [rest('DELETE', Routes.conversation), true, [204, 204, 403, 403, 404, 401]],
  'GET participants': [rest('GET', Routes.participants), false, [200, 200, 200, 200, 404, 401]],
  'POST participants': [
    rest('POST', Routes.participants, (_w, r) => ({ userId: `new-${r}`, displayName: 'New' })),
    false,
    [201, 201, 403, 403, 404, 401],
  ],
  'PATCH participant': [
    rest(
      'PATCH',
      Routes.participant,
      () => ({ permissions: 63 }),
      () => ({ userId: 'carol' }),
    ),
    false,
    [200, 200, 403, 403, 404, 401],
  ],
  'DELETE participant': [
    rest('DELETE', Routes.participant, undefined, () => ({ userId: 'carol' })),
    true,
    [204, 204, 403, 403, 404, 401],
  ],
  // Joining a public conversation is open to any signed-in user: the outsider gets in.
  'POST participants/self': [rest('POST', Routes.participantSelf), true, [200, 200, 200, 200, 201, 401]],
  'DELETE participants/self': [rest('DELETE', Routes.participantSelf), true, [204, 204, 204, 204, 404, 401]],
  // The guest link needs no token by design.
  'POST guests': [
    rest('POST', Routes.guests, () => ({ displayName: 'Another' })),
    false,
    [201, 201, 201, 201, 201, 201],
  ],
  'GET messages': [rest('GET', Routes.messages), false, [200, 200, 200, 200, 404, 401]],
  'POST messages': [
    rest('POST', Routes.messages, (_w, r) => ({ message: 'hi', referenceId: `m-${r}` })),
    false,
    [201, 201, 201, 201, 404, 401],
  ],
  'PATCH message (the owner’s)': [
    rest('PATCH', Routes.message, () => ({ message: 'edited' }), message),
    false,
    [200, 403, 403, 403, 404, 401],
  ],
  'DELETE message (carol’s)': [
    rest('DELETE', Routes.message, undefined, (w) => ({ messageId: w.carolsMessage })),
    true,
    [200, 200, 403, 403, 404, 401],
  ],
  'GET reactions': [rest('GET', Routes.reactions, undefined, message), false, [200, 200, 200, 200, 404, 401]],
  'POST reactions': [
    rest('POST', Routes.reactions, () => ({ reaction: '🎉' }), message),
    false,
    [201, 201, 201, 201, 404, 401],
  ],
  'DELETE reactions': [
    rest('DELETE', Routes.reactions, () => ({ reaction: '🎉' }), message),
    false,
    [200, 200, 200, 200, 404, 401],
  ],
  'POST read marker': [
    rest('POST', Routes.readMarker, (w) => ({ lastReadMessageId: w.carolsMessage })),
    false,
    [204, 204, 204, 204, 404, 401],
  ],
  'POST attachments': [
    async (w, r) => {
      const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
      if (w.tokens[r]) headers.authorization = `Bearer ${w.tokens[r]}`;
      return (
        await fetch(server.url + conversationPath(Routes.attachments, w.token), { method: 'POST', headers, body: 'x' })
      ).status;
    },
    false,
    [201, 201, 201, 201, 404, 401],
  ],
  'GET attachment': [
    async (w, r) => {
      const path = conversationPath(Routes.attachment, w.token, { attachmentId: w.attachment });
      const headers: Record<string, string> = w.tokens[r] ? { authorization: `Bearer ${w.tokens[r]}` } : {};
      return (await fetch(server.url + path, { headers })).status; // the body is the file, not JSON
    },
    false,
    [200, 200, 200, 200, 404, 401],
  ],
  'GET call': [rest('GET', Routes.call), false, [200, 200, 200, 200, 404, 401]],
  'POST sfu-token (own joined session)': [
    async (w, r) => {
      let sessionId = 'none';
      let socket: TestSocket | undefined;
      if (w.tokens[r] && r !== 'outsider') {
        socket = await TestSocket.connect(server, w.tokens[r]!);
        await socket.join(w.token);
        sessionId = (socket as TestSocket & { sessionId: string }).sessionId;
      }
      const status = (
        await call(server, 'POST', conversationPath(Routes.sfuToken, w.token), {
          token: w.tokens[r],
          body: { sessionId },
        })
      ).status;
      await socket?.close();
      return status;
    },
    false,
    [200, 200, 200, 200, 404, 401],
  ],
  // Public by design: dev tokens (dev mode is on here), health, metrics and the API description.
  'POST dev tokens': [
    async (w, r) =>
      (
        await call(server, 'POST', Routes.devTokens, {
          token: w.tokens[r],
          body: { userId: 'dev', displayName: 'Dev' },
        })
      ).status,
    false,
    [201, 201, 201, 201, 201, 201],
  ],
  'GET healthz, metrics, openapi.json': [
    async () => {
      const statuses = await Promise.all(
        [Routes.health, Routes.metrics, Routes.openapi].map(async (path) => (await fetch(server.url + path)).status),
      );
      return statuses.every((status) => status === 200) ? 200 : Math.max(...statuses);
    },
    false,
    [200, 200, 200, 200, 200, 200],
  ],
  'POST livekit webhook (unsigned)': [
    async () => (await fetch(server.url + Routes.livekitWebhook, { method: 'POST', body: '{}' })).status,
    false,
    [401, 401, 401, 401, 401, 401],
  ],
  'GET mentions': [rest('GET', `${Routes.mentionSuggestions}?search=c`), false, [200, 200, 200, 200, 404, 401]],
  'GET conversation search': [
    rest('GET', `${Routes.conversationSearch}?q=owner`),
    false,
    [200, 200, 200, 200, 404, 401],
  ],
  // Everyone signed in searches their own conversations; the outsider finds nothing, but may ask.
  'GET search': [
    async (w, r) => (await call(server, 'GET', `${Routes.search}?q=owner`, { token: w.tokens[r] })).status,
    false,
    [200, 200, 200, 200, 200, 401],
  ],
  'GET pins': [rest('GET', Routes.pins), false, [200, 200, 200, 200, 404, 401]],
  'POST pin': [rest('POST', Routes.pin, undefined, message), true, [201, 201, 403, 403, 404, 401]],
  'DELETE pin': [rest('DELETE', Routes.pin, undefined, message), false, [204, 204, 403, 403, 404, 401]],
  'GET shared items': [rest('GET', `${Routes.sharedItems}?type=file`), false, [200, 200, 200, 200, 404, 401]],
  'GET shared overview': [rest('GET', Routes.sharedOverview), false, [200, 200, 200, 200, 404, 401]],
  'POST polls': [
    rest('POST', Routes.polls, (_w, r) => ({ question: 'q', options: ['a', 'b'], referenceId: `p-${r}` })),
    false,
    [201, 201, 201, 201, 404, 401],
  ],
  'GET poll (the owner’s)': [
    async (w, r) => {
      const pollId = await ownersPoll(w);
      return rest('GET', Routes.poll, undefined, () => ({ pollId }))(w, r);
    },
    false,
    [200, 200, 200, 200, 404, 401],
  ],
  'POST poll votes': [
    async (w, r) => {
      const pollId = await ownersPoll(w);
      return rest(
        'POST',
        Routes.pollVotes,
        () => ({ optionIds: [0] }),
        () => ({ pollId }),
      )(w, r);
    },
    false,
    [200, 200, 200, 200, 404, 401],
  ],
  'POST poll close (the owner’s)': [
    async (w, r) => {
      const pollId = await ownersPoll(w);
      return rest('POST', Routes.pollClose, undefined, () => ({ pollId }))(w, r);
    },
    true,
    [200, 200, 403, 403, 404, 401],
  ],
  'POST attachment url': [
    rest('POST', Routes.attachmentUrl, undefined, (w) => ({ attachmentId: w.attachment })),
    false,
    [200, 200, 200, 200, 404, 401],
  ],
  // The signature is the credential: a URL issued to the owner works with any bearer header, or none.
  'GET signed file (issued to the owner)': [
    async (w, r) => {
      const path = conversationPath(Routes.attachmentUrl, w.token, { attachmentId: w.attachment });
      const { url } = (await call<{ url: string }>(server, 'POST', path, { token: w.tokens.owner })).body;
      const headers: Record<string, string> = w.tokens[r] ? { authorization: `Bearer ${w.tokens[r]}` } : {};
      return (await fetch(server.url + url, { headers })).status;
    },
    false,
    [200, 200, 200, 200, 200, 200],
  ],
  // Issue 13 item 1: nobody's token vouches for this object, so nobody opens or creates its conversation.
  'POST conversations (object without a grant)': [
    async (w, r) =>
      (
        await call(server, 'POST', Routes.conversations, {
          token: w.tokens[r],
          body: { type: 'group', name: 'x', object: { type: 'ungranted', id: 'x' } },
        })
      ).status,
    false,
    [403, 403, 403, 403, 403, 401],
  ],
  // Item 5: 200 when the list shows the conversation's last message, 403 when the lobby hides it, 404 unlisted.
  'GET conversations (lobby closed: last message)': [
    async (w, r) => {
      await call(server, 'PATCH', conversationPath(Routes.conversation, w.token), {
        token: w.tokens.owner,
        body: { lobby: true },
      });
      const list = await call<Conversation[]>(server, 'GET', Routes.conversations, { token: w.tokens[r] });
      if (list.status !== 200) return list.status;
      const entry = list.body.find((c) => c.token === w.token);
      return !entry ? 404 : entry.lastMessage && entry.unreadMessages !== 0 ? 200 : 403;
    },
    true,
    [200, 200, 403, 403, 404, 401],
  ],
  // Item 6: the owner removes the role's user, who then tries to join by themselves (the owner cannot be removed).
  'POST participants/self after removal (ban)': [
    async (w, r) => {
      const userId = w.tokens[r] ? decodeJwt(w.tokens[r]).sub! : 'nobody';
      await call(server, 'DELETE', conversationPath(Routes.participant, w.token, { userId }), {
        token: w.tokens.owner,
      });
      return rest('POST', Routes.participantSelf)(w, r);
    },
    true,
    [200, 403, 403, 403, 201, 401],
  ],
  // Item 6: leaving and joining again; 409 marks a guest that came back as anything but a guest.
  'POST participants/self after leaving (a guest stays a guest)': [
    async (w, r) => {
      await rest('DELETE', Routes.participantSelf)(w, r);
      const back = await call<Participant>(server, 'POST', conversationPath(Routes.participantSelf, w.token), {
        token: w.tokens[r],
      });
      return r === 'guest' && back.body.role !== 'guest' ? 409 : back.status;
    },
    true,
    [201, 201, 201, 201, 201, 401],
  ],
  'GET bans': [rest('GET', Routes.bans), false, [200, 200, 403, 403, 404, 401]],
  'POST bans (carol)': [rest('POST', Routes.bans, () => ({ userId: 'carol' })), true, [201, 201, 403, 403, 404, 401]],
  'DELETE ban (carol)': [
    rest('DELETE', Routes.ban, undefined, () => ({ userId: 'carol' })),
    false,
    [204, 204, 403, 403, 404, 401],
  ],
  // Item 7: 409 marks an added user shown under the name the caller chose rather than their own.
  'POST participants (the caller’s name for them is not used)': [
    async (w, r) => {
      const added = await call<Participant>(server, 'POST', conversationPath(Routes.participants, w.token), {
        token: w.tokens[r],
        body: { userId: `named-${r}`, displayName: 'CEO' },
      });
      return added.body?.displayName === 'CEO' ? 409 : added.status;
    },
    false,
    [201, 201, 403, 403, 404, 401],
  ],
  // Membership before size, both before the body: the outsider learns nothing, and nobody's body is read.
  'POST attachments (11 MiB declared, none sent)': [
    (w, r) =>
      new Promise<number>((resolve, reject) => {
        const headers: Record<string, string> = { 'content-length': String(11 * 1024 * 1024) };
        if (w.tokens[r]) headers.authorization = `Bearer ${w.tokens[r]}`;
        const url = new URL(server.url + conversationPath(Routes.attachments, w.token));
        const outgoing = httpRequest(url, { method: 'POST', headers }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
          outgoing.destroy();
        });
        outgoing.on('error', reject);
        outgoing.flushHeaders();
      }),
    false,
    [413, 413, 413, 413, 404, 401],
  ],
  'POST reactions (two emoji)': [
    rest('POST', Routes.reactions, () => ({ reaction: '🎉🎉' }), message),
    false,
    [400, 400, 400, 400, 404, 401],
  ],
  'GET attachment of a deleted file message': [
    async (w, r) => {
      const owner = w.tokens.owner!;
      const posted = await call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, w.token), {
        token: owner,
        body: { message: 'file', referenceId: 'file', attachmentId: w.attachment },
      });
      await call(server, 'DELETE', conversationPath(Routes.message, w.token, { messageId: posted.body.id }), {
        token: owner,
      });
      const path = conversationPath(Routes.attachment, w.token, { attachmentId: w.attachment });
      const headers: Record<string, string> = w.tokens[r] ? { authorization: `Bearer ${w.tokens[r]}` } : {};
      return (await fetch(server.url + path, { headers })).status;
    },
    true,
    [404, 404, 404, 404, 404, 401],
  ],
  // Item 1 on signaling: joining an object's conversation asks for the grant as REST does. The owner made it with
  // a granted token; the roles' own tokens vouch for no object (200 joined, 403 refused, 401 no session).
  'signaling join (object conversation, token without a grant)': [
    async (w, r) => {
      if (!w.tokens[r]) return 401;
      const conversation = await objectConversation(w);
      const socket = await TestSocket.connect(server, w.tokens[r]!);
      socket.send({ type: 'join', id: 'object-join', conversation });
      let answer: ServerMessage | undefined;
      for (const deadline = Date.now() + 10_000; !answer && Date.now() < deadline; ) {
        answer = socket.received().find((m) => m.type === 'joined' || (m.type === 'error' && m.id === 'object-join'));
        if (!answer) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await socket.close();
      return answer?.type === 'joined' ? 200 : answer?.type === 'error' && answer.code === 'forbidden' ? 403 : 0;
    },
    false,
    [403, 403, 403, 403, 403, 401],
  ],
};

/**
 * An object's conversation per world, with the owner, mona and ursula in it: made by the owner with a token that
 * the host vouched for the object in, and joined with that token, so that a refusal of the roles' own tokens
 * (which vouch for no object) is the missing grant's, not a broken conversation's.
 */
const objectConversations = new WeakMap<World, Promise<string>>();
function objectConversation(w: World): Promise<string> {
  let made = objectConversations.get(w);
  if (!made) {
    made = (async () => {
      const object = { type: 'doc', id: `access-${Math.random()}` };
      const granted = await login(server, 'owen', 'Owen', [`${object.type}:${object.id}`]);
      const created = await call<Conversation>(server, 'POST', Routes.conversations, {
        token: granted,
        body: {
          type: 'group',
          name: 'Object',
          object,
          participants: [
            { userId: 'mona', displayName: 'Mona' },
            { userId: 'ursula', displayName: 'Ursula' },
          ],
        },
      });
      const control = await TestSocket.connect(server, granted);
      await control.join(created.body.token);
      await control.close();
      return created.body.token;
    })();
    objectConversations.set(w, made);
  }
  return made;
}

/** The owner's poll in each world, posted when a row first needs it. */
const ownersPolls = new WeakMap<World, Promise<number>>();
function ownersPoll(w: World): Promise<number> {
  let poll = ownersPolls.get(w);
  if (!poll) {
    poll = call<{ id: number }>(server, 'POST', conversationPath(Routes.polls, w.token), {
      token: w.tokens.owner,
      body: { question: 'Access?', options: ['yes', 'no'], referenceId: 'owners-poll' },
    }).then((answer) => answer.body.id);
    ownersPolls.set(w, poll);
  }
  return poll;
}

describe('access by role', () => {
  it('gives every role the expected answer on every REST endpoint', async () => {
    const expected: Record<string, Record<Role, number>> = {};
    const actual: Record<string, Record<Role, number>> = {};
    const shared = await world();
    for (const [name, [operation, fresh, statuses]] of Object.entries(endpoints)) {
      expected[name] = Object.fromEntries(ROLES.map((role, i) => [role, statuses[i]!])) as Record<Role, number>;
      actual[name] = {} as Record<Role, number>;
      for (const role of ROLES) actual[name][role] = await operation(fresh ? await world() : shared, role);
    }
    expect(actual).toEqual(expected);
  });

  it('gives every role the expected outcome for every signaling message', async () => {
    const w = await world();
    const peer = await TestSocket.connect(server, w.tokens.owner!);
    await peer.join(w.token);
    // Signals go between sessions in the call only, so the peer the roles signal to is in it.
    peer.send({ type: 'call-join', conversation: w.token, media: { audio: true, video: true } });
    await peer.nextWhere('session-updated', (m) => m.session.sessionId === peer.sessionId && m.session.inCall);
    const steps: Array<[string, object]> = [
      ['join', { type: 'join', conversation: w.token }],
      [
        'signal-outside-call',
        { type: 'signal', conversation: w.token, to: peer.sessionId, payload: { kind: 'candidate', candidate: null } },
      ],
      ['call-join', { type: 'call-join', conversation: w.token, media: { audio: true, video: true } }],
      ['raise-hand', { type: 'raise-hand', conversation: w.token, raised: true }],
      ['typing', { type: 'typing', conversation: w.token, typing: true }],
      [
        'signal',
        { type: 'signal', conversation: w.token, to: peer.sessionId, payload: { kind: 'candidate', candidate: null } },
      ],
      ['call-leave', { type: 'call-leave', conversation: w.token }],
      ['leave', { type: 'leave', conversation: w.token }],
      ['ping', { type: 'ping' }],
      ['token (own, fresh)', { type: 'token', token: '' }],
    ];
    // A member gets media signals through only once in the call.
    const participant = {
      ...Object.fromEntries(steps.map(([name]) => [name, 'ok'])),
      'signal-outside-call': 'forbidden',
    };
    const expected: Record<Role, Record<string, string>> = {
      owner: participant,
      moderator: participant,
      user: participant,
      guest: participant,
      outsider: {
        ...Object.fromEntries(steps.map(([name]) => [name, 'not-joined'])),
        join: 'forbidden',
        ping: 'ok',
        'token (own, fresh)': 'ok',
      },
      none: { hello: 'unauthenticated, closed 4001' },
    };
    const actual = {} as Record<Role, Record<string, string>>;
    for (const role of ROLES) {
      const token = w.tokens[role];
      if (!token) {
        const socket = await TestSocket.open(server);
        socket.send({ type: 'hello', token: 'not-a-token' });
        const error = await socket.next('error');
        actual[role] = { hello: `${error.code}, closed ${await socket.closed}` };
        continue;
      }
      const socket = await TestSocket.connect(server, token);
      actual[role] = {};
      for (const [name, frame] of steps) {
        // A refresh hands over the role's own token again (item 9): good for the same user, whatever the role.
        socket.send({ ...frame, ...('token' in frame ? { token } : {}), id: name });
        await socket.roundTrip();
        const error = socket.pending('error').find((e) => 'id' in e && e.id === name);
        actual[role][name] = error && error.type === 'error' ? error.code : 'ok';
      }
      await socket.close();
    }
    expect(actual).toEqual(expected);
    // The relayed signals reached the peer from every participant role, and none from the outsider.
    await peer.roundTrip();
    expect(peer.pending('signal')).toHaveLength(4);
    await peer.close();
  });
});
