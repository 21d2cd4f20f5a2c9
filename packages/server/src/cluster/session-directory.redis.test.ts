import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REDIS_OPTIONS } from '../pubsub/redis.js';
import { SessionDirectory, type SessionRecord } from './session-directory.js';

// Two instances' views of one directory, each on a connection of its own, as two processes would hold them.
let connections: Redis[];
let mine: SessionDirectory;
let theirs: SessionDirectory;
beforeAll(() => {
  connections = [new Redis(inject('redisUrl'), REDIS_OPTIONS), new Redis(inject('redisUrl'), REDIS_OPTIONS)];
  const prefix = `test-${randomUUID()}:`;
  mine = new SessionDirectory(connections[0]!, 10_000, prefix);
  theirs = new SessionDirectory(connections[1]!, 10_000, prefix);
});
afterAll(async () => {
  await Promise.all(connections.map((redis) => redis.quit()));
});

const record: SessionRecord = { userId: 'alice', createdAt: 0, memberships: [] };

describe('the session directory', () => {
  it('lets a release and a claim sent at once never both win', async () => {
    const outcomes = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const id = randomUUID();
      await mine.save(id, 'one', record);
      // Sent in either order on two connections: Redis runs each script whole, one before the other.
      const [released, claimed] =
        i % 2 === 0
          ? await Promise.all([mine.release(id, 'one'), theirs.claim(id, 'two')])
          : await Promise.all([theirs.claim(id, 'two'), mine.release(id, 'one')]).then(([c, r]) => [r, c] as const);
      if (claimed) {
        expect(released).toBe('taken');
        expect(claimed.previousOwner).toBe('one');
        expect(await theirs.get(id)).toEqual(record);
      } else {
        expect(released).toBe('released');
        expect(await theirs.get(id)).toBeUndefined();
      }
      outcomes.add(released);
    }
    // The record was there for both: neither found it gone.
    expect(outcomes.has('gone')).toBe(false);
  });

  it('says gone for a record that is no longer there, and keeps a claimed one from its old owner', async () => {
    const id = randomUUID();
    expect(await mine.release(id, 'one')).toBe('gone');
    await mine.save(id, 'one', record);
    expect(await theirs.claim(id, 'two')).toMatchObject({ previousOwner: 'one', record });
    // The old owner's late write and release leave the new owner's record alone.
    await mine.save(id, 'one', { ...record, lastSeq: 9 });
    expect(await mine.release(id, 'one')).toBe('taken');
    expect(await theirs.get(id)).toEqual(record);
    expect(await theirs.release(id, 'two')).toBe('released');
    expect(await theirs.claim(id, 'three')).toBeUndefined();
  });
});
