import { type Conversation, conversationPath, ErrorCode, type Participant, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, login, startTestServer } from '../testing/harness.js';

let server: TalkServer;
let alice: string;
let bob: string;
beforeAll(async () => {
  server = await startTestServer();
  // The host vouches for the objects these tests open, and lets them be created as any type.
  const objects = ['file', 'event'].map((type) => ({
    pattern: `${type}:*`,
    types: ['group', 'public', 'one-to-one'] as Array<'group' | 'public' | 'one-to-one'>,
  }));
  [alice, bob] = await Promise.all([login(server, 'alice', 'Alice', objects), login(server, 'bob', 'Bob', objects)]);
});
afterAll(() => server.close());

const create = (token: string, body: object) =>
  call<Conversation>(server, 'POST', Routes.conversations, { token, body });

describe('conversations', () => {
  it('creates a conversation with its creator as owner and lists it for them only', async () => {
    const created = await create(alice, { type: 'group', name: 'Planning' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'group', name: 'Planning', object: null });
    expect(created.body.token).toMatch(/^[A-Za-z0-9_-]{16}$/);

    const participants = await call<Participant[]>(
      server,
      'GET',
      conversationPath(Routes.participants, created.body.token),
      { token: alice },
    );
    expect(participants.body).toEqual([
      { userId: 'alice', displayName: 'Alice', role: 'owner', permissions: 63, permissionOverride: null },
    ]);

    const mine = await call<Conversation[]>(server, 'GET', Routes.conversations, { token: alice });
    expect(mine.body.map((c) => c.token)).toContain(created.body.token);
    const bobs = await call<Conversation[]>(server, 'GET', Routes.conversations, { token: bob });
    expect(bobs.body.map((c) => c.token)).not.toContain(created.body.token);
  });

  it('hides a conversation from non-participants with 404', async () => {
    const { body } = await create(alice, { type: 'group', name: 'Secret' });
    for (const route of [Routes.conversation, Routes.participants, Routes.messages, Routes.call]) {
      const answer = await call(server, 'GET', conversationPath(route, body.token), { token: bob });
      expect(answer).toEqual({
        status: 404,
        body: { status: 404, code: ErrorCode.NotFound, message: expect.any(String) },
      });
    }
    const own = await call<Conversation>(server, 'GET', conversationPath(Routes.conversation, body.token), {
      token: alice,
    });
    // The "created" system message has made it active since; the answer is the list's entry, with its counts.
    expect(own).toEqual({
      status: 200,
      body: {
        ...body,
        lastActivity: expect.any(String),
        role: 'owner',
        permissions: 63,
        lastMessage: expect.objectContaining({ kind: 'system', systemType: 'conversation-created' }),
        unreadMessages: 0,
        unreadMentions: 0,
        unreadMention: false,
      },
    });
  });

  it('returns the existing conversation of an object and adds the caller to it', async () => {
    const object = { type: 'file', id: 'report.odt' };
    const first = await create(alice, { type: 'public', name: 'report.odt', object });
    expect(first.status).toBe(201);
    expect(first.body.object).toEqual(object);

    const again = await create(bob, { type: 'public', name: 'another name', object });
    expect(again.status).toBe(200);
    expect(again.body.token).toBe(first.body.token);
    expect(again.body.name).toBe('report.odt');

    const participants = await call<Participant[]>(
      server,
      'GET',
      conversationPath(Routes.participants, first.body.token),
      { token: bob },
    );
    expect(participants.body).toMatchObject([
      { userId: 'alice', displayName: 'Alice', role: 'owner' },
      { userId: 'bob', displayName: 'Bob', role: 'user' },
    ]);
  });

  it('makes one conversation of an object even when two users create it at once', async () => {
    const object = { type: 'event', id: 'standup' };
    const answers = await Promise.all([
      create(alice, { type: 'group', name: 'Standup', object }),
      create(bob, { type: 'group', name: 'Standup', object }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
    expect(answers[0]!.body.token).toBe(answers[1]!.body.token);
  });

  it('does not let others into the one-to-one conversation of an object', async () => {
    const object = { type: 'file', id: 'private.txt' };
    await create(alice, { type: 'one-to-one', name: 'private', object });
    const answer = await create(bob, { type: 'one-to-one', name: 'private', object });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ code: ErrorCode.Forbidden });
  });

  it('lets anyone join a public conversation themselves, and nobody a group one', async () => {
    const open = await create(alice, { type: 'public', name: 'Lobby' });
    const self = conversationPath(Routes.participantSelf, open.body.token);
    expect(await call(server, 'POST', self, { token: bob })).toMatchObject({
      status: 201,
      body: { userId: 'bob', displayName: 'Bob', role: 'user' },
    });
    expect((await call(server, 'POST', self, { token: bob })).status).toBe(200);
    const get = await call(server, 'GET', conversationPath(Routes.conversation, open.body.token), { token: bob });
    expect(get.status).toBe(200);

    const closed = await create(alice, { type: 'group', name: 'Team' });
    const refused = await call(server, 'POST', conversationPath(Routes.participantSelf, closed.body.token), {
      token: bob,
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ status: 403, code: ErrorCode.Forbidden });
    const missing = await call(server, 'POST', conversationPath(Routes.participantSelf, 'nope'), { token: bob });
    expect(missing.status).toBe(404);
  });

  it('answers schema violations with 400 invalid-request in the shared error body', async () => {
    const answer = await create(alice, { type: 'chatroom', name: 'x' });
    expect(answer).toEqual({
      status: 400,
      body: { status: 400, code: ErrorCode.InvalidRequest, message: expect.stringContaining('type') },
    });
  });
});

describe('the rest of the HTTP surface', () => {
  it('answers unknown routes with 404 not-found in the shared error body', async () => {
    const answer = await call(server, 'GET', '/api/v1/nothing-here');
    expect(answer).toEqual({
      status: 404,
      body: { status: 404, code: ErrorCode.NotFound, message: 'No route GET /api/v1/nothing-here' },
    });
  });

  it('answers unparsable JSON with 400 invalid-request', async () => {
    const response = await fetch(server.url + Routes.conversations, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
      body: '{"type":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: 400, code: ErrorCode.InvalidRequest });
  });

  it('says it is healthy', async () => {
    expect(await call(server, 'GET', Routes.health)).toEqual({ status: 200, body: { status: 'ok' } });
  });
});

describe('object conversations', () => {
  const object = (id: string) => ({ type: 'card', id });
  const open = (token: string, id: string, type = 'group', extra: object = {}) =>
    create(token, { type, name: id, object: object(id), ...extra });

  it('lets nobody open an object without a grant in their token, not even to create it', async () => {
    const stranger = await login(server, 'mallory', 'Mallory', ['file:other']);
    expect(await open(stranger, 'c1')).toMatchObject({ status: 403, body: { code: ErrorCode.Forbidden } });
    // Nothing was made: the first grantee creates it.
    const granted = await login(server, 'carol', 'Carol', ['card:c1']);
    expect((await open(granted, 'c1')).status).toBe(201);
    const existing = await open(stranger, 'c1');
    expect(existing).toMatchObject({ status: 403, body: { code: ErrorCode.Forbidden } });
    const list = await call<Conversation[]>(server, 'GET', Routes.conversations, { token: stranger });
    expect(list.body.filter((c) => c.object?.id === 'c1')).toEqual([]);
  });

  it('creates an object conversation as a group without password unless the grant names other types', async () => {
    const bare = await login(server, 'dave', 'Dave', ['card:*']);
    for (const [type, extra] of [
      ['public', {}],
      ['public', { password: 'squatted' }],
      ['note-to-self', {}],
    ] as const) {
      const squat = await open(bare, 'c2', type, extra);
      expect(squat, type).toMatchObject({ status: 403, body: { code: ErrorCode.Forbidden } });
    }
    const made = await open(bare, 'c2');
    expect(made).toMatchObject({ status: 201, body: { type: 'group', hasPassword: false } });
    // An exact grant wins over the family one, so the host can open one card to the public.
    const host = await login(server, 'erin', 'Erin', ['card:*', { pattern: 'card:c3', types: ['public'] }]);
    expect((await open(host, 'c3', 'public')).body).toMatchObject({ type: 'public' });
    expect((await open(host, 'c4', 'public')).status).toBe(403);
  });

  it('joins a grantee to the existing object conversation and refuses GET once the grant is gone', async () => {
    const owner = await login(server, 'frank', 'Frank', ['card:c5']);
    const { body } = await open(owner, 'c5');
    const grantee = await login(server, 'gina', 'Gina', ['card:c5']);
    expect(await open(grantee, 'c5')).toMatchObject({ status: 200, body: { token: body.token } });
    const path = conversationPath(Routes.conversation, body.token);
    expect((await call(server, 'GET', path, { token: grantee })).status).toBe(200);
    // Gina's next token no longer lists the card: the host withdrew her access.
    const withdrawn = await login(server, 'gina', 'Gina');
    expect(await call(server, 'GET', path, { token: withdrawn })).toMatchObject({
      status: 403,
      body: { code: ErrorCode.Forbidden },
    });
  });
});
