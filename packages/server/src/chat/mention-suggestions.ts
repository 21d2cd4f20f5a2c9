import type { Mention, Participant } from '@talk/protocol';
import { allowsMentionAll, type Membership } from '../access/rules.js';

/** Whether `search` (lower case) starts the id, the display name or one of the name's words. */
function matches(participant: Participant, search: string): boolean {
  if (search === '') return true;
  if (participant.userId.toLowerCase().startsWith(search)) return true;
  const name = participant.displayName.toLowerCase();
  return name.startsWith(search) || name.split(/\s+/).some((word) => word.startsWith(search));
}

/**
 * Whom `@search` may complete to in the caller's conversation: `all` first where it means something, then the
 * other participants whose id or name starts with it, by name. Each comes as the mention the server would parse
 * from the text a client inserts (`@id` for users, `@"name"` for guests).
 */
export function mentionSuggestions(
  { participant: me, conversation }: Membership,
  participants: readonly Participant[],
  search: string,
  limit: number,
): Mention[] {
  const lower = search.trim().toLowerCase();
  const all: Mention[] =
    allowsMentionAll(conversation) && 'all'.startsWith(lower) ? [{ type: 'all', id: 'all', name: 'all' }] : [];
  const people = participants
    .filter((p) => p.userId !== me.userId && matches(p, lower))
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.userId.localeCompare(b.userId))
    .map((p): Mention => ({ type: p.role === 'guest' ? 'guest' : 'user', id: p.userId, name: p.displayName }));
  return [...all, ...people].slice(0, limit);
}
