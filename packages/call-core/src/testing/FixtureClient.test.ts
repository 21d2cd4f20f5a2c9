import { describe, expect, it } from 'vitest';
import { ChatEvent, ChatItemState, ChatStore } from '../chat/ChatStore.js';
import { TalkErrorCode } from '../errors.js';
import { FixtureClient } from './FixtureClient.js';
import { conversations, people } from './seed.js';

/** A started store over a fresh fixture client, with retries fast enough for a test. */
async function storeFor(conversation: string) {
  const client = new FixtureClient({ latencyMs: 1 });
  const store = new ChatStore(client, conversation, { retryDelayMs: 1 });
  await store.start();
  return { client, store };
}

describe('FixtureClient', () => {
  it('serves the seeded history to a ChatStore, with its authors and an Arabic name', async () => {
    const { store } = await storeFor(conversations.design);
    expect(store.items).toHaveLength(13);
    expect(new Set(store.items.map((item) => item.actorDisplayName))).toContain(people.layla.displayName);
    expect(store.items.every((item) => item.state === ChatItemState.Sent)).toBe(true);
  });

  it('stores a sent message and pushes it once, so the store shows it once', async () => {
    const { client, store } = await storeFor(conversations.welcome);
    const message = await store.send('Hello 👋');
    expect(store.items.map((item) => item.message)).toEqual(['Hello 👋']);
    expect(client.conversation(conversations.welcome).messages).toEqual([message]);
  });

  it('keeps a held message pending and fails a failed one after the retries, which a retry then delivers', async () => {
    const { client, store } = await storeFor(conversations.welcome);
    client.sendOutcome = 'hold';
    void store.send('on its way');
    // Many latencies later it is still on its way.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(store.items[0]?.state).toBe(ChatItemState.Pending);
    client.sendOutcome = 'fail';
    await expect(store.send('lost')).rejects.toMatchObject({ code: TalkErrorCode.Network });
    const failed = store.items.find((item) => item.message === 'lost');
    expect(failed?.state).toBe(ChatItemState.Failed);
    client.sendOutcome = 'deliver';
    await store.retry(failed?.referenceId ?? '');
    expect(store.items.find((item) => item.message === 'lost')?.state).toBe(ChatItemState.Sent);
  });

  it('fails loading a conversation seeded with an error, as the server would', async () => {
    const client = new FixtureClient({ latencyMs: 1 });
    const store = new ChatStore(client, conversations.archive);
    const errors: unknown[] = [];
    store.on(ChatEvent.Error, (error) => errors.push(error));
    await expect(store.start()).rejects.toMatchObject({ status: 503 });
    expect(errors).toHaveLength(1);
  });

  it('pushes what someone else writes to the store of a joined conversation', async () => {
    const { client, store } = await storeFor(conversations.welcome);
    client.receive(conversations.welcome, 'ben', 'Welcome aboard!');
    expect(store.items.map((item) => [item.actorDisplayName, item.message])).toEqual([
      ['Ben Carter', 'Welcome aboard!'],
    ]);
  });

  it('lists who is in a seeded call and follows what the page announces', async () => {
    const client = new FixtureClient({ latencyMs: 1 });
    const sessions = await client.join(conversations.standup);
    expect(sessions.filter((session) => session.inCall)).toHaveLength(5);
    client.send({ type: 'call-join', conversation: conversations.standup, media: { audio: false, video: true } });
    const self = client.sessions(conversations.standup).find((session) => session.sessionId === client.sessionId);
    expect(self).toMatchObject({ inCall: true, media: { audio: false, video: true } });
  });

  it('pages search and shared items newest first, and lists pins with the note a pin writes', async () => {
    const { client, store } = await storeFor(conversations.design);
    const found = await client.searchMessages(conversations.design, { q: 'release notes' });
    expect(found.messages.length).toBeGreaterThan(0);
    expect(found.messages.every((m) => /release/i.test(m.message) && /notes/i.test(m.message))).toBe(true);
    const links = await client.listSharedItems(conversations.design, { type: 'link', limit: 1 });
    expect(links.messages[0]?.message).toMatch(/https:\/\//);
    const everywhere = await client.searchAllMessages({ q: 'stand', limit: 1 });
    expect(everywhere.messages[0]?.conversation).toBe(conversations.standup);
    const pinned = store.items.at(-1)!.id!;
    await client.pinMessage(conversations.design, pinned);
    expect((await client.listPinnedMessages(conversations.design)).map((pin) => pin.message.id)).toEqual([pinned]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.items.at(-1)?.systemType).toBe('message-pinned');
  });
});
