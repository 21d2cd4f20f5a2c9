import { msg, str } from '@lit/localize';
import type { ChatReactor, Typist } from '@talk/call-core';
import { formatNumber } from '../i18n/format.js';
import type { LocaleController } from '../i18n/locale.js';
import { dayOf } from './rows.js';

/** Splits into graphemes; one for all, as making one per row was a good part of rendering a row. */
const graphemes = new Intl.Segmenter();
/** Initials by name: a conversation has few authors and many rows. */
const initialsOf = new Map<string, string>();

/** The initials of a name: the first letter of its first and last word, whole graphemes (so emoji and Arabic work). */
export function avatarOf(name: string): { initials: string } {
  let initials = initialsOf.get(name);
  if (initials === undefined) {
    const words = name.trim().split(/\s+/).filter(Boolean);
    const first = (word: string | undefined) =>
      word ? (graphemes.segment(word)[Symbol.iterator]().next().value?.segment ?? '') : '';
    initials = (words.length > 1 ? first(words[0]) + first(words.at(-1)) : first(words[0])).toLocaleUpperCase() || '?';
    if (initialsOf.size > 1_000) initialsOf.clear();
    initialsOf.set(name, initials);
  }
  return { initials };
}

/** A day separator's words: "today", "yesterday" in the reader's language, else the date in full. */
export function dayLabel(lang: string, iso: string): string {
  const today = dayOf(new Date().toISOString());
  const day = dayOf(iso);
  const yesterday = dayOf(new Date(Date.now() - 86_400_000).toISOString());
  if (day === today || day === yesterday) {
    // Relative-time words ("yesterday", "gestern") start lower case mid-sentence; a separator stands alone.
    const relative = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(day === today ? 0 : -1, 'day');
    return capitalise(lang, relative);
  }
  return new Intl.DateTimeFormat(lang, { dateStyle: 'full' }).format(new Date(iso));
}

function capitalise(lang: string, text: string): string {
  const [first = '', ...rest] = [...text];
  return first.toLocaleUpperCase(lang) + rest.join('');
}

/** Who gave a reaction, for its tooltip: the names, a list in the reader's language; or how many when not known. */
export function reactorsLabel(locale: LocaleController, reactors: readonly ChatReactor[], count: number): string {
  if (reactors.length === 0) {
    const n = formatNumber(locale.lang, count);
    const forms = {
      zero: () => msg(str`${n} people reacted`, { id: 'chat.reactions.count.zero' }),
      one: () => msg(str`${n} person reacted`, { id: 'chat.reactions.count.one' }),
      two: () => msg(str`${n} people reacted`, { id: 'chat.reactions.count.two' }),
      few: () => msg(str`${n} people reacted`, { id: 'chat.reactions.count.few' }),
      many: () => msg(str`${n} people reacted`, { id: 'chat.reactions.count.many' }),
      other: () => msg(str`${n} people reacted`, { id: 'chat.reactions.count.other' }),
    };
    return forms[locale.plural(count)]();
  }
  return new Intl.ListFormat(locale.lang, { type: 'conjunction' }).format(
    reactors.map((reactor) => reactor.actorDisplayName || reactor.actorId),
  );
}

/** "Bob is typing…", "Bob and Carol are typing…", "Bob and 2 others are typing…"; empty when nobody is. */
export function typingLine(locale: LocaleController, typists: readonly Typist[]): string {
  const names = [...new Set(typists.map((typist) => typist.displayName || typist.userId))];
  if (names.length === 0) return '';
  const first = names[0]!;
  if (names.length === 1) return msg(str`${first} is typing…`, { id: 'chat.typing.one' });
  if (names.length === 2) {
    const second = names[1]!;
    return msg(str`${first} and ${second} are typing…`, { id: 'chat.typing.two' });
  }
  const others = names.length - 1;
  const n = formatNumber(locale.lang, others);
  const forms = {
    zero: () => msg(str`${first} and ${n} others are typing…`, { id: 'chat.typing.others.zero' }),
    one: () => msg(str`${first} and ${n} other are typing…`, { id: 'chat.typing.others.one' }),
    two: () => msg(str`${first} and ${n} others are typing…`, { id: 'chat.typing.others.two' }),
    few: () => msg(str`${first} and ${n} others are typing…`, { id: 'chat.typing.others.few' }),
    many: () => msg(str`${first} and ${n} others are typing…`, { id: 'chat.typing.others.many' }),
    other: () => msg(str`${first} and ${n} others are typing…`, { id: 'chat.typing.others.other' }),
  };
  return forms[locale.plural(others)]();
}
