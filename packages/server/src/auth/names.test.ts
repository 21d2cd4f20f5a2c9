import { describe, expect, it } from 'vitest';
import type { Store } from '../store/store.js';
import { NameBook } from './names.js';

/** A store that only counts the names written to it. */
function countingStore() {
  const writes: string[] = [];
  const store = {
    participants: {
      recordName: async (userId: string, displayName: string) => {
        writes.push(`${userId}=${displayName}`);
      },
    },
  } as unknown as Store;
  return { store, writes };
}

describe('the name book', () => {
  it('writes a user’s name once until it changes, and forgets the users seen longest ago first when full', async () => {
    const { store, writes } = countingStore();
    const book = new NameBook(store, 3);
    for (const userId of ['a', 'b', 'c']) await book.presented({ userId, displayName: userId.toUpperCase() });
    await book.presented({ userId: 'a', displayName: 'A' }); // known: no write, and now the most recent
    expect(writes).toEqual(['a=A', 'b=B', 'c=C']);

    await book.presented({ userId: 'd', displayName: 'D' }); // full: b, seen longest ago, is forgotten
    for (const userId of ['a', 'c', 'd']) await book.presented({ userId, displayName: userId.toUpperCase() });
    expect(writes).toEqual(['a=A', 'b=B', 'c=C', 'd=D']);
    await book.presented({ userId: 'b', displayName: 'B' });
    expect(writes.at(-1)).toBe('b=B');

    await book.presented({ userId: 'c', displayName: 'Cecilia' }); // a new name is always written
    expect(writes.at(-1)).toBe('c=Cecilia');
    await book.presented({ userId: 'g', displayName: 'G', guestOf: 'room' }); // a guest's name is fixed elsewhere
    expect(writes).toHaveLength(6);
  });
});
