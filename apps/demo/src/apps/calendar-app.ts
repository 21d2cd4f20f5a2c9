// Calendar: a week of meetings; a selected event's detail holds its call and chat, bound to the object `event:<id>`.
import type { TalkClient, TopologyMode } from '@talk/call-core';
import { t } from '../host/strings.js';
import { meetingConversation, renderDetail } from './calendar/event-detail.js';
import { type CalendarEvent, seededEvents } from './calendar/events.js';
import { MeetingCalls } from './calendar/meeting-calls.js';
import { type CallMark, renderWeek } from './calendar/week-view.js';

/** How long before its start a meeting shows "call in progress", as people start dropping in. */
const NEAR_MS = 10 * 60_000;
/** How often the marks are drawn again, as meetings come near and pass. */
const REDRAW_MS = 30_000;

/** The Calendar app, and a way to open one of its events (a mention in the bell leads there). */
export interface CalendarApp {
  element: HTMLElement;
  /** Opens the event `id`'s detail; false when there is no such event. */
  openEvent(id: string): boolean;
}

/** Builds the Calendar app. */
export function calendarApp(client: TalkClient, topology: TopologyMode): CalendarApp {
  const events = seededEvents();
  const app = document.createElement('section');
  app.className = 'calendar-app app-split';
  const week = document.createElement('div');
  week.className = 'week';
  week.setAttribute('role', 'region');
  week.setAttribute('aria-label', t('This week'));
  const detail = document.createElement('aside');
  detail.className = 'event-detail detail-panel';
  detail.setAttribute('aria-label', t('Event'));
  detail.hidden = true;
  app.append(week, detail);

  let selected: string | null = null;
  const callMark = (event: CalendarEvent): CallMark => {
    if (calls.isRunning(event.id)) return 'running';
    const now = Date.now();
    return now >= event.start.getTime() - NEAR_MS && now < event.end.getTime() ? 'near' : null;
  };
  const draw = () => renderWeek(week, { events, selected, callMark, onSelect: (event) => void open(event) });
  const calls = new MeetingCalls(client, draw);

  const close = () => {
    selected = null;
    // Leaving the detail ends its call and chat: the elements release camera and signaling when removed.
    detail.replaceChildren();
    detail.hidden = true;
    draw();
  };
  /** Opens the event's detail; `reveal` scrolls it into view, which on a narrow page sits below the week. */
  const open = async (event: CalendarEvent, reveal = false) => {
    selected = event.id;
    draw();
    try {
      const conversation = await meetingConversation(client, event);
      calls.record(conversation);
      // Another event may have been picked while this one's conversation was on its way.
      if (selected !== event.id) return;
      renderDetail(detail, client, topology, event, conversation, close);
      if (reveal) detail.scrollIntoView({ block: 'nearest' });
    } catch (error) {
      const box = document.createElement('p');
      box.setAttribute('role', 'alert');
      box.textContent = t('Could not open the meeting: {error}', {
        error: error instanceof Error ? error.message : String(error),
      });
      detail.replaceChildren(box);
      detail.hidden = false;
    }
  };

  draw();
  calls.start().catch(console.error);
  setInterval(draw, REDRAW_MS);
  const openEvent = (id: string): boolean => {
    const event = events.find((candidate) => candidate.id === id);
    // From the bell: the user asked for this event, so its detail must come into sight.
    if (event) void open(event, true);
    return !!event;
  };
  return { element: app, openEvent };
}
