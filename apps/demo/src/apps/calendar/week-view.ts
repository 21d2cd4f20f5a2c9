// The week view: seven days from today in columns, each event a block at its time, marked while its call is on.

import { pageLocale, t } from '../../host/strings.js';
import type { CalendarEvent } from './events.js';

/** Why an event shows "call in progress": its start is near (or it is under way), or the server says a call runs. */
export type CallMark = 'near' | 'running' | null;

/** What the week view is drawn from. */
export interface WeekState {
  events: readonly CalendarEvent[];
  /** The event whose detail is open, if any. */
  selected: string | null;
  /** The "call in progress" mark of each event. */
  callMark(event: CalendarEvent): CallMark;
  onSelect(event: CalendarEvent): void;
}

const DAYS = 7;
const MINUTE = 60_000;

/** Draws the week starting on `now`'s day into `container`, replacing what it held. */
export function renderWeek(container: HTMLElement, state: WeekState, now = new Date()): void {
  const days = Array.from(
    { length: DAYS },
    (_, day) => new Date(now.getFullYear(), now.getMonth(), now.getDate() + day),
  );
  const weekEnd = new Date(days[0]!.getTime() + DAYS * 24 * 60 * MINUTE);
  const shown = state.events.filter((event) => event.start >= days[0]! && event.start < weekEnd);
  // Office hours, widened to every event of the week (the one about to start may be late in the evening), with an
  // hour to spare after the last so that a short meeting's title, time and mark fit under it.
  const firstHour = Math.min(8, ...shown.map((event) => event.start.getHours()));
  const lastHour = Math.min(24, Math.max(18, ...shown.map((event) => endHour(event) + 1)));

  const head = document.createElement('div');
  head.className = 'week-head';
  head.append(document.createElement('span'));
  const dayName = new Intl.DateTimeFormat(pageLocale(), { weekday: 'short', day: 'numeric', month: 'short' });
  for (const [index, day] of days.entries()) {
    const label = document.createElement('span');
    label.className = 'week-day-name';
    label.textContent = dayName.format(day);
    if (index === 0) label.dataset.today = '';
    head.append(label);
  }

  const body = document.createElement('div');
  body.className = 'week-body';
  body.style.setProperty('--hours', String(lastHour - firstHour));
  const hours = document.createElement('div');
  hours.className = 'week-hours';
  hours.setAttribute('aria-hidden', 'true');
  const hourLabel = new Intl.DateTimeFormat(pageLocale(), { hour: 'numeric' });
  for (let hour = firstHour; hour < lastHour; hour++) {
    const label = document.createElement('span');
    label.textContent = hourLabel.format(new Date(2000, 0, 1, hour));
    hours.append(label);
  }
  body.append(hours);

  const longDay = new Intl.DateTimeFormat(pageLocale(), { weekday: 'long', day: 'numeric', month: 'long' });
  for (const [index, day] of days.entries()) {
    const column = document.createElement('div');
    column.className = 'week-day';
    column.setAttribute('role', 'group');
    column.setAttribute('aria-label', longDay.format(day));
    const dayStart = day.getTime() + firstHour * 60 * MINUTE;
    const dayEnd = day.getTime() + 24 * 60 * MINUTE;
    for (const event of shown.filter((candidate) => sameDay(candidate.start, day))) {
      column.append(eventBlock(event, state, dayStart, dayEnd));
    }
    if (index === 0 && now.getHours() >= firstHour && now.getHours() < lastHour) {
      const line = document.createElement('div');
      line.className = 'week-now';
      line.style.setProperty('--from', String((now.getTime() - dayStart) / (60 * MINUTE)));
      column.append(line);
    }
    body.append(column);
  }
  // Drawn again as calls start and end: keep the keyboard's place on the event it was on.
  const focused = container.contains(document.activeElement)
    ? (document.activeElement as HTMLElement).dataset.eventId
    : undefined;
  container.replaceChildren(head, body);
  if (focused) body.querySelector<HTMLElement>(`[data-event-id="${focused}"]`)?.focus();
}

/** One event: a button at its time whose height is its length, with its "call in progress" mark. */
function eventBlock(event: CalendarEvent, state: WeekState, dayStart: number, dayEnd: number): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'week-event';
  button.dataset.eventId = event.id;
  button.setAttribute('aria-pressed', String(state.selected === event.id));
  button.style.setProperty('--from', String((event.start.getTime() - dayStart) / (60 * MINUTE)));
  const end = Math.min(event.end.getTime(), dayEnd);
  button.style.setProperty('--length', String((end - event.start.getTime()) / (60 * MINUTE)));
  const title = document.createElement('span');
  title.className = 'week-event-title';
  title.textContent = event.title;
  const time = document.createElement('span');
  time.className = 'week-event-time';
  time.textContent = timeRange(event);
  button.append(title, time);
  const mark = state.callMark(event);
  if (mark) {
    button.dataset.call = mark;
    const badge = document.createElement('span');
    badge.className = 'week-event-call';
    badge.textContent = t('Call in progress');
    button.append(badge);
  }
  button.addEventListener('click', () => state.onSelect(event));
  return button;
}

/** "14:00 – 14:45", in the reader's format. */
export function timeRange(event: CalendarEvent): string {
  return new Intl.DateTimeFormat(pageLocale(), { hour: '2-digit', minute: '2-digit' }).formatRange(
    event.start,
    event.end,
  );
}

function endHour(event: CalendarEvent): number {
  const end = event.end;
  // An event ending after midnight is drawn up to the end of its first day.
  if (!sameDay(end, event.start)) return 24;
  return end.getHours() + (end.getMinutes() > 0 ? 1 : 0);
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}
