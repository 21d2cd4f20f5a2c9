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
  if (message.actorId === me) return msg(str`You: ${text}`, { id: 'list.preview.mine' });
  return msg(str`${message.actorDisplayName}: ${text}`, { id: 'list.preview.theirs' });
}

/** A message's text on one line, with mentions by name (`@Alice Martin`) as the chat shows them. */
function flatten(message: ChatMessage): string {
  const segments = segmentsOf(message.message, message.mentions ?? []);
  const text = segments.map((s) => ('mention' in s ? `@${s.mention.name}` : s.text)).join('');
  return text.replace(/\s+/g, ' ').trim();
}

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
