import type { TalkServer } from '@talk/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, demoConversation, startServer, until } from '../../test/server.js';
import type { WebSocketLike } from '../client/SignalingConnection.js';
import { ChatEvent, ChatItemState, ChatStore } from './ChatStore.js';

describe('ChatStore against a real server', () => {
  let server: TalkServer;
  beforeAll(async () => {
    server = await startServer();
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
    await alice.postMessage(token, { message: 'hi', referenceId: 'h1' });
    await until(() => plain.items.length === 1, 'the comment');
    expect(plain.items.map((i) => i.message)).toEqual(['hi']);
    plain.close();
    withSystem.close();
    alice.close();
    bob.close();
  });
});
