import { fixture, html } from '@open-wc/testing';
import { TalkClient as Client, type TalkClient } from '@talk/call-core';
import { sendMouse } from '@web/test-runner-commands';
import type { TalkChat } from '../talk-chat/talk-chat.js';
import '../talk-chat/talk-chat.js';
import { freshConversation, tokenFor, until } from './talk.js';

/** The first element of a chat's shadow root matching `selector`. */
export const $ = <T extends Element = HTMLElement>(el: TalkChat, selector: string) =>
  el.shadowRoot!.querySelector<T & HTMLElement>(selector);

/** Every element of a chat's shadow root matching `selector`. */
export const $$ = (el: TalkChat, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];

/** Clicks the middle of `element` with the real mouse, once the frame that may still move it is drawn. */
export async function click(element: Element): Promise<void> {
  await new Promise(requestAnimationFrame);
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

/**
 * Moves the mouse over a message row until its toolbar shows: the virtualiser may still move a row that has just
 * arrived (it measures, then places it), so the pointer is aimed again at the row's current place, a few frames at most.
 */
export async function hover(element: Element): Promise<void> {
  const actions = element.querySelector('[part="actions"]');
  for (let attempt = 0; attempt < 20; attempt++) {
    await new Promise(requestAnimationFrame);
    const box = element.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(box.x + box.width / 2), Math.round(box.y + 6)] });
    if (!actions || getComputedStyle(actions).display !== 'none') return;
  }
}

/** Alice and Bob, each with their own client and their own `<talk-chat>` side by side, in a fresh conversation. */
export interface ChatPair {
  alice: TalkClient;
  bob: TalkClient;
  conversation: string;
  aliceChat: TalkChat;
  bobChat: TalkChat;
  /** Closes both clients. */
  close(): void;
}

/** Opens a {@link ChatPair} on the real server, `height` pixels tall, once both chats can send. */
export async function chatPair(height: number): Promise<ChatPair> {
  const { client: alice, conversation } = await freshConversation();
  const bob = new Client({ serverUrl: location.origin, token: await tokenFor('bob') });
  await bob.joinConversation(conversation);
  const pair = await fixture<HTMLElement>(html`<div style="display: flex; gap: 8px; block-size: ${height}px">
    <talk-chat style="flex: 1" .client=${alice} conversation=${conversation}></talk-chat>
    <talk-chat style="flex: 1" .client=${bob} conversation=${conversation}></talk-chat>
  </div>`);
  const [aliceChat, bobChat] = [...pair.querySelectorAll<TalkChat>('talk-chat')] as [TalkChat, TalkChat];
  for (const chat of [aliceChat, bobChat]) {
    await until(() => !$<HTMLButtonElement>(chat, '[part="send"]')!.disabled, 'the store');
  }
  return {
    alice,
    bob,
    conversation,
    aliceChat,
    bobChat,
    close() {
      alice.close();
      bob.close();
    },
  };
}
