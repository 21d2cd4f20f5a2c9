import { conversationPath, Routes, systemParametersOf } from '@talk/protocol';
import type { TalkServer } from '@talk/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, demoConversation, startServer, until } from '../../test/server.js';
import type { WebSocketLike } from '../client/SignalingConnection.js';
import { ChatEvent, type ChatItem, ChatItemState, ChatStore, segmentsOf } from './ChatStore.js';

describe('ChatStore against a real server', () => {
  let server: TalkServer;
  beforeAll(async () => {
    // These tests are about the client's typing throttle and expiry; the server's own gate on repeated typing
    // notices (3 s by default, tested in the server's suite) would hold back the notices they send on purpose.
    server = await startServer({ signalingFlow: { repeatIntervalMs: 20 } });
  });
  afterAll(() => server?.close());

  it('shows a sent message once, although both the POST answer and the push deliver it', async () => {
    const alice = await clientFor(server, 'alice');
    const { token } = await demoConversation(alice, 'dedup');
    const store = new ChatStore(alice, token);
    await store.start();
    const states: ChatItemState[][] = [];
    store.on(ChatEvent.ItemsChanged, (items) => states.push(items.map((i) => i.state)));

    const sent = await store.send('hello');
    await alice.listMessages(token); // a round trip, by which the push has arrived too
    expect(states[0]).toEqual([ChatItemState.Pending]);
    expect(store.items.map((i) => [i.id, i.message, i.state])).toEqual([[sent.id, 'hello', ChatItemState.Sent]]);
    store.close();
    alice.close();
  });

  it('orders messages by id and merges pushes from others', async () => {
    const alice = await clientFor(server, 'alice');
    const bob = await clientFor(server, 'bob');
    const { token } = await demoConversation(alice, 'order');
    await demoConversation(bob, 'order');
    await alice.postMessage(token, { message: 'one', referenceId: 'r1' });
    const store = new ChatStore(alice, token);
    await store.start();
    await bob.postMessage(token, { message: 'two', referenceId: 'r2' });
    await store.send('three');
    await until(() => store.items.length === 3, 'three messages');
    expect(store.items.map((i) => i.message)).toEqual(['one', 'two', 'three']);
    const ids = store.items.map((i) => i.id ?? 0);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    store.close();
    alice.close();
    bob.close();
  });

  it('resumes after a dropped socket without losing or repeating a message', async () => {
    const sockets: WebSocketLike[] = [];
    const alice = await clientFor(server, 'alice', {
      createSocket: (url) => {
        const socket = new WebSocket(url);
        sockets.push(socket);
        return socket;
      },
      // Long enough that bob's messages land while alice is offline.
      backoff: { initialDelayMs: 300, jitter: 0 },
    });
    const bob = await clientFor(server, 'bob');
    const { token } = await demoConversation(alice, 'resume');
    await demoConversation(bob, 'resume');
    const store = new ChatStore(alice, token, { pageSize: 2 });
    await store.start();
    await bob.postMessage(token, { message: 'before', referenceId: 'b0' });
    await until(() => store.items.length === 1, 'the pushed message');

    sockets[0]!.close();
    for (let i = 1; i <= 5; i++) await bob.postMessage(token, { message: `offline ${i}`, referenceId: `b${i}` });
    await until(() => store.items.length >= 6, 'catch-up after reconnect');
    await bob.postMessage(token, { message: 'after', referenceId: 'b6' });
    await until(() => store.items.length >= 7, 'the push after reconnect');

    expect(sockets.length).toBeGreaterThan(1);
    expect(store.items.map((i) => i.message)).toEqual([
      'before',
      'offline 1',
      'offline 2',
      'offline 3',
      'offline 4',
      'offline 5',
      'after',
    ]);
    store.close();
    alice.close();
    bob.close();
  });

  it('resends with the same referenceId when an answer is lost, so the server stores it once', async () => {
    let lose = 1;
    const alice = await clientFor(server, 'alice', {
      // The request reaches the server, but the answer is "lost" on the way back.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (init?.method === 'POST' && String(input).endsWith('/messages') && lose-- > 0) {
          throw new TypeError('network connection lost');
        }
        return response;
      },
    });
    const { token } = await demoConversation(alice, 'retry');
    const store = new ChatStore(alice, token, { retryDelayMs: 10 });
    await store.start();

    const sent = await store.send('exactly once');
    const onServer = await alice.listMessages(token);
    expect(onServer.filter((m) => m.message === 'exactly once')).toHaveLength(1);
    expect(onServer.at(-1)?.id).toBe(sent.id);
    expect(store.items.filter((i) => i.message === 'exactly once')).toHaveLength(1);
    store.close();
    alice.close();
  });

  it('marks a message the server rejects as failed, and retry sends it again', async () => {
    let offline = true;
    const alice = await clientFor(server, 'alice', {
      fetch: async (input, init) => {
        if (offline && init?.method === 'POST' && String(input).endsWith('/messages')) throw new TypeError('offline');
        return fetch(input, init);
      },
    });
    const { token } = await demoConversation(alice, 'failed');
    const store = new ChatStore(alice, token, { retryDelayMs: 5, sendAttempts: 2 });
    await store.start();

    await expect(store.send('stuck')).rejects.toMatchObject({ code: 'network' });
    const failed = store.items[0]!;
    expect(failed.state).toBe(ChatItemState.Failed);
    expect(failed.id).toBeNull();

    offline = false;
    const sent = await store.retry(failed.referenceId!);
    expect(store.items).toHaveLength(1);
    expect(store.items[0]).toMatchObject({ key: failed.key, id: sent.id, state: ChatItemState.Sent });
    store.close();
    alice.close();
  });

  it('does not retry a message the server rejects as invalid', async () => {
    let posts = 0;
    const alice = await clientFor(server, 'alice', {
      fetch: (input, init) => {
        if (init?.method === 'POST' && String(input).endsWith('/messages')) posts++;
        return fetch(input, init);
      },
    });
    const { token } = await demoConversation(alice, 'invalid');
    const store = new ChatStore(alice, token, { retryDelayMs: 5 });
    await store.start();
    await expect(store.send('x'.repeat(40_000))).rejects.toMatchObject({ code: 'server' });
    expect(posts).toBe(1);
    expect(store.items[0]?.state).toBe(ChatItemState.Failed);
    store.close();
    alice.close();
  });
  it('lists and merges pushed system messages only for a store that asks for them', async () => {
    const alice = await clientFor(server, 'alice');
    const bob = await clientFor(server, 'bob');
    const { token } = await demoConversation(alice, 'system');
    const plain = new ChatStore(alice, token);
    const withSystem = new ChatStore(alice, token, { system: true });
    await plain.start();
    await withSystem.start();
    expect(withSystem.items.map((i) => [i.kind, i.systemType])).toEqual([['system', 'conversation-created']]);
    await demoConversation(bob, 'system'); // bob joins: the server writes user-joined and pushes it
    await until(() => withSystem.items.length === 2, 'the pushed system message');
    expect(withSystem.items[1]).toMatchObject({ kind: 'system', systemType: 'user-joined', actorId: 'bob' });
    expect(withSystem.items[1]?.systemParameters).toBeNull();
    await alice.request('PATCH', conversationPath(Routes.conversation, token), { name: 'Planning' });
    await until(() => withSystem.items.length === 3, 'the pushed rename');
    const renamed = withSystem.items[2]!;
    expect(systemParametersOf(renamed, 'conversation-renamed')).toEqual({ oldName: 'Demo room', newName: 'Planning' });
    const later = new ChatStore(alice, token, { system: true });
    await later.start();
    expect(later.items.map((i) => i.systemParameters)).toEqual([
      null,
      null,
      { oldName: 'Demo room', newName: 'Planning' },
    ]);
    later.close();
    await alice.postMessage(token, { message: 'hi', referenceId: 'h1' });
    await until(() => plain.items.length === 1, 'the comment');
    expect(plain.items.map((i) => i.message)).toEqual(['hi']);
    plain.close();
    withSystem.close();
    alice.close();
    bob.close();
  });

  it('pages backwards with before and then forwards through pushes, without a gap or a duplicate', async () => {
    const alice = await clientFor(server, 'alice');
    const { token } = await demoConversation(alice, 'paging');
    for (let i = 1; i <= 25; i++) await alice.postMessage(token, { message: `m${i}`, referenceId: `p${i}` });
    const store = new ChatStore(alice, token, { pageSize: 10 });
    await store.start();
    expect(store.items.map((i) => i.message)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 16}`));
    expect(store.hasOlder).toBe(true);
    expect(await store.loadOlder()).toBe(10);
    expect(await store.loadOlder()).toBe(5);
    expect(store.hasOlder).toBe(false);
    expect(await store.loadOlder()).toBe(0);
    await store.send('m26');
    const texts = store.items.map((i) => i.message);
    expect(texts).toEqual(Array.from({ length: 26 }, (_, i) => `m${i + 1}`));
    const ids = store.items.map((i) => i.id!);
    expect(new Set(ids).size).toBe(26);
    store.close();
    alice.close();
  });

  it('applies edits, deletions and reactions live, also to the quote in a reply', async () => {
    const alice = await clientFor(server, 'alice');
    const bob = await clientFor(server, 'bob');
    const { token } = await demoConversation(alice, 'live-changes');
    await demoConversation(bob, 'live-changes');
    const original = await bob.postMessage(token, { message: 'first draft', referenceId: 'e1' });
    const store = new ChatStore(alice, token);
    await store.start();
    const reply = await store.send('answering', { replyTo: original.id });
    expect(reply.replyTo?.id).toBe(original.id);
    expect(store.items[1]?.replyTo).toMatchObject({ id: original.id, message: 'first draft' });

    await bob.editMessage(token, original.id, { message: 'second draft' });
    await until(() => store.items[0]?.editedAt !== null, 'the edit');
    expect(store.items[0]?.message).toBe('second draft');
    expect(store.items[1]?.replyTo?.message).toBe('second draft');

    await bob.setReaction(token, original.id, '👍', true);
    await until(() => store.items[0]?.reactions['👍'] === 1, 'the reaction count');
    await store.toggleReaction(original.id, '👍');
    expect(store.items[0]?.reactions['👍']).toBe(2);
    expect(store.items[0]?.ownReactions).toEqual(['👍']);
    expect(store.items[0]?.reactors?.['👍']?.map((r) => r.actorId).sort()).toEqual(['alice', 'bob']);
    await store.toggleReaction(original.id, '👍');
    await until(() => store.items[0]?.reactions['👍'] === 1, 'the reaction taken back');
    expect(store.items[0]?.ownReactions).toEqual([]);

    await bob.deleteMessage(token, original.id);
    await until(() => store.items[0]?.deletedAt !== null, 'the deletion');
    expect(store.items[0]?.message).toBe('');
    expect(store.items[1]?.replyTo?.deleted).toBe(true);
    store.close();
    alice.close();
    bob.close();
  });

  it('after a reconnect shows what was edited, deleted and reacted to while offline, older than the last id', async () => {
    const sockets: WebSocketLike[] = [];
    const alice = await clientFor(server, 'alice', {
      createSocket: (url) => {
        const socket = new WebSocket(url);
        sockets.push(socket);
        return socket;
      },
      backoff: { initialDelayMs: 300, jitter: 0 },
    });
    const bob = await clientFor(server, 'bob');
    const { token } = await demoConversation(alice, 'offline-changes');
    await demoConversation(bob, 'offline-changes');
    const a = await bob.postMessage(token, { message: 'to edit', referenceId: 'o1' });
    const b = await bob.postMessage(token, { message: 'to delete', referenceId: 'o2' });
    const c = await bob.postMessage(token, { message: 'to react to', referenceId: 'o3' });
    const store = new ChatStore(alice, token);
    await store.start();
    expect(store.items).toHaveLength(3);

    sockets[0]!.close();
    await bob.editMessage(token, a.id, { message: 'edited offline' });
    await bob.deleteMessage(token, b.id);
    await bob.setReaction(token, c.id, '🎉', true);
    await bob.postMessage(token, { message: 'new offline', referenceId: 'o4' });
    await until(() => store.items.length === 4, 'the catch-up');
    await until(() => store.items[2]?.reactors !== null, 'who reacted');
    expect(store.items.map((i) => [i.message, i.editedAt !== null, i.deletedAt !== null])).toEqual([
      ['edited offline', true, false],
      ['', false, true],
      ['to react to', false, false],
      ['new offline', false, false],
    ]);
    expect(store.items[2]?.reactions).toEqual({ '🎉': 1 });
    expect(store.items[2]?.reactors?.['🎉']?.[0]?.actorId).toBe('bob');
    store.close();
    alice.close();
    bob.close();
  });

  it('keeps mentions as structured data and tells which mention the user', async () => {
    const alice = await clientFor(server, 'alice');
    const bob = await clientFor(server, 'bob');
    const { token } = await demoConversation(alice, 'mentions');
    await demoConversation(bob, 'mentions');
    const store = new ChatStore(alice, token);
    await store.start();
    await bob.postMessage(token, { message: 'hey @alice, look', referenceId: 'n1' });
    await bob.postMessage(token, { message: 'no one here', referenceId: 'n2' });
    await until(() => store.items.length === 2, 'the messages');
    const [mentioning, plain] = store.items as [ChatItem, ChatItem];
    expect(mentioning.mentions).toEqual([{ type: 'user', id: 'alice', name: 'ALICE' }]);
    expect(segmentsOf(mentioning.message, mentioning.mentions)).toEqual([
      { text: 'hey ' },
      { text: '@alice', mention: { type: 'user', id: 'alice', name: 'ALICE' } },
      { text: ', look' },
    ]);
    expect(store.mentionsMe(mentioning)).toBe(true);
    expect(store.mentionsMe(plain)).toBe(false);
    store.close();
    alice.close();
    bob.close();
  });

  it('places the unread divider from the server counts and moves the read marker as messages are seen', async () => {
    const alice = await clientFor(server, 'alice');
    const bob = await clientFor(server, 'bob');
    const { token } = await demoConversation(alice, 'unread');
    await demoConversation(bob, 'unread');
    await alice.postMessage(token, { message: 'mine', referenceId: 'u0' });
    const first = await bob.postMessage(token, { message: 'one', referenceId: 'u1' });
    await bob.postMessage(token, { message: 'two @alice', referenceId: 'u2' });
    const store = new ChatStore(alice, token, { readMarkerDelayMs: 10 });
    const changes: number[] = [];
    store.on(ChatEvent.UnreadChanged, (unread) => changes.push(unread.count));
    await store.start();
    expect(store.unread).toEqual({ count: 2, mentions: 1, dividerBefore: first.id });

    const third = await bob.postMessage(token, { message: 'three', referenceId: 'u3' });
    await until(() => store.unread.count === 3, 'the live unread count');
    store.markSeen(first.id);
    expect(store.unread).toMatchObject({ count: 2, mentions: 1, dividerBefore: first.id });
    store.markSeen(third.id);
    expect(store.unread).toMatchObject({ count: 0, mentions: 0 });
    expect(changes).toEqual([2, 3, 2, 0]);
    await until(() => false, 'the marker delay', 100).catch(() => {});
    const conversation = (await alice.listConversations()).find((c) => c.token === token);
    expect(conversation?.unreadMessages).toBe(0);
    store.close();
    alice.close();
    bob.close();
  });

  it('sends typing throttled and shows who types until they stop or the notice expires', async () => {
    const alice = await clientFor(server, 'alice');
    const bob = await clientFor(server, 'bob');
    const { token } = await demoConversation(alice, 'typing');
    await demoConversation(bob, 'typing');
    const watching = new ChatStore(alice, token, { typing: { expiryMs: 300 } });
    const typing = new ChatStore(bob, token, { typing: { throttleMs: 10_000, idleMs: 150 } });
    await watching.start();
    await typing.start();
    const sent: boolean[] = [];
    const send = bob.send.bind(bob);
    bob.send = (message) => {
      if (message.type === 'typing') sent.push(message.typing);
      send(message);
    };
    typing.noteTyping();
    typing.noteTyping();
    typing.noteTyping();
    await until(() => watching.typists.length === 1, 'bob typing');
    expect(watching.typists[0]).toMatchObject({ userId: 'bob', displayName: 'BOB' });
    expect(typing.typists).toEqual([]); // nobody sees their own typing
    await until(() => watching.typists.length === 0, 'bob stopped after the idle time');
    expect(sent).toEqual([true, false]);

    // A notice that is never followed by "stopped" (a closed tab) expires on its own.
    bob.send({ type: 'typing', conversation: token, typing: true });
    await until(() => watching.typists.length === 1, 'bob typing again');
    await until(() => watching.typists.length === 0, 'the notice to expire', 2_000);
    watching.close();
    typing.close();
    alice.close();
    bob.close();
  });
});
