import type { Mention, Participant } from '@talk/protocol';

/** `@id`, or `@"a name with spaces"` (how clients mention guests by the name they gave). */
const MENTION = /(^|[^\w@"])@(?:"([^"\n]{1,100})"|([A-Za-z0-9._@-]*[A-Za-z0-9_-]))/g;

/**
 * The participants a message mentions, once each, in order of first mention: `@all`, users by id, and anyone
 * (guests included) by their quoted display name. Names that are nobody here are plain text.
 */
export function parseMentions(text: string, participants: readonly Participant[]): Mention[] {
  if (!text.includes('@')) return [];
  const mentions = new Map<string, Mention>();
  for (const match of text.matchAll(MENTION)) {
    const [, , quoted, bare] = match;
    const name = (quoted ?? bare ?? '').trim();
    if (name.toLowerCase() === 'all') {
      mentions.set('all', { type: 'all', id: 'all', name: 'all' });
      continue;
    }
    const lower = name.toLowerCase();
    const who =
      participants.find((p) => p.userId === name) ??
      (quoted !== undefined ? participants.find((p) => p.displayName.toLowerCase() === lower) : undefined);
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
