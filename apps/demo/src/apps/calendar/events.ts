// The Calendar's events: the host's own data, seeded relative to now so the demo always has a meeting about to start.

/** Someone invited to an event: a workspace user, or an external attendee who comes in through a guest link. */
export type Attendee = { userId: string; name: string } | { email: string; name: string };

/** An event of the host's calendar. */
export interface CalendarEvent {
  /** The host's id; Talk knows the event only as the object `event:<id>`. */
  id: string;
  title: string;
  start: Date;
  end: Date;
  attendees: readonly Attendee[];
}

/** A seeded event, placed relative to now: `day` days on, at `time` ("HH:MM"), or `inMinutes` from now. */
interface Seed {
  id: string;
  title: string;
  at: { inMinutes: number } | { day: number; time: string };
  minutes: number;
  attendees: readonly Attendee[];
}

const ALICE = { userId: 'alice', name: 'Alice' };
const BOB = { userId: 'bob', name: 'Bob' };
const CAROL = { userId: 'carol', name: 'Carol' };
const DAVE = { userId: 'dave', name: 'Dave' };
const ERIN = { userId: 'erin', name: 'Erin' };
const FRANK = { userId: 'frank', name: 'Frank' };

const SEEDS: readonly Seed[] = [
  {
    id: 'team-sync',
    title: 'Team sync',
    at: { inMinutes: 5 },
    minutes: 30,
    attendees: [ALICE, BOB, CAROL, DAVE, ERIN],
  },
  {
    id: 'design-review',
    title: 'Design review',
    at: { day: 1, time: '10:00' },
    minutes: 60,
    attendees: [ALICE, BOB, CAROL],
  },
  {
    id: 'customer-demo',
    title: 'Customer demo with Acme',
    at: { day: 2, time: '14:00' },
    minutes: 45,
    attendees: [ALICE, BOB, { email: 'grace@acme.example', name: 'Grace (Acme)' }],
  },
  {
    id: 'sprint-planning',
    title: 'Sprint planning',
    at: { day: 3, time: '09:30' },
    minutes: 90,
    attendees: [ALICE, BOB, CAROL, DAVE, ERIN, FRANK],
  },
  {
    id: 'one-on-one',
    title: 'Alice / Frank 1:1',
    at: { day: 4, time: '16:00' },
    minutes: 30,
    attendees: [ALICE, FRANK],
  },
];

/** The seeded events, placed in the week that starts today. */
export function seededEvents(now = new Date()): CalendarEvent[] {
  return SEEDS.map(({ id, title, at, minutes, attendees }) => {
    let start: Date;
    if ('inMinutes' in at) {
      // Whole minutes, so the time shown reads as a meeting's and not as a timestamp.
      start = new Date(now.getTime() + at.inMinutes * 60_000);
      start.setSeconds(0, 0);
    } else {
      const [hours, mins] = at.time.split(':').map(Number);
      start = new Date(now.getFullYear(), now.getMonth(), now.getDate() + at.day, hours, mins);
    }
    return { id, title, start, end: new Date(start.getTime() + minutes * 60_000), attendees };
  });
}

/** Whether the event invites people from outside the workspace, who need a guest link. */
export function hasExternalAttendees(event: Pick<CalendarEvent, 'attendees'>): boolean {
  return event.attendees.some((attendee) => 'email' in attendee);
}

/**
 * The grants the host adds to every token for events with external attendees: their conversations may be created
 * public, so a guest link can open them. An exact `event:<id>` grant wins over the bare `event:*` one, which keeps
 * every other meeting invitation-only (a group).
 */
export const GUEST_EVENT_GRANTS: readonly { pattern: string; types: ['public'] }[] = SEEDS.filter(
  hasExternalAttendees,
).map((seed) => ({
  pattern: `event:${seed.id}`,
  types: ['public'],
}));
