import { describe, expect, it } from 'vitest';
import { segmentsOf } from './ChatItem.js';

const alice = { type: 'user', id: 'alice', name: 'Alice Martin' } as const;
const guest = { type: 'guest', id: 'g1', name: 'Guest Name' } as const;

describe('segmentsOf', () => {
  it('cuts out the mentions the server recognised, bare and quoted', () => {
    expect(segmentsOf('hi @alice and @"Guest Name"!', [alice, guest])).toEqual([
      { text: 'hi ' },
      { text: '@alice', mention: alice },
      { text: ' and ' },
      { text: '@"Guest Name"', mention: guest },
      { text: '!' },
    ]);
  });

  it('leaves what only looks like a mention as text', () => {
    expect(segmentsOf('mail@alice @alicex @bob', [alice])).toEqual([{ text: 'mail@alice @alicex @bob' }]);
    expect(segmentsOf('@alice.', [alice])).toEqual([{ text: '@alice', mention: alice }, { text: '.' }]);
  });
});
