import type { Conversation, ConversationChange } from '@talk/protocol';
import { describe, expect, it } from 'vitest';
import { ClientEvent } from '../client/events.js';
import type { TalkClientLike } from '../client/TalkClientLike.js';
import { TalkError, TalkErrorCode } from '../errors.js';
import { FixtureClient } from '../testing/FixtureClient.js';
import { conversations, people } from '../testing/seed.js';
import { ConversationListEvent, ConversationListStore, entryOf, filterConversations } from './ConversationListStore.js';

async function started() {
  const client = new FixtureClient({ latencyMs: 1 });
  const store = new ConversationListStore(client);
  await store.start();
  return { client, store };
}

/** Resolves once `check` holds; fails naming `what` after 10 s (a loaded machine runs many suites at once). */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function conversation(token: string, overrides: Partial<Conversation> = {}): Conversation {
  return {
    token,
    type: 'group',
    name: token,
    object: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    lastActivity: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A client whose conversation fetches wait until the test answers them, and which pushes on demand. */
class HeldClient extends FixtureClient {
  readonly fetches: Array<{ token: string; answer: (c: Conversation | TalkError) => void }> = [];
  list: Conversation[] = [];

  override async listConversations(): Promise<Conversation[]> {
    return this.list;
  }

  override getConversation(token: string): Promise<Conversation> {
    return new Promise((resolve, reject) =>
      this.fetches.push({ token, answer: (c) => (c instanceof TalkError ? reject(c) : resolve(c)) }),
    );
  }

  push(token: string, change: ConversationChange): void {
    this.emit(ClientEvent.ConversationChanged, token, change);
  }

  /** As a reconnect that got a new session. */
  reconnect(): void {
    this.emit(ClientEvent.Connected, 'new-session', { reconnected: true, resumed: false });
  }
}

describe('ConversationListStore', () => {
  it('lists the conversations newest activity first, with last message, unread and mention counts', async () => {
    const { store } = await started();
    const times = store.entries.map((entry) => entry.lastActivity);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const design = store.get(conversations.design)!;
    expect(design.lastMessage?.message).toBeTruthy();
    expect(store.entries.some((entry) => entry.unread > 0)).toBe(true);
    expect(store.loaded).toBe(true);
  });

  it('moves a conversation to the top when someone writes in it, counting the unread message and the mention', async () => {
    const { client, store } = await started();
    const bottom = store.entries.at(-1)!;
    const before = bottom.unread;
    client.receive(bottom.token, people.ben.userId, 'Hello @alice');
    await until(() => store.entries[0]?.token === bottom.token, 'the row at the top');
    expect(store.entries[0]!.unread).toBe(before + 1);
    expect(store.entries[0]!.mentions).toBeGreaterThanOrEqual(1);
    expect(store.entries[0]!.lastMessage?.message).toBe('Hello @alice');
  });

  it('clears the counts when the user reads the conversation elsewhere', async () => {
    const { client, store } = await started();
    const unread = store.entries.find((entry) => entry.unread > 0)!;
    await client.markRead(unread.token, unread.lastMessage!.id);
    await until(() => store.get(unread.token)?.unread === 0, 'the unread count to clear');
    expect(store.get(unread.token)!.mentions).toBe(0);
  });

  it('adds a conversation it creates, and tells its listeners', async () => {
    const { store } = await started();
    const seen: number[] = [];
    store.on(ConversationListEvent.EntriesChanged, (entries) => seen.push(entries.length));
    const count = store.entries.length;
    const entry = await store.create({ type: 'group', name: 'Offsite' });
    expect(store.get(entry.token)?.name).toBe('Offsite');
    expect(store.entries).toHaveLength(count + 1);
    expect(seen.at(-1)).toBe(count + 1);
  });

  it('fetches a conversation once per burst of pushes, once more for what came during the fetch', async () => {
    const client = new HeldClient({ latencyMs: 1 });
    client.list = [conversation('a')];
    const store = new ConversationListStore(client);
    await store.start();
    client.push('a', 'message');
    client.push('a', 'message');
    client.push('a', 'read');
    expect(client.fetches).toHaveLength(1);
    client.fetches[0]!.answer(conversation('a', { unreadMessages: 2 }));
    await until(() => client.fetches.length === 2, 'the second fetch');
    client.fetches[1]!.answer(conversation('a', { unreadMessages: 0 }));
    await until(() => store.get('a')?.unread === 0, 'the newest answer');
    expect(client.fetches).toHaveLength(2);
  });

  it('keeps a removed conversation out even when a fetch from before the removal answers afterwards', async () => {
    const client = new HeldClient({ latencyMs: 1 });
    client.list = [conversation('a'), conversation('b')];
    const store = new ConversationListStore(client);
    await store.start();
    client.push('a', 'message');
    client.push('a', 'removed');
    expect(store.get('a')).toBeUndefined();
    client.fetches[0]!.answer(conversation('a', { unreadMessages: 5 }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.get('a')).toBeUndefined();
    // A fetch that finds the conversation gone drops it too.
    client.push('b', 'updated');
    client.fetches[1]!.answer(new TalkError(TalkErrorCode.Server, 'No such conversation', { status: 404 }));
    await until(() => store.get('b') === undefined, 'b to go');
  });

  it('reports a failed fetch as an error and keeps the entry', async () => {
    const client = new HeldClient({ latencyMs: 1 });
    client.list = [conversation('a')];
    const store = new ConversationListStore(client);
    await store.start();
    const errors: TalkError[] = [];
    store.on(ConversationListEvent.Error, (error) => errors.push(error));
    client.push('a', 'message');
    client.fetches[0]!.answer(new TalkError(TalkErrorCode.Network, 'offline'));
    await until(() => errors.length === 1, 'the error');
    expect(store.get('a')).toBeDefined();
  });

  it('fetches the whole list again after a reconnect', async () => {
    const client = new HeldClient({ latencyMs: 1 });
    client.list = [conversation('a')];
    const store = new ConversationListStore(client);
    await store.start();
    client.list = [conversation('a'), conversation('b', { unreadMessages: 1 })];
    client.reconnect();
    await until(() => store.get('b')?.unread === 1, 'the conversation added while away');
  });
});

describe('filterConversations', () => {
  it('matches every word of the query in the name, ignoring case and accents', () => {
    const entries = ['Zoë Dubois', 'Design team', 'Release planning', 'ليلى حداد'].map((name) =>
      entryOf(conversation(name.replace(/\s/g, '-'), { name })),
    );
    expect(filterConversations(entries, 'zoe').map((e) => e.name)).toEqual(['Zoë Dubois']);
    expect(filterConversations(entries, 'TEAM des').map((e) => e.name)).toEqual(['Design team']);
    expect(filterConversations(entries, 'ليلى').map((e) => e.name)).toEqual(['ليلى حداد']);
    expect(filterConversations(entries, '  ')).toHaveLength(4);
    expect(filterConversations(entries, 'nothing')).toEqual([]);
  });
});

// A type check only: the store takes any client of the shared interface.
const _typed: (client: TalkClientLike) => ConversationListStore = (client) => new ConversationListStore(client);
void _typed;
