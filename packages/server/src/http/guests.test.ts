import {
  type ChatMessage,
  type Conversation,
  conversationPath,
  ErrorCode,
  type GuestJoinResponse,
  Routes,
} from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, conversationOf, login, startTestServer, TestSocket } from '../testing/harness.js';

let server: TalkServer;
let alice: string;
let bob: string;
beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([login(server, 'alice', 'Alice'), login(server, 'bob', 'Bob')]);
});
afterAll(() => server.close());

async function publicConversation(password?: string): Promise<string> {
  const created = await call<Conversation>(server, 'POST', Routes.conversations, {
    token: alice,
    body: { type: 'public', name: 'Open house', ...(password ? { password } : {}) },
  });
  return created.body.token;
}
const joinAsGuest = (token: string, body: object) =>
  call<GuestJoinResponse>(server, 'POST', conversationPath(Routes.guests, token), { body });

describe('guests', () => {
  it('join a public conversation through its link with a name, and chat there with a session of their own', async () => {
    const token = await publicConversation();
    const joined = await joinAsGuest(token, { displayName: 'Visiting Vera' });
    expect(joined).toMatchObject({
      status: 201,
      body: { participant: { displayName: 'Visiting Vera', role: 'guest' } },
    });
    const guest = joined.body.token;
    const posted = await call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, token), {
      token: guest,
      body: { message: 'hello from a guest', referenceId: 'g1' },
    });
    expect(posted.body).toMatchObject({ actorId: joined.body.participant.userId, actorDisplayName: 'Visiting Vera' });
    const socket = await TestSocket.connect(server, guest);
    expect((await socket.join(token)).conversation).toBe(token);
    // Mentioned by the name they gave.
    const mention = await call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, token), {
      token: alice,
      body: { message: 'welcome @"Visiting Vera"', referenceId: 'm1' },
    });
    expect(mention.body.mentions).toEqual([
      { type: 'guest', id: joined.body.participant.userId, name: 'Visiting Vera' },
    ]);
    await socket.close();
  });

  it('holds a guest token good for its own conversation only', async () => {
    const token = await publicConversation();
    const other = await publicConversation();
    const guest = (await joinAsGuest(token, { displayName: 'Gus' })).body.token;
    expect((await call(server, 'GET', conversationPath(Routes.conversation, other), { token: guest })).status).toBe(
      404,
    );
    expect((await call(server, 'POST', conversationPath(Routes.participantSelf, other), { token: guest })).status).toBe(
      404,
    );
    const socket = await TestSocket.connect(server, guest);
    socket.send({ type: 'join', id: 'j', conversation: other });
    expect(await socket.next('error')).toMatchObject({ id: 'j', code: ErrorCode.Forbidden });
    await socket.close();
  });

  it("lets a guest into a host object's public conversation (a meeting's guest link) on REST and signaling", async () => {
    // The host granted this one event as public; a guest's token has no grants, the link is its invitation.
    const host = await login(server, 'alice', 'Alice', [{ pattern: 'event:demo-1', types: ['public'] }]);
    const created = await call<Conversation>(server, 'POST', Routes.conversations, {
      token: host,
      body: { type: 'public', name: 'Customer demo', object: { type: 'event', id: 'demo-1' } },
    });
    const token = created.body.token;
    const guest = (await joinAsGuest(token, { displayName: 'Grace' })).body.token;
    const seen = await call<Conversation>(server, 'GET', conversationPath(Routes.conversation, token), {
      token: guest,
    });
    expect(seen).toMatchObject({ status: 200, body: { name: 'Customer demo', role: 'guest' } });
    const socket = await TestSocket.connect(server, guest);
    expect((await socket.join(token)).conversation).toBe(token);
    await socket.close();
    // A signed-in member still needs the host's grant for it: the module-wide `alice` token names no objects.
    expect((await call(server, 'GET', conversationPath(Routes.conversation, token), { token: alice })).status).toBe(
      403,
    );
  });

  it('finds no guest link for group conversations', async () => {
    const token = await conversationOf(server, alice, []);
    expect((await joinAsGuest(token, { displayName: 'Gus' })).status).toBe(404);
  });
});

describe('password-protected public conversations', () => {
  it('let guests and users in only with the password', async () => {
    const token = await publicConversation('open sesame');
    expect((await joinAsGuest(token, { displayName: 'Gus' })).body).toMatchObject({ code: ErrorCode.WrongPassword });
    expect((await joinAsGuest(token, { displayName: 'Gus', password: 'nope' })).status).toBe(403);
    expect((await joinAsGuest(token, { displayName: 'Gus', password: 'open sesame' })).status).toBe(201);
    const self = conversationPath(Routes.participantSelf, token);
    expect((await call(server, 'POST', self, { token: bob })).status).toBe(403);
    expect((await call(server, 'POST', self, { token: bob, body: { password: 'open sesame' } })).status).toBe(201);
    const seen = (await call<Conversation>(server, 'GET', conversationPath(Routes.conversation, token), { token: bob }))
      .body;
    expect(seen.hasPassword).toBe(true);
    expect(JSON.stringify(seen)).not.toContain('sesame');
  });

  it('throttle failed attempts per client and conversation, even against the right password', async () => {
    const token = await publicConversation('right');
    const other = await publicConversation('right');
    for (let i = 0; i < 5; i++)
      expect((await joinAsGuest(token, { displayName: 'G', password: `wrong${i}` })).status).toBe(403);
    const blocked = await joinAsGuest(token, { displayName: 'G', password: 'right' });
    expect(blocked).toMatchObject({ status: 429, body: { code: ErrorCode.RateLimited } });
    expect((await joinAsGuest(other, { displayName: 'G', password: 'right' })).status).toBe(201);
  });

  it('count no attempt for asking without a password, which is how a client learns it needs one', async () => {
    const token = await publicConversation('right');
    for (let i = 0; i < 8; i++) expect((await joinAsGuest(token, { displayName: 'G' })).status).toBe(403);
    expect((await joinAsGuest(token, { displayName: 'G', password: 'right' })).status).toBe(201);
  });

  it('say in Retry-After how long a throttled client waits', async () => {
    const token = await publicConversation('right');
    for (let i = 0; i < 5; i++) await joinAsGuest(token, { displayName: 'G', password: `wrong${i}` });
    const blocked = await fetch(server.url + conversationPath(Routes.guests, token), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'G', password: 'right' }),
    });
    expect(blocked.status).toBe(429);
    const wait = Number(blocked.headers.get('retry-after'));
    // The window is five minutes, counted from the first failure a moment ago.
    expect(wait).toBeGreaterThan(250);
    expect(wait).toBeLessThanOrEqual(300);
  });

  it('counts each guess before checking it: of 20 fired at once, 5 are checked and 15 answered 429', async () => {
    const token = await publicConversation('right');
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => joinAsGuest(token, { displayName: 'G', password: `guess${i}` })),
    );
    const statuses = answers.map((answer) => answer.status);
    // 403 is a guess the slow hash checked; 429 one the throttle refused before checking.
    expect(statuses.filter((status) => status === 403)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    expect((await joinAsGuest(token, { displayName: 'G', password: 'right' })).status).toBe(429);
  });

  it('can be removed by a moderator, after which no password is asked', async () => {
    const token = await publicConversation('temporary');
    const cleared = await call<Conversation>(server, 'PATCH', conversationPath(Routes.conversation, token), {
      token: alice,
      body: { password: null },
    });
    expect(cleared.body.hasPassword).toBe(false);
    expect((await joinAsGuest(token, { displayName: 'Gus' })).status).toBe(201);
  });
});

describe('lobby', () => {
  it('holds non-moderators out of chat and call until a moderator opens it', async () => {
    const token = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const [owner, user] = await Promise.all([TestSocket.connect(server, alice), TestSocket.connect(server, bob)]);
    await owner.join(token);
    await user.join(token);
    const closed = await call(server, 'PATCH', conversationPath(Routes.conversation, token), {
      token: alice,
      body: { lobby: true },
    });
    expect(closed.status).toBe(200);
    expect(await user.next('conversation-updated')).toEqual({ type: 'conversation-updated', conversation: token });

    const messages = conversationPath(Routes.messages, token);
    expect(await call(server, 'GET', messages, { token: bob })).toMatchObject({
      status: 403,
      body: { code: ErrorCode.InLobby },
    });
    expect(
      (await call(server, 'POST', messages, { token: bob, body: { message: 'x', referenceId: 'x' } })).status,
    ).toBe(403);
    expect(
      (await call(server, 'GET', conversationPath(Routes.conversation, token), { token: bob })).body,
    ).toMatchObject({ lobby: true });
    user.send({ type: 'call-join', id: 'c', conversation: token, media: { audio: true, video: false } });
    expect(await user.next('error')).toMatchObject({ id: 'c', code: ErrorCode.InLobby });

    // The owner chats on; the held session does not get the message.
    await call(server, 'POST', messages, { token: alice, body: { message: 'moderators only', referenceId: 'mo' } });
    await owner.next('chat-message');
    await user.roundTrip();
    expect(user.pending('chat-message')).toEqual([]);

    await call(server, 'PATCH', conversationPath(Routes.conversation, token), { token: alice, body: { lobby: false } });
    await user.next('conversation-updated');
    expect((await call(server, 'GET', messages, { token: bob })).status).toBe(200);
    await Promise.all([owner.close(), user.close()]);
  });

  it('shows a held user no last message and no unread counts in the conversation list', async () => {
    const token = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const path = conversationPath(Routes.conversation, token);
    await call(server, 'PATCH', path, { token: alice, body: { lobby: true } });
    const messages = conversationPath(Routes.messages, token);
    await call(server, 'POST', messages, { token: alice, body: { message: 'secret for @bob', referenceId: 's' } });
    const entry = async (who: string) =>
      (await call<Conversation[]>(server, 'GET', Routes.conversations, { token: who })).body.find(
        (c) => c.token === token,
      );
    const hidden = { lastMessage: null, unreadMessages: 0, unreadMentions: 0, unreadMention: false };
    expect(await entry(bob)).toMatchObject(hidden);
    expect((await entry(alice))?.lastMessage).toMatchObject({ message: 'secret for @bob' });
    await call(server, 'PATCH', path, { token: alice, body: { lobby: false } });
    // Opened, the list shows it all again (the last message is now the lobby's system message).
    expect((await entry(bob))?.lastMessage).not.toBeNull();
    expect(await entry(bob)).toMatchObject({
      unreadMessages: 1,
      unreadMentions: 1,
      unreadMention: true,
    });
  });
});
