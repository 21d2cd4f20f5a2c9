// The demo workspace: a top bar and four apps that embed the Talk elements, signed in as one seeded demo user.
// `?user=alice` signs in at once; `?app=files` opens that app; `?topology=mesh|sfu` overrides the call's `auto`;
// `?lang=ar` gives the elements that language (they read the document's), right to left where it is written so;
// `?guest=<token>` is a meeting's guest link.
import type { TopologyMode } from '@talk/call-core';
import '@talk/elements';
import { guestPage } from './apps/calendar/guest-page.js';
import { calendarApp } from './apps/calendar-app.js';
import { deckApp } from './apps/deck-app.js';
import { filesApp } from './apps/files-app.js';
import { talkApp } from './apps/talk-app.js';
import { DEMO_USERS, type DemoUser, signIn } from './host/session.js';
import { APPS, type AppName, markCurrentApp, topBar } from './shell/top-bar.js';

const params = new URLSearchParams(location.search);
const TOPOLOGIES: readonly TopologyMode[] = ['auto', 'mesh', 'sfu'];
const topology = TOPOLOGIES.find((mode) => mode === params.get('topology')) ?? 'auto';
const RIGHT_TO_LEFT = new Set(['ar', 'fa', 'he', 'ur']);
const lang = params.get('lang');
if (lang) {
  document.documentElement.lang = lang;
  document.documentElement.dir = RIGHT_TO_LEFT.has(lang.split('-')[0]!) ? 'rtl' : 'ltr';
}

function setParam(name: string, value: string): void {
  const url = new URL(location.href);
  url.searchParams.set(name, value);
  history.replaceState(null, '', url);
}

async function enter(user: DemoUser): Promise<void> {
  const client = await signIn(user);
  const first = APPS.find((app) => app === params.get('app')) ?? 'talk';
  const files = await filesApp(client, topology);
  const deck = deckApp(client);
  const calendar = calendarApp(client, topology);
  // Every app stays in the page while another is shown, so its chats keep feeding the bell.
  const apps: Record<AppName, HTMLElement> = {
    talk: await talkApp(client, topology),
    files: files.element,
    calendar: calendar.element,
    deck: deck.element,
  };
  const show = (name: AppName) => {
    for (const app of APPS) apps[app].hidden = app !== name;
    markCurrentApp(bar, name);
    document.body.dataset.app = name;
    setParam('app', name);
  };
  // A mention in the bell leads to where it was made: the host knows its objects by the conversation's `object`.
  const openConversation = async (token: string) => {
    const { object } = await client.getConversation(token);
    if (object?.type === 'card' && deck.openCard(object.id)) show('deck');
    else if (object?.type === 'file' && files.openFile(object.id)) show('files');
    else if (object?.type === 'event' && calendar.openEvent(object.id)) show('calendar');
    else show('talk');
  };
  const main = document.createElement('main');
  for (const app of APPS) {
    apps[app].id = app;
    main.append(apps[app]);
  }
  // Another user is another sign-in: a fresh page, as a host's log-out and log-in would be.
  const switchUser = (next: DemoUser) => {
    setParam('user', next.userId);
    location.reload();
  };
  const bell = { client, onOpen: (token: string) => void openConversation(token).catch(console.error) };
  const bar = topBar({ user, app: first, onApp: show, onUser: switchUser, bell });
  document.body.replaceChildren(bar, main);
  show(first);
  document.body.dataset.user = user.userId;
  // End-to-end tests wait for this before they drive the elements.
  document.body.dataset.ready = 'true';
}

function start(user: DemoUser): void {
  setParam('user', user.userId);
  enter(user).catch((error: unknown) => {
    const box = document.getElementById('error')!;
    box.textContent = `Could not sign in: ${error instanceof Error ? error.message : String(error)}`;
    box.hidden = false;
  });
}

/** The sign-in page: a button per demo user, or at once the one `?user=` names. */
function showPicker(): void {
  const picker = document.getElementById('picker')!;
  for (const user of DEMO_USERS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.user = user.userId;
    button.textContent = `Continue as ${user.displayName}`;
    button.addEventListener('click', () => start(user));
    picker.append(button);
  }
  const preselected = DEMO_USERS.find((user) => user.userId === params.get('user'));
  if (preselected) start(preselected);
}

// A guest link (`?guest=<token>`, from a meeting's detail) opens the way in for someone outside the workspace.
const guest = params.get('guest');
if (guest) document.body.replaceChildren(...guestPage(guest, topology));
else showPicker();
