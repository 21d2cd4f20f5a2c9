// The page a guest link opens: no workspace sign-in, only <talk-join>, which asks the guest's name and then shows
// the meeting's call and chat with the guest's own client.
import type { TopologyMode } from '@talk/call-core';
import type { TalkCall, TalkChat, TalkJoin } from '@talk/elements';
import { t } from '../../host/strings.js';
import { themeSwitch } from '../../shell/top-bar.js';

/** The demo's URL that lets a guest into the public conversation `token`. */
export function guestLink(token: string): string {
  const url = new URL(location.pathname, location.origin);
  url.searchParams.set('guest', token);
  return url.toString();
}

/** The guest's page for the public conversation `token`: a bar, then the join flow around the call and the chat. */
export function guestPage(token: string, topology: TopologyMode): HTMLElement[] {
  const bar = document.createElement('header');
  bar.className = 'top-bar';
  const brand = document.createElement('strong');
  brand.className = 'brand';
  brand.textContent = t('Workspace');
  const title = document.createElement('span');
  title.className = 'guest-title';
  title.textContent = t('Meeting');
  bar.append(brand, title, themeSwitch());

  const join = document.createElement('talk-join') as TalkJoin;
  join.className = 'guest-join';
  join.conversation = token;
  const call = document.createElement('talk-call') as TalkCall;
  call.conversation = token;
  call.topology = topology;
  const chat = document.createElement('talk-chat') as TalkChat;
  chat.conversation = token;
  // Both take the guest's client from <talk-join> once the guest is in.
  join.append(call, chat);
  join.addEventListener('talk-join-change', (event) => {
    document.body.dataset.guestStage = event.stage;
    if (event.stage !== 'joined' || !event.client) return;
    // The host knows nothing of the guest; the meeting's name comes from Talk, as the guest now sees it.
    event.client.getConversation(token).then((conversation) => {
      title.textContent = conversation.name;
    }, console.error);
  });

  const main = document.createElement('main');
  main.className = 'guest-main';
  main.append(join);
  return [bar, main];
}
