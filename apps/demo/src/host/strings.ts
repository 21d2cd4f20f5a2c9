// The host's own words. The elements translate themselves (they read the document's `lang`); the host translates
// its own chrome, as any host app does with its i18n. English is the key; Arabic is here to show a right-to-left page.

const ARABIC: Readonly<Record<string, string>> = {
  Workspace: 'مساحة العمل',
  Talk: 'المحادثات',
  Files: 'الملفات',
  Calendar: 'التقويم',
  Deck: 'اللوحة',
  Apps: 'التطبيقات',
  Dark: 'داكن',
  Light: 'فاتح',
  'Signed in as': 'مسجّل الدخول باسم',
  'No mentions yet': 'لا إشارات بعد',
  '{name} mentioned you: {text}': '{name} أشار إليك: {text}',
  Upload: 'رفع',
  'or drop files on the list': 'أو أفلت الملفات على القائمة',
  'Call about this file': 'اتصال بشأن هذا الملف',
  'Share to a conversation': 'مشاركة في محادثة',
  'Share “{name}” to…': 'مشاركة «{name}» في…',
  Cancel: 'إلغاء',
  'Uploading to {name}…': 'جارٍ الرفع إلى {name}…',
  'Shared to {name}': 'تمت المشاركة في {name}',
  Comments: 'التعليقات',
  'To do': 'للتنفيذ',
  'In progress': 'قيد التنفيذ',
  Done: 'منجز',
};

/** `english` in the page's language, with `{name}`-style placeholders filled from `values`. */
export function t(english: string, values: Readonly<Record<string, string>> = {}): string {
  const lang = document.documentElement.lang.split('-')[0];
  const text = (lang === 'ar' ? ARABIC[english] : undefined) ?? english;
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
