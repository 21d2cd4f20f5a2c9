import {
  type ChatMessage,
  conversationPath,
  ErrorCode,
  Permission,
  type ReactionsResponse,
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

const members = [{ userId: 'bob', displayName: 'Bob' }];
const post = (token: string, who: string, message: string, referenceId: string, extra: object = {}) =>
  call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, token), {
    token: who,
    body: { message, referenceId, ...extra },
  });
const messageOf = (token: string, id: number) => conversationPath(Routes.message, token, { messageId: id });
const reactionsOf = (token: string, id: number) => conversationPath(Routes.reactions, token, { messageId: id });

describe('mentions and replies', () => {
  it('parses @user and @all into structured mentions and leaves unknown names as text', async () => {
    const token = await conversationOf(server, alice, members);
    const posted = await post(token, alice, '@bob see this, @all too, not @nobody', 'm');
    expect(posted.body.mentions).toEqual([
      { type: 'user', id: 'bob', name: 'Bob' },
      { type: 'all', id: 'all', name: 'all' },
    ]);
  });

  it('carries the message a reply answers, and refuses a reply to nothing', async () => {
    const token = await conversationOf(server, alice, members);
    const question = await post(token, alice, 'Lunch?', 'q');
    const reply = await post(token, bob, 'Yes', 'a', { replyTo: question.body.id });
    expect(reply.body.replyTo).toEqual({
      id: question.body.id,
      actorId: 'alice',
      actorDisplayName: 'Alice',
      message: 'Lunch?',
      deleted: false,
    });
    expect((await post(token, bob, 'to nothing', 'n', { replyTo: 999_999 })).status).toBe(400);
  });
});

describe('history', () => {
  it('pages backwards with before, oldest first within a page', async () => {
    const token = await conversationOf(server, alice, members);
    const ids: number[] = [];
    for (let i = 1; i <= 6; i++) ids.push((await post(token, alice, `m${i}`, `r${i}`)).body.id);
    const page = async (query: string) =>
      (
        await call<ChatMessage[]>(server, 'GET', `${conversationPath(Routes.messages, token)}${query}`, {
          token: alice,
        })
      ).body.map((m) => m.message);
    expect(await page('?limit=2')).toEqual(['m5', 'm6']);
    expect(await page(`?limit=2&before=${ids[4]}`)).toEqual(['m3', 'm4']);
    expect(await page(`?limit=2&before=${ids[2]}`)).toEqual(['m1', 'm2']);
    expect(await page(`?before=${ids[0]}`)).toEqual([]);
    const both = await call(server, 'GET', `${conversationPath(Routes.messages, token)}?before=5&after=1`, {
      token: alice,
    });
    expect(both.status).toBe(400);
  });

  it('lists and pushes system messages only to clients that ask for them', async () => {
    const token = await conversationOf(server, alice, []);
    const socket = await TestSocket.connect(server, alice);
    await socket.join(token);
    await call(server, 'POST', conversationPath(Routes.participants, token), { token: alice, body: members[0] });
    const pushed = await socket.next('system-message');
    expect(pushed.message).toMatchObject({ kind: 'system', systemType: 'user-added', actorId: 'alice' });
    expect(socket.pending('chat-message')).toEqual([]);
    const plain = await call<ChatMessage[]>(server, 'GET', conversationPath(Routes.messages, token), { token: alice });
    expect(plain.body).toEqual([]);
    const all = await call<ChatMessage[]>(server, 'GET', `${conversationPath(Routes.messages, token)}?system=true`, {
      token: alice,
    });
    expect(all.body.map((m) => m.systemType)).toEqual(['conversation-created', 'user-added']);
    await socket.close();
  });
});

describe('edits and deletes', () => {
  it('lets the author edit a message, visibly, and pushes the new version', async () => {
    const token = await conversationOf(server, alice, members);
    const socket = await TestSocket.connect(server, bob);
    await socket.join(token);
    const original = await post(token, alice, 'teh typo', 'e');
    expect(
      (await call(server, 'PATCH', messageOf(token, original.body.id), { token: bob, body: { message: 'x' } })).status,
    ).toBe(403);
    const edited = await call<ChatMessage>(server, 'PATCH', messageOf(token, original.body.id), {
      token: alice,
      body: { message: 'the typo, @bob' },
    });
    expect(edited.body).toMatchObject({
      id: original.body.id,
      message: 'the typo, @bob',
      editedAt: expect.any(String),
    });
    expect(edited.body.mentions).toEqual([{ type: 'user', id: 'bob', name: 'Bob' }]);
    expect((await socket.next('chat-message-updated')).message).toEqual(edited.body);
    await socket.close();
  });

  it('lets the author or a moderator delete a message, which stays in the history as deleted', async () => {
    const token = await conversationOf(server, alice, members);
    const bobs = await post(token, bob, 'oops', 'd1');
    const alices = await post(token, alice, 'mine', 'd2');
    expect((await call(server, 'DELETE', messageOf(token, alices.body.id), { token: bob })).status).toBe(403);
    const byModerator = await call<ChatMessage>(server, 'DELETE', messageOf(token, bobs.body.id), { token: alice });
    expect(byModerator.body).toMatchObject({ message: '', deletedAt: expect.any(String) });
    const history = await call<ChatMessage[]>(server, 'GET', conversationPath(Routes.messages, token), { token: bob });
    expect(history.body.map((m) => [m.id, m.deletedAt !== null])).toEqual([
      [bobs.body.id, true],
      [alices.body.id, false],
    ]);
    expect(
      (await call(server, 'PATCH', messageOf(token, bobs.body.id), { token: bob, body: { message: 'back' } })).status,
    ).toBe(403);
  });
});

describe('reactions', () => {
  it('adds and removes reactions, tallies them on the message, and pushes each change', async () => {
    const token = await conversationOf(server, alice, members);
    const socket = await TestSocket.connect(server, alice);
    await socket.join(token);
    const message = await post(token, alice, 'react to me', 'r');
    await socket.next('chat-message');
    const added = await call<ReactionsResponse>(server, 'POST', reactionsOf(token, message.body.id), {
      token: bob,
      body: { reaction: '👍' },
    });
    expect(added).toEqual({ status: 201, body: { '👍': [{ actorId: 'bob', actorDisplayName: 'Bob' }] } });
    expect(await socket.next('reaction')).toEqual({
      type: 'reaction',
      conversation: token,
      messageId: message.body.id,
      actorId: 'bob',
      actorDisplayName: 'Bob',
      reaction: '👍',
      added: true,
      reactions: { '👍': 1 },
    });
    const twice = await call(server, 'POST', reactionsOf(token, message.body.id), {
      token: bob,
      body: { reaction: '👍' },
    });
    expect(twice.status).toBe(200);
    await call(server, 'POST', reactionsOf(token, message.body.id), { token: alice, body: { reaction: '👍' } });
    const listed = await call<ChatMessage[]>(server, 'GET', conversationPath(Routes.messages, token), { token: alice });
    expect(listed.body[0]!.reactions).toEqual({ '👍': 2 });
    const removed = await call<ReactionsResponse>(server, 'DELETE', reactionsOf(token, message.body.id), {
      token: bob,
      body: { reaction: '👍' },
    });
    expect(removed.body).toEqual({ '👍': [{ actorId: 'alice', actorDisplayName: 'Alice' }] });
    await socket.close();
  });
});

describe('chat permission', () => {
  it('refuses posts and reactions from a participant without the chat permission, but lets them read', async () => {
    const token = await conversationOf(server, alice, members);
    const message = await post(token, alice, 'read only for bob', 'p');
    await call(server, 'PATCH', conversationPath(Routes.participant, token, { userId: 'bob' }), {
      token: alice,
      body: { permissions: Permission.JoinCall },
    });
    expect(await post(token, bob, 'may I?', 'no')).toMatchObject({ status: 403, body: { code: ErrorCode.Forbidden } });
    const react = await call(server, 'POST', reactionsOf(token, message.body.id), {
      token: bob,
      body: { reaction: '👍' },
    });
    expect(react.status).toBe(403);
    expect((await call(server, 'GET', conversationPath(Routes.messages, token), { token: bob })).status).toBe(200);
  });
});
