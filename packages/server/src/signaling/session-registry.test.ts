import { describe, expect, it } from 'vitest';
import type { Session } from './session.js';
import { SessionRegistry } from './session-registry.js';

const session = (id: string, userId?: string) =>
  ({ id, identity: userId === undefined ? undefined : { userId, displayName: userId } }) as unknown as Session;

describe('the session registry', () => {
  it('finds each user’s sessions in the order they came, and forgets those deleted', () => {
    const sessions = new SessionRegistry();
    sessions.set('1', session('1', 'alice'));
    sessions.set('2', session('2', 'bob'));
    sessions.set('3', session('3', 'alice'));
    sessions.set('4', session('4'));
    expect(sessions.ofUser('alice').map((s) => s.id)).toEqual(['1', '3']);
    sessions.set('1', session('1', 'alice')); // replaced: keeps its place, as in the map
    expect(sessions.ofUser('alice').map((s) => s.id)).toEqual(['1', '3']);
    expect(sessions.delete('1')).toBe(true);
    expect(sessions.ofUser('alice').map((s) => s.id)).toEqual(['3']);
    sessions.set('2', session('2', 'carol')); // the same id for another user moves it
    expect(sessions.ofUser('bob')).toEqual([]);
    expect(sessions.ofUser('carol').map((s) => s.id)).toEqual(['2']);
    expect([...sessions.keys()]).toEqual(['2', '3', '4']);
    sessions.clear();
    expect(sessions.ofUser('alice')).toEqual([]);
    expect(sessions.size).toBe(0);
  });
});
