import type { TalkServer } from '@talk/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, demoConversation, startServer } from '../../test/server.js';
import { ChatStore } from './ChatStore.js';

describe('ChatStore.loadThrough against a real server', () => {
  let server: TalkServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it('pages back until an old message is held, without gap or duplicate, and says when there is none', async () => {
    const alice = await clientFor(server, 'alice');
    const { token } = await demoConversation(alice, 'through');
    const ids: number[] = [];
    for (let i = 0; i < 35; i++) {
      ids.push((await alice.postMessage(token, { message: `m${i}`, referenceId: `through-${i}` })).id);
    }
    const store = new ChatStore(alice, token, { pageSize: 10 });
    await store.start();
    expect(store.items).toHaveLength(10);

    expect(await store.loadThrough(ids[7]!)).toBe(true);
    const held = store.items.map((item) => item.id);
    expect(held).toContain(ids[7]);
    // Contiguous from the page that holds it to the newest: the pages of 10 reach back to m5.
    expect(held).toEqual(ids.slice(5));
    expect(await store.loadThrough(ids[7]!)).toBe(true);
    expect(store.items).toHaveLength(30);

    expect(await store.loadThrough(1)).toBe(ids[0]! <= 1);
    expect(store.hasOlder).toBe(false);
    expect(store.items.map((item) => item.id)).toEqual(ids);
    store.close();
    alice.close();
  });
});
