import type { Mention, Participant } from '@talk/protocol';

const AT = 0x40;
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const DOT = 0x2e;
const HYPHEN = 0x2d;
const UNDERSCORE = 0x5f;
/** The longest quoted name, in UTF-16 code units. */
const MAX_QUOTED = 100;

/** `[A-Za-z0-9_]`, what `\w` is without the `u` flag. */
function isWord(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === UNDERSCORE;
}

/** A character a bare mention may end with (trailing dots and at signs are punctuation, not part of the id). */
function endsBare(c: number): boolean {
  return isWord(c) || c === HYPHEN;
}

/** A character a bare mention may contain. */
function inBare(c: number): boolean {
  return endsBare(c) || c === DOT || c === AT;
}

/** A mention found in the text: the name as written, and whether it was quoted. */
export interface MentionName {
  /** The id (bare) or the display name (quoted), as written. */
  name: string;
  /** Whether it was written `@"…"`, which may also name someone by display name. */
  quoted: boolean;
}

/**
 * The mentions written in `text`: `@id`, or `@"a name with spaces"` (how clients mention guests by the name they
 * gave), where the `@` starts the text or follows a character that is not a word character, `@` or `"`.
 *
 * This is what the regex `/(^|[^\w@"])@(?:"([^"\n]{1,100})"|([A-Za-z0-9._@-]*[A-Za-z0-9_-]))/g` finds, scanned
 * by hand because that regex backtracks: on `.@.@.@…` every `@` runs to the end of the text and back, so a
 * 32,000-character message took over a second of the event loop. Here every character is read a bounded number
 * of times: a bare run is read once and the scan resumes at its end, and a failed quoted name reads at most
 * `MAX_QUOTED` characters that hold no other quote.
 */
export function* mentionNames(text: string): Generator<MentionName> {
  const n = text.length;
  /** Where the last mention ended: like the regex's consumed prefix, the next `@` must follow a character at or after it. */
  let consumed = 0;
  let i = text.indexOf('@');
  while (i !== -1) {
    if (i > 0) {
      const before = text.charCodeAt(i - 1);
      if (i - 1 < consumed || isWord(before) || before === AT || before === QUOTE) {
        i = text.indexOf('@', i + 1);
        continue;
      }
    }
    if (text.charCodeAt(i + 1) === QUOTE) {
      const start = i + 2;
      const limit = Math.min(n, start + MAX_QUOTED + 1);
      let j = start;
      while (j < limit && text.charCodeAt(j) !== QUOTE && text.charCodeAt(j) !== NEWLINE) j++;
      if (j > start && j < limit && text.charCodeAt(j) === QUOTE) {
        yield { name: text.slice(start, j), quoted: true };
        consumed = j + 1;
        i = text.indexOf('@', consumed);
      } else {
        // Not a quoted name, and a quote cannot start a bare one.
        i = text.indexOf('@', i + 1);
      }
      continue;
    }
    let end = i + 1;
    let last = -1;
    for (let c = text.charCodeAt(end); end < n && inBare(c); c = text.charCodeAt(++end)) {
      if (endsBare(c)) last = end;
    }
    if (last !== -1) {
      yield { name: text.slice(i + 1, last + 1), quoted: false };
      consumed = last + 1;
    }
    // Any other `@` of this run lies inside the mention just found, or after its last possible ending character;
    // only a run-final `@` right before a quote may start another (quoted) mention.
    i =
      end - 1 > i && text.charCodeAt(end - 1) === AT && text.charCodeAt(end) === QUOTE
        ? end - 1
        : text.indexOf('@', end);
  }
}

/**
 * The participants a message mentions, once each, in order of first mention: `@all`, users by id, and anyone
 * (guests included) by their quoted display name. Names that are nobody here are plain text. Linear in the
 * length of the text plus the number of participants.
 */
export function parseMentions(text: string, participants: readonly Participant[]): Mention[] {
  if (!text.includes('@')) return [];
  // The first participant of an id or a name wins, as a search from the start of the list would find.
  const byId = new Map<string, Participant>();
  const byName = new Map<string, Participant>();
  for (const p of participants) {
    if (!byId.has(p.userId)) byId.set(p.userId, p);
    const lower = p.displayName.toLowerCase();
    if (!byName.has(lower)) byName.set(lower, p);
  }
  const mentions = new Map<string, Mention>();
  for (const { name: written, quoted } of mentionNames(text)) {
    const name = written.trim();
    const lower = name.toLowerCase();
    if (lower === 'all') {
      mentions.set('all', { type: 'all', id: 'all', name: 'all' });
      continue;
    }
    const who = byId.get(name) ?? (quoted ? byName.get(lower) : undefined);
    if (who && !mentions.has(who.userId)) {
      mentions.set(who.userId, {
        type: who.role === 'guest' ? 'guest' : 'user',
        id: who.userId,
        name: who.displayName,
      });
    }
  }
  return [...mentions.values()];
}
