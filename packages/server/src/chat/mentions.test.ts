import type { Participant } from '@talk/protocol';
import { describe, expect, it } from 'vitest';
import { parseMentions } from './mentions.js';

const people: Participant[] = [
  { userId: 'alice', displayName: 'Alice', role: 'owner' },
  { userId: 'bob.smith', displayName: 'Bob Smith', role: 'user' },
  { userId: 'guest-1a2b', displayName: 'Visiting Vera', role: 'guest' },
];

describe('parseMentions', () => {
  it('finds users by id, guests by quoted name, and @all, once each', () => {
    expect(parseMentions('@alice and @bob.smith, also @"Visiting Vera" and @all. @alice again', people)).toEqual([
      { type: 'user', id: 'alice', name: 'Alice' },
      { type: 'user', id: 'bob.smith', name: 'Bob Smith' },
      { type: 'guest', id: 'guest-1a2b', name: 'Visiting Vera' },
      { type: 'all', id: 'all', name: 'all' },
    ]);
  });

  it('ignores names that are nobody here, e-mail addresses and text without @', () => {
    expect(parseMentions('write to carol@example.org or @nobody', people)).toEqual([]);
    expect(parseMentions('no mentions', people)).toEqual([]);
  });

  it('drops trailing punctuation from a bare mention', () => {
    expect(parseMentions('thanks @alice.', people)).toEqual([{ type: 'user', id: 'alice', name: 'Alice' }]);
  });
});
