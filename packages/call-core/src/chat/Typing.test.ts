import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TypingTracker, type Typist } from './Typing.js';

describe('TypingTracker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says "typing" once per throttle while keys come, and "stopped" after the idle time', () => {
    const sent: boolean[] = [];
    const tracker = new TypingTracker(
      (t) => sent.push(t) > 0,
      () => {},
      { throttleMs: 1_000, idleMs: 500 },
    );
    for (let i = 0; i < 10; i++) {
      tracker.noteTyping();
      vi.advanceTimersByTime(200); // 2 s of steady typing
    }
    expect(sent).toEqual([true, true]);
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([true, true, false]);
    tracker.stop();
    expect(sent).toEqual([true, true, false]); // nothing to take back
  });

  it('sends a "typing" that could not go out once connected, if the user is still typing', () => {
    const sent: boolean[] = [];
    let online = false;
    const tracker = new TypingTracker(
      (t) => online && sent.push(t) > 0,
      () => {},
      { throttleMs: 1_000, idleMs: 500 },
    );
    tracker.noteTyping();
    tracker.noteTyping();
    expect(sent).toEqual([]); // still connecting
    online = true;
    tracker.connected();
    expect(sent).toEqual([true]);
    tracker.connected();
    expect(sent).toEqual([true]); // once
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([true, false]);

    online = false;
    tracker.noteTyping();
    vi.advanceTimersByTime(500); // stopped typing before the connection came back
    online = true;
    tracker.connected();
    expect(sent).toEqual([true, false]);
  });

  it('expires a received notice unless renewed, and drops it at once on "stopped"', () => {
    const seen: (readonly Typist[])[] = [];
    const tracker = new TypingTracker(
      () => true,
      (typists) => seen.push(typists),
      { expiryMs: 1_000 },
    );
    const bob = { sessionId: 's-bob', userId: 'bob', displayName: 'Bob' };
    tracker.receive({ ...bob, typing: true });
    vi.advanceTimersByTime(800);
    tracker.receive({ ...bob, typing: true }); // renewed
    vi.advanceTimersByTime(800);
    expect(tracker.typists.map((t) => t.userId)).toEqual(['bob']);
    vi.advanceTimersByTime(300);
    expect(tracker.typists).toEqual([]);
    tracker.receive({ ...bob, typing: true });
    tracker.receive({ ...bob, typing: false });
    expect(seen.map((typists) => typists.length)).toEqual([1, 0, 1, 0]);
  });

  it('tries again with the next key when a notice could not go out', () => {
    let connected = false;
    const sent: boolean[] = [];
    const tracker = new TypingTracker(
      (t) => connected && sent.push(t) > 0,
      () => {},
      { throttleMs: 10_000 },
    );
    tracker.noteTyping();
    connected = true;
    tracker.noteTyping();
    tracker.noteTyping();
    expect(sent).toEqual([true]);
  });
});
