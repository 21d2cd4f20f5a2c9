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
  'This week': 'هذا الأسبوع',
  Event: 'الموعد',
  'Could not open the meeting: {error}': 'تعذّر فتح الاجتماع: {error}',
  'Close the event': 'إغلاق الموعد',
  Attendees: 'الحضور',
  'Join meeting': 'الانضمام إلى الاجتماع',
  'This meeting’s conversation is not public, so guests cannot join it by link.':
    'محادثة هذا الاجتماع ليست عامة، فلا يستطيع الضيوف الانضمام إليها برابط.',
  'Guest link': 'رابط الضيوف',
  'Copy guest link': 'نسخ رابط الضيوف',
  Copied: 'تم النسخ',
  'Press Ctrl+C to copy': 'اضغط Ctrl+C للنسخ',
  Meeting: 'اجتماع',
  'Call in progress': 'مكالمة جارية',
  guest: 'ضيف',
  '{email}, joins through the guest link': '{email}، ينضم عبر رابط الضيوف',
};

/** The page's language for dates and times (the browser's own when the page names none). */
export function pageLocale(): string | undefined {
  return document.documentElement.lang || undefined;
}

/** `english` in the page's language, with `{name}`-style placeholders filled from `values`. */
export function t(english: string, values: Readonly<Record<string, string>> = {}): string {
  const lang = document.documentElement.lang.split('-')[0];
  const text = (lang === 'ar' ? ARABIC[english] : undefined) ?? english;
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
