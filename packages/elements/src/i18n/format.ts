// Every number, date, duration and size an element shows goes through Intl here, in the element's language; nothing
// is concatenated by hand, so word order, digits, separators and plural forms follow CLDR.

/** A moment: a `Date`, epoch milliseconds, or an ISO 8601 string as the server sends. */
export type Moment = Date | number | string;

const cache = new Map<string, object>();

/** One formatter per locale and options: building them is the expensive part and a chat formats hundreds. */
function cached<T extends object>(kind: string, locale: string, options: object, create: () => T): T {
  const key = `${kind}|${locale}|${JSON.stringify(options)}`;
  let formatter = cache.get(key) as T | undefined;
  if (!formatter) {
    formatter = create();
    cache.set(key, formatter);
  }
  return formatter;
}

function toDate(moment: Moment): Date {
  return moment instanceof Date ? moment : new Date(moment);
}

/** The time of day, e.g. "14:05" in `de`, "2:05 PM" in `en`. */
export function formatTime(locale: string, moment: Moment): string {
  const options: Intl.DateTimeFormatOptions = { timeStyle: 'short' };
  return cached('time', locale, options, () => new Intl.DateTimeFormat(locale, options)).format(toDate(moment));
}

/** Date and time in full, e.g. for a tooltip: "Tuesday, 1 December 2026 at 14:05". */
export function formatDateTime(locale: string, moment: Moment): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'short' };
  return cached('datetime', locale, options, () => new Intl.DateTimeFormat(locale, options)).format(toDate(moment));
}

/** Relative-time units from the largest down, with how many seconds each holds. */
const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/**
 * How long ago (or how far ahead) `moment` is from `now`, in the largest whole unit: "3 minutes ago", "vor 3
 * Minuten", "yesterday" (`numeric: 'auto'` lets each language use its own word for ±1 day).
 */
export function formatRelativeTime(locale: string, moment: Moment, now: Moment = Date.now()): string {
  const seconds = Math.round((toDate(moment).getTime() - toDate(now).getTime()) / 1000);
  const options: Intl.RelativeTimeFormatOptions = { numeric: 'auto' };
  const format = cached('relative', locale, options, () => new Intl.RelativeTimeFormat(locale, options));
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'second');
}

/** The parts of `Intl.DurationFormat` used here; TypeScript's ES2023 lib does not declare it yet. */
interface DurationFormatter {
  format(duration: { hours: number; minutes: number; seconds: number }): string;
}
type DurationFormatConstructor = new (
  locale: string,
  options: { style: 'digital' | 'long'; hoursDisplay?: 'auto' },
) => DurationFormatter;
const DurationFormat = (Intl as { DurationFormat?: DurationFormatConstructor }).DurationFormat;

/**
 * A duration such as a call's length: as a clock ("1:02:03", `digital`, the default) or in words for screen readers
 * ("3 minutes, 5 seconds", `long`). Hours appear only when there are any.
 */
export function formatDuration(locale: string, milliseconds: number, style: 'digital' | 'long' = 'digital'): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const duration = { hours: Math.floor(total / 3600), minutes: Math.floor((total % 3600) / 60), seconds: total % 60 };
  if (DurationFormat) {
    const options = { style, hoursDisplay: 'auto' } as const;
    return cached('duration', locale, options, () => new DurationFormat(locale, options)).format(duration);
  }
  // Engines without Intl.DurationFormat: the same clock from NumberFormat's digits, or the units in words.
  if (style === 'long') {
    const unit = (value: number, name: string) =>
      new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);
    const parts = [
      duration.hours ? unit(duration.hours, 'hour') : '',
      duration.hours || duration.minutes ? unit(duration.minutes, 'minute') : '',
      unit(duration.seconds, 'second'),
    ];
    return new Intl.ListFormat(locale, { style: 'narrow', type: 'unit' }).format(parts.filter(Boolean));
  }
  const padded = cached('int2', locale, {}, () => new Intl.NumberFormat(locale, { minimumIntegerDigits: 2 }));
  const first = new Intl.NumberFormat(locale).format(duration.hours || duration.minutes);
  const rest = duration.hours ? [duration.minutes, duration.seconds] : [duration.seconds];
  return [first, ...rest.map((value) => padded.format(value))].join(':');
}

/** Byte units as `Intl.NumberFormat` names them; each is 1000 of the previous one. */
const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** A file size in the largest unit below 1000 with at most one decimal: "1.5 MB", "1,5 MB", "1,5 Mo". */
export function formatFileSize(locale: string, bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const options: Intl.NumberFormatOptions = {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  };
  return cached('size', locale, options, () => new Intl.NumberFormat(locale, options)).format(value);
}

/** A count as the locale writes numbers: "1,234" in `en`, "1.234" in `de`. */
export function formatNumber(locale: string, value: number): string {
  return cached('number', locale, {}, () => new Intl.NumberFormat(locale)).format(value);
}

/** The CLDR plural category of `count` in `locale`: `one`, `other`, and in Arabic also `zero`, `two`, `few`, `many`. */
export function pluralCategory(locale: string, count: number): Intl.LDMLPluralRule {
  return cached('plural', locale, {}, () => new Intl.PluralRules(locale)).select(count);
}
