import type { ChatItem } from '@talk/call-core';

/** How long after one message the next of the same author still reads as the same turn. */
const GROUP_WINDOW_MS = 5 * 60_000;

/** One row of the message list: a day separator, the unread divider, a message or a system note. */
export type ChatRow =
  | { readonly kind: 'day'; readonly key: string; readonly date: string }
  | { readonly kind: 'unread'; readonly key: string }
  | { readonly kind: 'message'; readonly key: string; readonly item: ChatItem; readonly grouped: boolean }
  | { readonly kind: 'system'; readonly key: string; readonly item: ChatItem };

/** The local calendar day of an ISO time, as `YYYY-MM-DD`. */
export function dayOf(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/**
 * Each item's local day and time in milliseconds, worked out once: the rows are rebuilt from every item whenever a
 * page arrives, so without this a long history parsed its dates again and again (quadratic over a scroll to the
 * top). Items are replaced, never changed in place, so a changed message gets a fresh entry.
 */
const times = new WeakMap<ChatItem, { day: string; ms: number }>();

function timeOf(item: ChatItem): { day: string; ms: number } {
  let known = times.get(item);
  if (!known) {
    known = { day: dayOf(item.createdAt), ms: Date.parse(item.createdAt) };
    times.set(item, known);
  }
  return known;
}

/**
 * The rows for `items` (oldest first): a separator where the local day changes, the unread divider before
 * `dividerBefore`, and each message marked `grouped` when it continues the previous one's turn (same author, same
 * day, within five minutes, nothing in between), so that it is drawn without its avatar and name.
 */
export function rowsOf(items: readonly ChatItem[], dividerBefore: number | null): ChatRow[] {
  const rows: ChatRow[] = [];
  let day = '';
  let previous: ChatItem | null = null;
  for (const item of items) {
    const { day: itemDay, ms } = timeOf(item);
    let broken = false;
    if (itemDay !== day) {
      day = itemDay;
      rows.push({ kind: 'day', key: `day:${itemDay}`, date: item.createdAt });
      broken = true;
    }
    if (dividerBefore !== null && item.id === dividerBefore) {
      rows.push({ kind: 'unread', key: 'unread' });
      broken = true;
    }
    if (item.kind === 'system') {
      rows.push({ kind: 'system', key: item.key, item });
      previous = null;
      continue;
    }
    const grouped =
      !broken && previous !== null && previous.actorId === item.actorId && ms - timeOf(previous).ms < GROUP_WINDOW_MS;
    rows.push({ kind: 'message', key: item.key, item, grouped });
    previous = item;
  }
  return rows;
}
