import { type Conversation, conversationPath, Routes, type ServerMessageOf } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, conversationOf, login, startTestServer, TestSocket } from '../testing/harness.js';

const bob = { userId: 'bob', displayName: 'BOB' };

/** The `conversation-changed` notices of one conversation, taken from the socket's queue, in order. */
async function changesOf(socket: TestSocket, conversation: string): Promise<string[]> {
  await socket.roundTrip();
  return socket
    .pending('conversation-changed')
    .map((m) => m as ServerMessageOf<'conversation-changed'>)
    .filter((m) => m.conversation === conversation)
    .map((m) => m.change);
}

describe('conversation-changed: what keeps a conversation list live without joining', () => {
  let server: TalkServer;
  let alice: string;
  let bobToken: string;
  beforeAll(async () => {
    server = await startTestServer();
    alice = await login(server, 'alice', 'Alice');
    bobToken = await login(server, 'bob', 'BOB');
  });
  afterAll(() => server.close());

  it('reaches every session of every participant, joined or not, on messages, changes, calls and reads', async () => {
    const aliceTab = await TestSocket.connect(server, alice);
    const aliceOtherTab = await TestSocket.connect(server, alice);
    const bobTab = await TestSocket.connect(server, bobToken);
    const conversation = await conversationOf(server, alice, [bob]);
    // Neither of bob's nor alice's sessions joined: the creation's system message still reaches both lists.
    await bobTab.nextWhere('conversation-changed', (m) => m.conversation === conversation && m.change === 'message');
    await aliceTab.nextWhere('conversation-changed', (m) => m.conversation === conversation);

    const path = conversationPath(Routes.messages, conversation);
    const posted = await call<{ id: number }>(server, 'POST', path, {
      token: bobToken,
      body: { message: 'hi', referenceId: 'hi' },
    });
    expect(posted.status).toBe(201);
    expect(await changesOf(aliceTab, conversation)).toEqual(['message']);
    // What a list then fetches: the one conversation as the list shows it, with the unread count.
    const seen = await call<Conversation>(server, 'GET', conversationPath(Routes.conversation, conversation), {
      token: alice,
    });
    expect(seen.body).toMatchObject({ unreadMessages: 1, lastMessage: { id: posted.body.id, message: 'hi' } });

    // The read marker moves in one tab: the user's other tabs hear it, bob does not.
    await bobTab.roundTrip();
    const bobBefore = (await changesOf(bobTab, conversation)).length;
    const read = await call(server, 'POST', conversationPath(Routes.readMarker, conversation), {
      token: alice,
      body: { lastReadMessageId: posted.body.id },
    });
    expect(read.status).toBe(204);
    expect((await changesOf(aliceOtherTab, conversation)).at(-1)).toBe('read');
    expect(await changesOf(bobTab, conversation)).toHaveLength(bobBefore);

    const renamed = await call(server, 'PATCH', conversationPath(Routes.conversation, conversation), {
      token: alice,
      body: { name: 'Renamed' },
    });
    expect(renamed.status).toBe(200);
    // The rename's system message, then the settings change.
    expect((await changesOf(bobTab, conversation)).slice(-2)).toEqual(['message', 'updated']);

    // A call started by a joined session reaches the list of one that never joined.
    await aliceTab.join(conversation);
    aliceTab.send({ type: 'call-join', conversation, media: { audio: true, video: false } });
    await bobTab.nextWhere('conversation-changed', (m) => m.conversation === conversation && m.change === 'call');
    aliceTab.send({ type: 'call-leave', conversation });
    await bobTab.nextWhere('conversation-changed', (m) => m.conversation === conversation && m.change === 'call');
    await Promise.all([aliceTab.close(), aliceOtherTab.close(), bobTab.close()]);
  });

  it('tells a removed user and everyone in a deleted conversation, and nobody outside', async () => {
    const carol = await login(server, 'carol', 'CAROL');
    const carolTab = await TestSocket.connect(server, carol);
    const bobTab = await TestSocket.connect(server, bobToken);
    const conversation = await conversationOf(server, alice, [bob]);
    await bobTab.nextWhere('conversation-changed', (m) => m.conversation === conversation);

    const removed = await call(
      server,
      'DELETE',
      conversationPath(Routes.participant, conversation, { userId: 'bob' }),
      {
        token: alice,
      },
    );
    expect(removed.status).toBe(204);
    await bobTab.nextWhere('conversation-changed', (m) => m.conversation === conversation && m.change === 'removed');
    // Removed, bob hears nothing more of it.
    await call(server, 'POST', conversationPath(Routes.messages, conversation), {
      token: alice,
      body: { message: 'after bob', referenceId: 'after-bob' },
    });
    expect(await changesOf(bobTab, conversation)).toEqual([]);

    const other = await conversationOf(server, alice, [bob]);
    await bobTab.nextWhere('conversation-changed', (m) => m.conversation === other);
    const deleted = await call(server, 'DELETE', conversationPath(Routes.conversation, other), { token: alice });
    expect(deleted.status).toBe(204);
    await bobTab.nextWhere('conversation-changed', (m) => m.conversation === other && m.change === 'deleted');

    // Carol was in neither.
    expect(await changesOf(carolTab, conversation)).toEqual([]);
    expect(await changesOf(carolTab, other)).toEqual([]);
    await Promise.all([carolTab.close(), bobTab.close()]);
  });

  it('keeps the notices of a dropped socket for its resume', async () => {
    const bobTab = await TestSocket.connect(server, bobToken);
    const conversation = await conversationOf(server, alice, [bob]);
    await bobTab.nextWhere('conversation-changed', (m) => m.conversation === conversation);
    const sessionId = bobTab.sessionId;
    await bobTab.drop();
    await call(server, 'POST', conversationPath(Routes.messages, conversation), {
      token: alice,
      body: { message: 'while away', referenceId: 'away' },
    });
    const back = await TestSocket.open(server);
    expect((await back.hello(bobToken, sessionId)).resumed).toBe(true);
    await back.nextWhere('conversation-changed', (m) => m.conversation === conversation && m.change === 'message');
    await back.close();
  });
});
