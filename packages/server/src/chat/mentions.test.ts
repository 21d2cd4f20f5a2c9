import type { Participant } from '@talk/protocol';
import { describe, expect, it } from 'vitest';
import { mentionNames, parseMentions } from './mentions.js';

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

/** What the parser used to be; right, but it backtracks over long runs of `.@`. */
const REGEX = /(^|[^\w@"])@(?:"([^"\n]{1,100})"|([A-Za-z0-9._@-]*[A-Za-z0-9_-]))/g;

/** The fastest of a few runs, so that one pause of a shared machine does not count. */
function fastestParse(text: string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    parseMentions(text, people);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe('mentionNames', () => {
  it('finds what the regex it replaced found, on 100,000 generated texts', () => {
    const alphabet = ['@', '@', '@', '"', '"', '.', 'a', 'B', '9', '_', '-', ' ', '\n', '\r', 'é'];
    let seed = 13;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fff_ffff;
      return seed / 0x8000_0000;
    };
    for (let t = 0; t < 100_000; t++) {
      // Most texts short, so that every shape turns up; some past the 100-character limit of a quoted name.
      const length = Math.floor(random() * (t % 10 === 0 ? 250 : 24));
      let text = '';
      for (let k = 0; k < length; k++) text += alphabet[Math.floor(random() * alphabet.length)];
      const expected = [...text.matchAll(REGEX)].map((m) => ({ name: m[2] ?? m[3], quoted: m[2] !== undefined }));
      expect([...mentionNames(text)], JSON.stringify(text)).toEqual(expected);
    }
  });

  it('parses a worst-case 32,000-character message about as fast as a benign one of the same length', () => {
    const length = 32_000;
    const benign = fastestParse('hello @alice, '.repeat(length / 14 + 1).slice(0, length));
    const worst = {
      'dots and at signs': '.@'.repeat(length / 2),
      'a mention with a tail of dots and at signs': `@alice${'.@'.repeat(length / 2 - 3)}`,
      'unclosed quotes': '.@"'.repeat(length / 3),
      'quoted names one short of the limit': ` @"${'x'.repeat(99)}`.repeat(length / 102),
    };
    for (const [shape, text] of Object.entries(worst)) {
      // Generous: the backtracking parser took over 200 times as long on the first shape.
      expect(fastestParse(text), shape).toBeLessThan(10 * benign + 5);
    }
  });
});
