// The host's part of signing in: who the demo users are and the token each gets. A real host signs the JWT itself
// (see the server README, "Tokens for host developers"); the demo asks the server's dev-mode endpoint instead.
import { ClientEvent, TalkClient } from '@talk/call-core';
import { GUEST_EVENT_GRANTS } from '../apps/calendar/events.js';

/** A seeded demo user. */
export interface DemoUser {
  userId: string;
  displayName: string;
}

/** The people one may sign in as. */
export const DEMO_USERS: readonly DemoUser[] = [
  { userId: 'alice', displayName: 'Alice' },
  { userId: 'bob', displayName: 'Bob' },
  { userId: 'carol', displayName: 'Carol' },
  { userId: 'dave', displayName: 'Dave' },
  { userId: 'erin', displayName: 'Erin' },
  { userId: 'frank', displayName: 'Frank' },
];

/**
 * What the host vouches for in each token (the `obj` claim): the shared demo room as a public conversation, and the
 * conversations of every file, calendar event and deck card, which the server then creates as groups; the meetings
 * with external attendees may be public, for their guest links.
 */
const GRANTS = [{ pattern: 'demo:lobby', types: ['public'] }, ...GUEST_EVENT_GRANTS, 'file:*', 'event:*', 'card:*'];

/** Mints a token for the user through `POST /api/v1/dev/tokens` (dev mode only). */
async function mintToken(user: DemoUser): Promise<string> {
  const response = await fetch('/api/v1/dev/tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...user, objects: GRANTS }),
  });
  if (!response.ok) throw new Error(`the dev token endpoint answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** One client for the signed-in user, shared by every element on the page (one signaling connection). */
export async function signIn(user: DemoUser): Promise<TalkClient> {
  // The API is on this page's origin: the server serves the built demo, and vite proxies /api in development.
  const client = new TalkClient({ serverUrl: location.origin, token: await mintToken(user) });
  // The host owns the client, so it (not an element) answers the expiry warning with a fresh token.
  client.on(ClientEvent.TokenExpiring, () => {
    mintToken(user).then((token) => client.setToken(token), console.error);
  });
  return client;
}
