import type { TalkServer } from '@talk/server';
import { TcpProxy } from '@talk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startServer, until } from '../../test/server.js';
import { ClientEvent, ConnectionState } from '../client/events.js';
import type { TalkClient } from '../client/TalkClient.js';
import { ConversationListStore } from './ConversationListStore.js';

describe('ConversationListStore against a real server', () => {
  let server: TalkServer;
  let proxy: TcpProxy;
  let alice: TalkClient;
  let aliceElsewhere: TalkClient;
  let bob: TalkClient;
  let store: ConversationListStore;
  /** While set, alice's reconnect attempts fail, as they would with the network down. */
  let offline = false;
  beforeAll(async () => {
    // No grace for a resume: a dropped socket loses its session and the pushes meant for it.
    server = await startServer({ resumeGraceMs: 0 });
    proxy = await TcpProxy.start(server.port);
    alice = await clientFor(server, 'alice', {
      createSocket: (url) =>
        new WebSocket(offline ? 'ws://127.0.0.1:1/' : url.replace(`:${server.port}/`, `:${proxy.port}/`)),
    });
    aliceElsewhere = await clientFor(server, 'alice');
    bob = await clientFor(server, 'bob');
    store = new ConversationListStore(alice);
    await store.start();
    await until(() => alice.sessionId !== null, 'alice connected');
  });
  afterAll(async () => {
    store?.close();
    for (const client of [alice, aliceElsewhere, bob]) client?.close();
    await proxy?.close();
    await server?.close();
  });

  it('shows what bob writes in conversations alice never joined: unread, mention, order, and clears on a read elsewhere', async () => {
    const older = await bob.createConversation({ type: 'group', name: 'Older', participants: [{ userId: 'alice' }] });
    const newer = await bob.createConversation({ type: 'group', name: 'Newer', participants: [{ userId: 'alice' }] });
    await until(() => store.get(older.token) !== undefined && store.get(newer.token) !== undefined, 'both added');
    expect(store.entries[0]!.token).toBe(newer.token);

    await bob.postMessage(older.token, { message: 'Hi @alice, see the draft', referenceId: 'm1' });
    await until(() => store.entries[0]?.token === older.token, 'the older conversation at the top');
    await until(() => store.get(older.token)!.unread === 1, 'one unread');
    expect(store.get(older.token)).toMatchObject({ unread: 1, mentions: 1, name: 'Older' });
    expect(store.get(older.token)!.lastMessage?.message).toBe('Hi @alice, see the draft');

    const last = store.get(older.token)!.lastMessage!.id;
    await aliceElsewhere.markRead(older.token, last);
    await until(() => store.get(older.token)!.unread === 0, 'the read elsewhere to clear it');
    expect(store.get(older.token)!.mentions).toBe(0);
  });

  it('follows renames, calls, removal and deletion', async () => {
    const { token } = await bob.createConversation({
      type: 'group',
      name: 'Plans',
      participants: [{ userId: 'alice' }],
    });
    await until(() => store.get(token) !== undefined, 'added');
    await bob.request('PATCH', `/api/v1/conversations/${token}`, { name: 'Plans 2027' });
    await until(() => store.get(token)?.name === 'Plans 2027', 'the new name');

    await bob.join(token);
    bob.send({ type: 'call-join', conversation: token, media: { audio: true, video: false } });
    await until(() => store.get(token)?.callActive === true, 'the call mark');
    bob.send({ type: 'call-leave', conversation: token });
    await until(() => store.get(token)?.callActive === false, 'the call mark to go');
    bob.leave(token);

    await bob.request('DELETE', `/api/v1/conversations/${token}/participants/alice`);
    await until(() => store.get(token) === undefined, 'gone after the removal');

    const other = await bob.createConversation({ type: 'group', name: 'Doomed', participants: [{ userId: 'alice' }] });
    await until(() => store.get(other.token) !== undefined, 'added');
    await bob.request('DELETE', `/api/v1/conversations/${other.token}`);
    await until(() => store.get(other.token) === undefined, 'gone after the deletion');
  });

  it('creates a one-to-one and a public conversation with a password through the store', async () => {
    const direct = await store.create({ type: 'one-to-one', name: 'bob', participants: [{ userId: 'bob' }] });
    expect(direct.type).toBe('one-to-one');
    const open = await store.create({ type: 'public', name: 'Open house', password: 'let me in' });
    expect(open.conversation.hasPassword).toBe(true);
    expect(store.get(direct.token)).toBeDefined();
    expect(store.get(open.token)?.name).toBe('Open house');
    // Bob's list would show the one-to-one too: the server told him.
    expect((await bob.listConversations()).map((c) => c.token)).toContain(direct.token);
  });

  it('is not stale after a reconnect that lost pushes', async () => {
    const { token } = await bob.createConversation({
      type: 'group',
      name: 'Away',
      participants: [{ userId: 'alice' }],
    });
    await until(() => store.get(token) !== undefined, 'added');
    const reconnected = new Promise<void>((resolve) =>
      alice.once(ClientEvent.Connected, (_session, { reconnected }) => reconnected && resolve()),
    );
    // Cut without a close frame, so alice's client reconnects, while the server (without a grace) ends her session:
    // what bob writes before she is back is pushed to nobody.
    offline = true;
    const unreadBefore = store.get(token)!.unread;
    expect(proxy.kill()).toBe(true);
    await until(() => alice.connectionState === ConnectionState.Reconnecting, 'alice to be reconnecting');
    await bob.postMessage(token, { message: 'while you were away', referenceId: 'away' });
    // The push went nowhere: the list has not moved.
    expect(store.get(token)!.unread).toBe(unreadBefore);
    offline = false;
    await reconnected;
    await until(() => store.get(token)?.unread === 1, 'the message written while away');
    expect(store.get(token)!.lastMessage?.message).toBe('while you were away');
  });
});
