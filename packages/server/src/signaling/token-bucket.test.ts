import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

/** How many of `count` takes at time `now` succeed. */
function takes(bucket: TokenBucket, count: number, now: number): number {
  let granted = 0;
  for (let i = 0; i < count; i++) if (bucket.take(now)) granted++;
  return granted;
}

describe('TokenBucket', () => {
  it('grants a full burst at once, then refuses until time refills it', () => {
    const bucket = new TokenBucket(10, 5, 0);
    expect(takes(bucket, 8, 0)).toBe(5);
    expect(bucket.take(50)).toBe(false); // half a token after 50 ms at 10/s
    expect(bucket.take(100)).toBe(true); // the half plus another half
  });

  it('refills at the sustained rate', () => {
    const bucket = new TokenBucket(10, 5, 0);
    takes(bucket, 5, 0);
    expect(takes(bucket, 10, 300)).toBe(3);
  });

  it('never holds more than the burst, however long it stayed idle', () => {
    const bucket = new TokenBucket(10, 5, 0);
    expect(takes(bucket, 20, 60_000)).toBe(5);
  });
});
