import { ErrorCode } from '@talk/protocol';
import { describe, expect, it } from 'vitest';
import { AttemptThrottle, passwordAttemptKeys } from './throttle.js';

const minute = 60_000;

describe('AttemptThrottle', () => {
  it('counts an attempt from the moment it passes, so attempts still being checked use up the allowance', () => {
    const throttle = new AttemptThrottle(5 * minute);
    const keys = [{ key: 'k', max: 3 }];
    for (let i = 0; i < 3; i++) throttle.begin(keys, 0); // none has failed yet: all three are still in flight
    expect(() => throttle.begin(keys, 0)).toThrow(expect.objectContaining({ code: ErrorCode.RateLimited }));
  });

  it('forgets an attempt that succeeded, and keeps counting one that failed', () => {
    const throttle = new AttemptThrottle(5 * minute);
    const keys = [{ key: 'k', max: 2 }];
    throttle.begin(keys, 0).succeeded();
    throttle.begin(keys, 1); // failed
    throttle.begin(keys, 2).succeeded();
    throttle.begin(keys, 3); // failed
    expect(() => throttle.begin(keys, 4)).toThrow(/try again in 300 s/);
  });

  it('refuses when any of the keys is full, and then records nothing under the others', () => {
    const throttle = new AttemptThrottle(5 * minute);
    throttle.begin([{ key: 'conversation', max: 1 }], 0);
    expect(() =>
      throttle.begin(
        [
          { key: 'client', max: 5 },
          { key: 'conversation', max: 1 },
        ],
        1,
      ),
    ).toThrow(/Too many/);
    for (let i = 0; i < 5; i++) throttle.begin([{ key: 'client', max: 5 }], 2);
  });

  it('lets attempts expire with the window, and drops keys whose attempts all expired', () => {
    const throttle = new AttemptThrottle(5 * minute);
    for (let i = 0; i < 100; i++) throttle.begin([{ key: `client-${i}`, max: 1 }], 0);
    expect(throttle.size).toBe(100);
    expect(() => throttle.begin([{ key: 'client-7', max: 1 }], 5 * minute - 1)).toThrow(/try again in 1 s/);
    throttle.begin([{ key: 'client-7', max: 1 }], 5 * minute);
    expect(throttle.size).toBe(1);
  });
});

describe('passwordAttemptKeys', () => {
  it('limits one client at one conversation, one conversation from every client, and one client everywhere', () => {
    const throttle = new AttemptThrottle(5 * minute);
    // A client that used up its tries at one conversation may still try another.
    for (let i = 0; i < 5; i++) throttle.begin(passwordAttemptKeys('198.51.100.1', 'room'), 0);
    expect(() => throttle.begin(passwordAttemptKeys('198.51.100.1', 'room'), 0)).toThrow(/Too many/);
    throttle.begin(passwordAttemptKeys('198.51.100.1', 'other'), 0);
    // Guesses spread over many addresses run into the conversation's own limit of 20.
    for (let i = 2; i <= 16; i++) throttle.begin(passwordAttemptKeys(`198.51.100.${i}`, 'room'), 0);
    expect(() => throttle.begin(passwordAttemptKeys('203.0.113.9', 'room'), 0)).toThrow(/Too many/);
    throttle.begin(passwordAttemptKeys('203.0.113.9', 'elsewhere'), 0);
    // One address trying many conversations runs into its own.
    for (let i = 0; i < 30; i++) {
      try {
        throttle.begin(passwordAttemptKeys('192.0.2.1', `room-${i}`), 0);
      } catch {
        expect.unreachable(`attempt ${i} was refused`);
      }
    }
    expect(() => throttle.begin(passwordAttemptKeys('192.0.2.1', 'room-30'), 0)).toThrow(/Too many/);
  });
});
