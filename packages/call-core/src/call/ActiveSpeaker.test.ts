import { describe, expect, it } from 'vitest';
import { ActiveSpeakerSelector } from './ActiveSpeaker.js';

const levels = (entries: Record<string, number>) => new Map(Object.entries(entries));

/** Feeds the same levels every 250 ms from `from` up to (not including) `to`; answers the speaker after each. */
function feed(selector: ActiveSpeakerSelector, entries: Record<string, number>, from: number, to: number): string[] {
  const seen: (string | null)[] = [];
  for (let t = from; t < to; t += 250) seen.push(selector.update(levels(entries), t));
  return seen.map(String);
}

describe('ActiveSpeakerSelector', () => {
  it('makes the first to speak the speaker at once, and nobody while all are silent', () => {
    const selector = new ActiveSpeakerSelector();
    expect(selector.update(levels({ a: 0, b: 0.01 }), 0)).toBeNull();
    expect(selector.update(levels({ a: 0.3, b: 0.01 }), 250)).toBe('a');
  });

  it('does not flap when two alternate faster than the take-over time', () => {
    const selector = new ActiveSpeakerSelector({ takeOverMs: 1_000 });
    selector.update(levels({ a: 0.3, b: 0 }), 0);
    const seen: string[] = [];
    // b coughs for half a second, a answers for half a second, over and over.
    for (let t = 250; t < 6_000; t += 1_000) {
      seen.push(...feed(selector, { a: 0, b: 0.4 }, t, t + 500));
      seen.push(...feed(selector, { a: 0.3, b: 0 }, t + 500, t + 1_000));
    }
    expect(new Set(seen)).toEqual(new Set(['a']));
  });

  it('hands over once another leads for the take-over time', () => {
    const selector = new ActiveSpeakerSelector({ takeOverMs: 1_000 });
    selector.update(levels({ a: 0.3, b: 0 }), 0);
    const seen = feed(selector, { a: 0, b: 0.3 }, 250, 2_000);
    // Led from 250 ms on: still a at 1000 ms, b from 1250 ms.
    expect(seen.slice(0, 3)).toEqual(['a', 'a', 'a']);
    expect(seen.slice(4)).toEqual(['b', 'b', 'b']);
  });

  it('keeps a speaker who still speaks unless another is clearly louder', () => {
    const selector = new ActiveSpeakerSelector({ takeOverMs: 500, louderBy: 1.5 });
    selector.update(levels({ a: 0.2, b: 0 }), 0);
    // b a little louder while a goes on: a stays.
    expect(feed(selector, { a: 0.2, b: 0.25 }, 250, 3_000)).not.toContain('b');
    // b twice as loud: b takes over.
    expect(feed(selector, { a: 0.2, b: 0.4 }, 3_000, 4_000)).toContain('b');
  });

  it('keeps the last speaker through silence and drops one who left', () => {
    const selector = new ActiveSpeakerSelector();
    selector.update(levels({ a: 0.3, b: 0 }), 0);
    expect(feed(selector, { a: 0, b: 0 }, 250, 5_000)).toEqual(Array(19).fill('a'));
    expect(selector.update(levels({ b: 0 }), 5_000)).toBeNull();
    expect(selector.update(levels({ b: 0.2 }), 5_250)).toBe('b');
  });

  it('restarts the take-over time when the challenger changes', () => {
    const selector = new ActiveSpeakerSelector({ takeOverMs: 1_000 });
    selector.update(levels({ a: 0.3, b: 0, c: 0 }), 0);
    feed(selector, { a: 0, b: 0.3, c: 0 }, 250, 1_000);
    // c leads from 1000 ms; b's lead does not count for c.
    expect(selector.update(levels({ a: 0, b: 0, c: 0.3 }), 1_000)).toBe('a');
    expect(selector.update(levels({ a: 0, b: 0, c: 0.3 }), 1_750)).toBe('a');
    expect(selector.update(levels({ a: 0, b: 0, c: 0.3 }), 2_000)).toBe('c');
  });
});
