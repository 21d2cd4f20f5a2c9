/**
 * Why a request's decoded input cannot go into a query, if it cannot: PostgreSQL's `text` (PGlite's too) refuses
 * U+0000, and a number that is not finite is no bigint (the validator's string-to-integer coercion lets "1e400"
 * through as Infinity). Either one fails its query as a whole, so it is refused as the client's error first.
 * Buffers (an upload's bytes) are data rather than text and are not looked into.
 */
export function unstorable(value: unknown): string | undefined {
  // A loop over a stack rather than recursion: a body may nest deeper than the call stack goes.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return 'Text must not contain NUL characters (U+0000)';
    } else if (typeof item === 'number') {
      if (!Number.isFinite(item)) return 'Numbers must be finite';
    } else if (Array.isArray(item)) {
      pending.push(...item);
    } else if (typeof item === 'object' && item !== null && !Buffer.isBuffer(item) && !ArrayBuffer.isView(item)) {
      for (const [key, child] of Object.entries(item)) pending.push(key, child);
    }
  }
  return undefined;
}
