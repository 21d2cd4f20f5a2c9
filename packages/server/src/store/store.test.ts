import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshStorage, testStorageKind } from '../testing/storage.js';
import { Store } from './store.js';

const alice = { userId: 'alice', displayName: 'Alice' };

describe('Store', () => {
  it('keeps conversations and messages in a PGlite folder across a restart, migrating only once', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'talk-pglite-')), 'db');
    const first = await Store.open({ kind: 'pglite', dataDir });
    const { conversation } = await first.conversations.create({ type: 'group', name: 'Kept' }, alice);
    const { message } = await first.messages.post(conversation.token, alice, 'still here', 'r1');
    await first.close();

    const second = await Store.open({ kind: 'pglite', dataDir });
    expect(await second.conversations.listOf('alice')).toEqual([
      {
        ...conversation,
        lastActivity: message.createdAt,
        role: 'owner',
        permissions: 63,
        lastMessage: message,
        unreadMessages: 0,
        unreadMentions: 0,
        unreadMention: false,
      },
    ]);
    expect(await second.messages.list(conversation.token, { limit: 10 })).toEqual([message]);
    const next = await second.messages.post(conversation.token, alice, 'after restart', 'r2');
    expect(next.message.id).toBeGreaterThan(message.id);
    await second.close();
  });

  it('moves a conversation to the top of its members’ lists when a message is posted', async () => {
    const store = await Store.open({ kind: 'pglite', dataDir: 'memory://' });
    const older = (await store.conversations.create({ type: 'group', name: 'older' }, alice)).conversation;
    const newer = (await store.conversations.create({ type: 'group', name: 'newer' }, alice)).conversation;
    expect((await store.conversations.listOf('alice')).map((c) => c.name)).toEqual(['newer', 'older']);
    await store.messages.post(older.token, alice, 'bump', 'b');
    expect((await store.conversations.listOf('alice')).map((c) => c.token)).toEqual([older.token, newer.token]);
    await store.close();
  });
});

describe.skipIf(testStorageKind !== 'postgres')('Store on PostgreSQL', () => {
  it('migrates, stores and pages messages with numeric ids like PGlite does', async () => {
    const store = await Store.open(await freshStorage());
    try {
      const { conversation } = await store.conversations.create({ type: 'group', name: 'pg' }, alice);
      const first = await store.messages.post(conversation.token, alice, 'one', 'r1');
      const retry = await store.messages.post(conversation.token, alice, 'one', 'r1');
      expect(retry).toEqual({ message: first.message, created: false });
      const second = await store.messages.post(conversation.token, alice, 'two', 'r2');
      expect(typeof second.message.id).toBe('number');
      expect(await store.messages.list(conversation.token, { after: first.message.id, limit: 5 })).toEqual([
        second.message,
      ]);
    } finally {
      await store.close();
    }
  });
});
