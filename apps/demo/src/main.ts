// The demo page: pick alice or bob, get a dev token, and show the chat, the call and its screen share stage of one
// shared conversation.
// `?user=alice` skips the picker; `?topology=sfu` sends the call through the SFU.
import { TalkClient, type Topology } from '@talk/call-core';
import type { TalkCall, TalkChat, TalkScreenShare } from '@talk/elements';
import '@talk/elements';

const users: Record<string, string> = { alice: 'Alice', bob: 'Bob' };
const params = new URLSearchParams(location.search);
const topology: Topology = params.get('topology') === 'sfu' ? 'sfu' : 'mesh';

function element<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

async function post<T>(path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function enter(userId: string): Promise<void> {
  // The host app vouches for the demo room: an object grant in the token, which lets it be a public conversation.
  const objects = [{ pattern: 'demo:lobby', types: ['public'] }];
  const { token } = await post<{ token: string }>('/api/v1/dev/tokens', {
    userId,
    displayName: users[userId],
    objects,
  });
  // The API is on this page's origin: the server serves the built demo, and vite proxies /api in development.
  const client = new TalkClient({ serverUrl: location.origin, token });
  const conversation = await client.createConversation({
    type: 'public',
    name: 'Demo room',
    object: { type: 'demo', id: 'lobby' },
  });

  const chat = document.createElement('talk-chat') as TalkChat;
  const call = document.createElement('talk-call') as TalkCall;
  for (const el of [chat, call]) {
    el.client = client;
    el.conversation = conversation.token;
  }
  call.topology = topology;
  call.id = 'call';
  // The stage follows the call's shares; it sits above the tiles, which keep the cameras.
  const stage = document.createElement('talk-screenshare') as TalkScreenShare;
  stage.for = call.id;
  const column = document.createElement('div');
  column.className = 'call-column';
  column.append(stage, call);
  element('room').replaceChildren(chat, column);

  element('picker').hidden = true;
  element('room').hidden = false;
  const who = element('who');
  who.textContent = `Signed in as ${users[userId]} · ${conversation.name} · ${topology}`;
  who.hidden = false;
  document.body.dataset.user = userId;
  document.body.dataset.conversation = conversation.token;
  // End-to-end tests wait for this before they drive the elements.
  document.body.dataset.ready = 'true';
}

function start(userId: string): void {
  const url = new URL(location.href);
  url.searchParams.set('user', userId);
  history.replaceState(null, '', url);
  enter(userId).catch((error: unknown) => {
    const box = element('error');
    box.textContent = `Could not enter the demo room: ${error instanceof Error ? error.message : String(error)}`;
    box.hidden = false;
  });
}

for (const button of document.querySelectorAll<HTMLButtonElement>('#picker [data-user]')) {
  button.addEventListener('click', () => start(button.dataset.user!));
}
const preselected = params.get('user');
if (preselected && preselected in users) start(preselected);
