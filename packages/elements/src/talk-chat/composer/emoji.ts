// The emoji picker, loaded on first use: emoji-picker-element and its data are not part of the chat's eager bundle.
// The data (emoji-picker-element-data, copied next to this module by scripts/emoji-data.mjs) is served from the
// page's own server, so opening the picker asks nothing of any other origin.
import type { I18n } from 'emoji-picker-element/shared.js';

/** The locales whose emoji names and keywords are shipped; others search in English. */
const DATA_LOCALES = ['de', 'en', 'es', 'fr'] as const;

/** Where the emoji data of `lang` is served: next to this module, on the page's own server. */
export function emojiDataUrl(lang: string): string {
  const base = lang.toLowerCase().split('-')[0] as (typeof DATA_LOCALES)[number];
  const locale = DATA_LOCALES.includes(base) ? base : 'en';
  return new URL(`./emoji-data/${locale}.json`, import.meta.url).href;
}

/** The picker's own labels ("Search", category names) in the languages the elements ship. */
async function pickerI18n(lang: string): Promise<I18n | undefined> {
  switch (lang.toLowerCase().split('-')[0]) {
    case 'ar':
      return (await import('emoji-picker-element/i18n/ar.js')).default;
    case 'de':
      return (await import('emoji-picker-element/i18n/de.js')).default;
    case 'es':
      return (await import('emoji-picker-element/i18n/es.js')).default;
    case 'fr':
      return (await import('emoji-picker-element/i18n/fr.js')).default;
    default:
      return undefined;
  }
}

/**
 * A new `<emoji-picker>` in `lang`, reading its data from this page's server. The data source is given to the
 * constructor, because a picker made without one opens its default database (a CDN) at the next microtask.
 */
export async function createEmojiPicker(lang: string): Promise<HTMLElement> {
  const [{ default: Picker }, i18n] = await Promise.all([import('emoji-picker-element/picker.js'), pickerI18n(lang)]);
  const locale = lang.toLowerCase().split('-')[0] ?? 'en';
  const dataSource = emojiDataUrl(lang);
  return new Picker({
    dataSource,
    locale: dataSource.endsWith(`/${locale}.json`) ? locale : 'en',
    ...(i18n ? { i18n } : {}),
  });
}
