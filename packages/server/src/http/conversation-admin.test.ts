import {
  type ChatMessage,
  type Conversation,
  conversationPath,
  ErrorCode,
  type Participant,
  Routes,
} from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, conversationOf, login, startTestServer, TestSocket } from '../testing/harness.js';

let server: TalkServer;
let alice: string;
let bob: string;
let carol: string;
beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol] = await Promise.all([
    login(server, 'alice', 'Alice'),
    login(server, 'bob', 'Bob'),
    login(server, 'carol', 'Carol'),
  ]);
});
afterAll(() => server.close());

const bobMember = { userId: 'bob', displayName: 'Bob' };
const path = (route: string, token: string, params: Record<string, string | number> = {}) =>
  conversationPath(route, token, params);
const systemTypes = async (token: string) =>
  (await call<ChatMessage[]>(server, 'GET', `${path(Routes.messages, token)}?system=true`, { token: alice })).body
    .filter((m) => m.kind === 'system')
    .map((m) => m.systemType);

describe('conversation types', () => {
  it('creates one one-to-one conversation per pair and returns it again to either side', async () => {
    const first = await call<Conversation>(server, 'POST', Routes.conversations, {
      token: alice,
      body: { type: 'one-to-one', name: 'Alice & Carol', participants: [{ userId: 'carol', displayName: 'Carol' }] },
    });
    expect(first.status).toBe(201);
    const again = await call<Conversation>(server, 'POST', Routes.conversations, {
      token: carol,
      body: { type: 'one-to-one', name: 'Carol & Alice', participants: [{ userId: 'alice', displayName: 'Alice' }] },
    });
    expect(again).toMatchObject({ status: 200, body: { token: first.body.token } });
    const members = await call<Participant[]>(server, 'GET', path(Routes.participants, first.body.token), {
      token: carol,
    });
    expect(members.body.map((p) => p.userId)).toEqual(['alice', 'carol']);
    const add = await call(server, 'POST', path(Routes.participants, first.body.token), {
      token: alice,
      body: bobMember,
    });
    expect(add.status).toBe(403);
  });

  it('keeps one note-to-self conversation per user with nobody else in it', async () => {
    const first = await call<Conversation>(server, 'POST', Routes.conversations, {
      token: bob,
      body: { type: 'note-to-self', name: 'Notes' },
    });
    const again = await call<Conversation>(server, 'POST', Routes.conversations, {
      token: bob,
      body: { type: 'note-to-self', name: 'Notes' },
    });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.token).toBe(first.body.token);
    const withOthers = await call(server, 'POST', Routes.conversations, {
      token: bob,
      body: { type: 'note-to-self', name: 'x', participants: [{ userId: 'alice', displayName: 'Alice' }] },
    });
    expect(withOthers.status).toBe(400);
  });
});

describe('managing a conversation', () => {
  it('renames and describes a conversation for moderators only, leaving system messages', async () => {
    const token = await conversationOf(server, alice, [bobMember]);
    const refused = await call(server, 'PATCH', path(Routes.conversation, token), {
      token: bob,
      body: { name: 'Mine' },
    });
    expect(refused).toMatchObject({ status: 403, body: { code: ErrorCode.Forbidden } });
    const renamed = await call<Conversation>(server, 'PATCH', path(Routes.conversation, token), {
      token: alice,
      body: { name: 'Renamed', description: 'About things' },
    });
    expect(renamed.body).toMatchObject({ name: 'Renamed', description: 'About things' });
    expect(await systemTypes(token)).toEqual(['conversation-created', 'conversation-renamed', 'description-changed']);
  });

  it('adds and removes participants; a removed participant’s session is sent away and the conversation hidden', async () => {
    const token = await conversationOf(server, alice, []);
    const added = await call<Participant>(server, 'POST', path(Routes.participants, token), {
      token: alice,
      body: { ...bobMember, role: 'user' },
    });
    expect(added).toMatchObject({ status: 201, body: { userId: 'bob', role: 'user' } });
    const socket = await TestSocket.connect(server, bob);
    await socket.join(token);
    expect(
      (await call(server, 'DELETE', path(Routes.participant, token, { userId: 'bob' }), { token: bob })).status,
    ).toBe(403);
    expect(
      (await call(server, 'DELETE', path(Routes.participant, token, { userId: 'bob' }), { token: alice })).status,
    ).toBe(204);
    expect(await socket.next('left')).toEqual({ type: 'left', conversation: token, reason: 'removed' });
    expect((await call(server, 'GET', path(Routes.conversation, token), { token: bob })).status).toBe(404);
    expect(
      (await call(server, 'DELETE', path(Routes.participant, token, { userId: 'alice' }), { token: alice })).status,
    ).toBe(403);
    expect(await systemTypes(token)).toEqual(['conversation-created', 'user-added', 'user-removed']);
    await socket.close();
  });

  it('tells a banned participant’s sessions they were banned, not merely removed', async () => {
    const token = (
      await call<Conversation>(server, 'POST', Routes.conversations, {
        token: alice,
        body: { type: 'public', name: 'Open' },
      })
    ).body.token;
    expect((await call(server, 'POST', path(Routes.participantSelf, token), { token: bob })).status).toBe(201);
    const socket = await TestSocket.connect(server, bob);
    await socket.join(token);
    const banned = await call(server, 'POST', path(Routes.bans, token), { token: alice, body: { userId: 'bob' } });
    expect(banned.status).toBe(201);
    expect(await socket.next('left')).toEqual({ type: 'left', conversation: token, reason: 'banned' });
    await socket.close();
  });

  it('clears a permission override, a password and the topology thresholds when they are set to null', async () => {
    const token = await conversationOf(server, alice, [bobMember], { type: 'public' });
    const participant = path(Routes.participant, token, { userId: 'bob' });
    const overridden = await call<Participant>(server, 'PATCH', participant, {
      token: alice,
      body: { permissions: 33 },
    });
    expect(overridden.body).toMatchObject({ permissions: 33, permissionOverride: 33 });
    const cleared = await call<Participant>(server, 'PATCH', participant, {
      token: alice,
      body: { permissions: null },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.permissionOverride).toBeNull();

    const conversation = path(Routes.conversation, token);
    const body = { password: 'a-secret', sfuFrom: 6, meshAtMost: 2 };
    expect((await call(server, 'PATCH', conversation, { token: alice, body })).status).toBe(200);
    const reset = await call<Conversation>(server, 'PATCH', conversation, {
      token: alice,
      body: { password: null, sfuFrom: null, meshAtMost: null },
    });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ hasPassword: false, sfuFrom: null, meshAtMost: null });
  });

  it('promotes a user to moderator, who may then manage, but never changes the owner', async () => {
    const token = await conversationOf(server, alice, [bobMember]);
    expect(
      (await call(server, 'PATCH', path(Routes.conversation, token), { token: bob, body: { name: 'b' } })).status,
    ).toBe(403);
    const promoted = await call<Participant>(server, 'PATCH', path(Routes.participant, token, { userId: 'bob' }), {
      token: alice,
      body: { role: 'moderator' },
    });
    expect(promoted.body).toMatchObject({ role: 'moderator', permissions: 63 });
    expect(
      (await call(server, 'PATCH', path(Routes.conversation, token), { token: bob, body: { name: 'b' } })).status,
    ).toBe(200);
    const demoteOwner = await call(server, 'PATCH', path(Routes.participant, token, { userId: 'alice' }), {
      token: bob,
      body: { role: 'user' },
    });
    expect(demoteOwner.status).toBe(403);
  });

  it('lets a participant leave, and deletes the conversation when the last one leaves', async () => {
    const token = await conversationOf(server, alice, [bobMember]);
    expect((await call(server, 'DELETE', path(Routes.participantSelf, token), { token: bob })).status).toBe(204);
    expect((await call(server, 'GET', path(Routes.conversation, token), { token: bob })).status).toBe(404);
    expect(await systemTypes(token)).toContain('user-left');
    expect((await call(server, 'DELETE', path(Routes.participantSelf, token), { token: alice })).status).toBe(204);
    const mine = await call<Conversation[]>(server, 'GET', Routes.conversations, { token: alice });
    expect(mine.body.map((c) => c.token)).not.toContain(token);
  });

  it('deletes a conversation for moderators, telling joined sessions', async () => {
    const token = await conversationOf(server, alice, [bobMember]);
    const socket = await TestSocket.connect(server, bob);
    await socket.join(token);
    expect((await call(server, 'DELETE', path(Routes.conversation, token), { token: bob })).status).toBe(403);
    expect((await call(server, 'DELETE', path(Routes.conversation, token), { token: alice })).status).toBe(204);
    expect(await socket.next('left')).toMatchObject({ conversation: token, reason: 'deleted' });
    expect((await call(server, 'GET', path(Routes.conversation, token), { token: alice })).status).toBe(404);
    await socket.close();
  });
});

describe('the conversation list', () => {
  it('shows the last message, unread messages and unread mentions, and clears them with the read marker', async () => {
    const token = await conversationOf(server, alice, [bobMember]);
    const post = (from: string, message: string, ref: string, extra: object = {}) =>
      call<ChatMessage>(server, 'POST', path(Routes.messages, token), {
        token: from,
        body: { message, referenceId: ref, ...extra },
      });
    await post(alice, 'hi bob', 'u1');
    await post(alice, 'look @bob', 'u2');
    await post(alice, 'quietly', 'u3', { silent: true });
    const last = await post(alice, 'and @all', 'u4');
    const listOf = async (who: string) =>
      (await call<Conversation[]>(server, 'GET', Routes.conversations, { token: who })).body.find(
        (c) => c.token === token,
      )!;
    expect(await listOf(bob)).toMatchObject({
      lastMessage: { id: last.body.id, message: 'and @all' },
      unreadMessages: 3, // the silent one does not count
      unreadMentions: 2,
      unreadMention: true,
      role: 'user',
    });
    expect(await listOf(alice)).toMatchObject({ unreadMessages: 0, unreadMention: false }); // own messages are read
    const read = await call(server, 'POST', path(Routes.readMarker, token), {
      token: bob,
      body: { lastReadMessageId: last.body.id },
    });
    expect(read.status).toBe(204);
    expect(await listOf(bob)).toMatchObject({ unreadMessages: 0, unreadMentions: 0, unreadMention: false });
  });

  it('refuses guests who try to create conversations', async () => {
    const open = await call<Conversation>(server, 'POST', Routes.conversations, {
      token: alice,
      body: { type: 'public', name: 'Open' },
    });
    const guest = await call<{ token: string }>(server, 'POST', path(Routes.guests, open.body.token), {
      body: { displayName: 'Gus' },
    });
    const created = await call(server, 'POST', Routes.conversations, {
      token: guest.body.token,
      body: { type: 'group', name: 'g' },
    });
    expect(created).toMatchObject({ status: 403, body: { code: ErrorCode.Forbidden } });
  });
});
