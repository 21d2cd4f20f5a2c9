import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshStorage, testStorageKind } from '../testing/storage.js';
import { Store } from './store.js';

const alice = { userId: 'alice', displayName: 'Alice' };
const bob = { userId: 'bob', displayName: 'Bob' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('message order', () => {
  let store: Store;
  beforeEach(async () => {
    store = await Store.open(await freshStorage());
  });
  afterEach(async () => {
    await store.close();
  });

  // PGlite has one connection, so two transactions never overlap there; PostgreSQL is where ids commit out of order.
  it.runIf(testStorageKind === 'postgres')(
    'catches up after the last message seen without missing one that drew a lower id and committed later',
    async () => {
      const storage = await freshStorage();
      if (storage.kind !== 'postgres') throw new Error('needs PostgreSQL');
      await store.close();
      store = await Store.open(storage);
      // The injected delay: a trigger makes the insert of "late" take a second after it has drawn its id, as a
      // slow disk or a busy server would, before the rest of its transaction and its commit.
      const db = new pg.Client({ connectionString: storage.url });
      await db.connect();
      await db.query(`create function slow_late() returns trigger language plpgsql as $$
        begin if new.message = 'late' then perform pg_sleep(1); end if; return new; end $$`);
      await db.query('create trigger slow_late after insert on messages for each row execute function slow_late()');
      await db.end();

      const { conversation } = await store.conversations.create({ type: 'group', name: 'order' }, alice, [bob]);
      const token = conversation.token;
      const before = (await store.messages.post(token, alice, 'before', 'r0')).message;
      const late = store.messages.post(token, alice, 'late', 'r1');
      await sleep(200);
      const early = store.messages.post(token, bob, 'early', 'r2');
      await sleep(300);
      // A client catching up now sees what has committed so far and remembers the last one.
      const seen = await store.messages.list(token, { limit: 100 });
      const [lateMessage, earlyMessage] = (await Promise.all([late, early])).map((posted) => posted.message);
      const caughtUp = await store.messages.list(token, { after: seen.at(-1)!.id, limit: 100 });

      expect(lateMessage!.id).toBeLessThan(earlyMessage!.id);
      const ids = [...seen, ...caughtUp].map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length); // each once…
      expect(ids.sort((x, y) => x - y)).toEqual([before.id, lateMessage!.id, earlyMessage!.id]); // …none missed
      expect((await store.messages.list(token, { limit: 100 })).map((m) => m.message)).toEqual([
        'before',
        'late',
        'early',
      ]);
    },
  );

  it('numbers messages per conversation, so paging after an id of another conversation still finds the place', async () => {
    const one = (await store.conversations.create({ type: 'group', name: 'one' }, alice)).conversation.token;
    const two = (await store.conversations.create({ type: 'group', name: 'two' }, alice)).conversation.token;
    const a1 = (await store.messages.post(one, alice, 'a1', 'a1')).message;
    const b1 = (await store.messages.post(two, alice, 'b1', 'b1')).message;
    const a2 = (await store.messages.post(one, alice, 'a2', 'a2')).message;
    expect((await store.messages.list(one, { after: b1.id, limit: 10 })).map((m) => m.id)).toEqual([a2.id]);
    expect((await store.messages.list(one, { after: 0, limit: 10 })).map((m) => m.id)).toEqual([a1.id, a2.id]);
    expect((await store.messages.list(one, { before: a2.id, limit: 10 })).map((m) => m.id)).toEqual([a1.id]);
    // A retried post (same reference id) returns the first one and adds nothing.
    expect((await store.messages.post(one, alice, 'a2 again', 'a2')).created).toBe(false);
    expect((await store.messages.list(one, { limit: 10 })).map((m) => m.id)).toEqual([a1.id, a2.id]);
  });
});
