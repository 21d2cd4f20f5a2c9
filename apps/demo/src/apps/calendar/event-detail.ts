// An event's detail: when and who, "Join meeting" (a call in the event's conversation), its chat, and for
// meetings with external attendees the guest link.
import type { Conversation, TalkClient, TopologyMode } from '@talk/call-core';
import type { TalkChat } from '@talk/elements';
import { callOnRequest } from '../../host/call.js';
import { pageLocale, t } from '../../host/strings.js';
import { type CalendarEvent, hasExternalAttendees } from './events.js';
import { guestLink } from './guest-page.js';
import { timeRange } from './week-view.js';

/** Gets or creates the event's conversation, bound to the object `event:<id>`. */
export function meetingConversation(client: TalkClient, event: CalendarEvent): Promise<Conversation> {
  // Public only where the host's token grants it (events with external attendees): a guest link can open those.
  // Everyone else's meetings are groups, which any signed-in attendee joins by opening them.
  return client.createConversation({
    type: hasExternalAttendees(event) ? 'public' : 'group',
    name: event.title,
    object: { type: 'event', id: event.id },
  });
}

/** Fills `panel` with the detail of `event`, whose conversation is `conversation`. */
export function renderDetail(
  panel: HTMLElement,
  client: TalkClient,
  topology: TopologyMode,
  event: CalendarEvent,
  conversation: Conversation,
  onClose: () => void,
): void {
  const header = document.createElement('header');
  header.className = 'event-header';
  const title = document.createElement('h2');
  title.textContent = event.title;
  const when = document.createElement('p');
  when.className = 'event-when';
  const day = new Intl.DateTimeFormat(pageLocale(), { weekday: 'long', day: 'numeric', month: 'long' });
  when.textContent = `${day.format(event.start)}, ${timeRange(event)}`;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'event-close';
  close.setAttribute('aria-label', t('Close the event'));
  close.textContent = '✕';
  close.addEventListener('click', onClose);
  header.append(title, close, when);

  const attendees = document.createElement('ul');
  attendees.className = 'event-attendees plain-list';
  attendees.setAttribute('aria-label', t('Attendees'));
  for (const attendee of event.attendees) {
    const item = document.createElement('li');
    item.textContent = attendee.name;
    if ('email' in attendee) {
      item.dataset.external = t('guest');
      item.title = t('{email}, joins through the guest link', { email: attendee.email });
    }
    attendees.append(item);
  }

  const join = document.createElement('button');
  join.type = 'button';
  join.className = 'join-meeting accent-button';
  join.textContent = t('Join meeting');
  callOnRequest(join, { client, conversation: conversation.token, topology });

  const chat = document.createElement('talk-chat') as TalkChat;
  chat.client = client;
  chat.conversation = conversation.token;

  const parts: HTMLElement[] = [header, attendees];
  if (hasExternalAttendees(event)) parts.push(guestLinkBox(conversation));
  parts.push(join, chat);
  panel.replaceChildren(...parts);
  panel.dataset.eventId = event.id;
  panel.dataset.conversation = conversation.token;
  panel.hidden = false;
}

/** The guest link of a public meeting, with a copy button; external attendees get it by mail from the organiser. */
function guestLinkBox(conversation: Conversation): HTMLElement {
  const box = document.createElement('div');
  box.className = 'guest-link';
  if (conversation.type !== 'public') {
    // Created before the host granted it as public (an older database): a guest link would not open it.
    box.textContent = t('This meeting’s conversation is not public, so guests cannot join it by link.');
    return box;
  }
  const label = document.createElement('label');
  label.textContent = t('Guest link');
  const field = document.createElement('input');
  field.readOnly = true;
  field.dir = 'ltr'; // a URL reads left to right on a right-to-left page too
  field.value = guestLink(conversation.token);
  label.append(field);
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'accent-button';
  copy.textContent = t('Copy guest link');
  const status = document.createElement('span');
  status.className = 'guest-link-status';
  status.setAttribute('role', 'status');
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(field.value).then(
      () => {
        status.textContent = t('Copied');
      },
      () => {
        // No clipboard (permission refused, an insecure origin): leave the link selected for Ctrl+C.
        field.select();
        status.textContent = t('Press Ctrl+C to copy');
      },
    );
  });
  box.append(label, copy, status);
  return box;
}
