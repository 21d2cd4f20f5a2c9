import { msg, str } from '@lit/localize';
import { type ChatMessage, chatItemOf, segmentsOf } from '@talk/call-core';
import { formatNumber } from '../i18n/format.js';
import type { LocaleController } from '../i18n/locale.js';
import { systemMessageText } from '../i18n/system-messages.js';

/** What a row says of its newest message, as plain text (bound as text, never parsed as HTML). */
export function previewOf(message: ChatMessage | null, me: string | null): string {
  if (!message) return msg('No messages yet', { id: 'list.preview.empty' });
  if (message.kind === 'system') return systemMessageText(chatItemOf(message, `preview-${message.id}`));
  let text: string;
  if (message.deletedAt) text = msg('Message deleted', { id: 'list.preview.deleted' });
  else if (message.kind === 'file' && message.attachment && !message.message.trim()) text = message.attachment.name;
  else text = flatten(message);
  // Each part isolated (FSI … PDI), so that an Arabic name or text does not reorder the sentence around it.
  if (message.actorId === me) return msg(str`You: ${isolate(text)}`, { id: 'list.preview.mine' });
  return msg(str`${isolate(message.actorDisplayName)}: ${isolate(text)}`, { id: 'list.preview.theirs' });
}

/** `text` as a bidirectional isolate of its own direction. */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/**
 * A message's text on one line, with mentions by name (`@Alice Martin`) as the chat shows them, and without the
 * markdown emphasis and code marks, which only the chat renders. It stays text: nothing here is parsed as markup.
 */
function flatten(message: ChatMessage): string {
  const segments = segmentsOf(message.message, message.mentions ?? []);
  const text = segments.map((s) => ('mention' in s ? `@${s.mention.name}` : s.text.replace(MARKS, ''))).join('');
  return text.replace(/\s+/g, ' ').trim();
}

/** Markdown's bold, strike-through and code marks (not `__`, common in names of code), and quote and heading marks at a line's start. */
const MARKS = /\*\*|~~|`+|^\s*(?:>|#{1,6})\s+/gm;

/** "3 unread messages", in the reader's plural form. */
export function unreadLabel(locale: LocaleController, count: number): string {
  const n = formatNumber(locale.lang, count);
  const forms = {
    zero: () => msg(str`${n} unread messages`, { id: 'list.unread.zero' }),
    one: () => msg(str`${n} unread message`, { id: 'list.unread.one' }),
    two: () => msg(str`${n} unread messages`, { id: 'list.unread.two' }),
    few: () => msg(str`${n} unread messages`, { id: 'list.unread.few' }),
    many: () => msg(str`${n} unread messages`, { id: 'list.unread.many' }),
    other: () => msg(str`${n} unread messages`, { id: 'list.unread.other' }),
  };
  return forms[locale.plural(count)]();
}

/** "2 mentions", in the reader's plural form. */
export function mentionsLabel(locale: LocaleController, count: number): string {
  const n = formatNumber(locale.lang, count);
  const forms = {
    zero: () => msg(str`${n} mentions of you`, { id: 'list.mentions.zero' }),
    one: () => msg(str`${n} mention of you`, { id: 'list.mentions.one' }),
    two: () => msg(str`${n} mentions of you`, { id: 'list.mentions.two' }),
    few: () => msg(str`${n} mentions of you`, { id: 'list.mentions.few' }),
    many: () => msg(str`${n} mentions of you`, { id: 'list.mentions.many' }),
    other: () => msg(str`${n} mentions of you`, { id: 'list.mentions.other' }),
  };
  return forms[locale.plural(count)]();
}

/** "5 conversations", for the count a screen reader hears as the filter narrows the list. */
export function countLabel(locale: LocaleController, count: number): string {
  const n = formatNumber(locale.lang, count);
  const forms = {
    zero: () => msg(str`${n} conversations`, { id: 'list.count.zero' }),
    one: () => msg(str`${n} conversation`, { id: 'list.count.one' }),
    two: () => msg(str`${n} conversations`, { id: 'list.count.two' }),
    few: () => msg(str`${n} conversations`, { id: 'list.count.few' }),
    many: () => msg(str`${n} conversations`, { id: 'list.count.many' }),
    other: () => msg(str`${n} conversations`, { id: 'list.count.other' }),
  };
  return forms[locale.plural(count)]();
}
