import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { expect, fixture, html } from '@open-wc/testing';
import { TalkClient } from '@talk/call-core';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../talk-chat/talk-chat.js';
import type { TalkChat } from '../talk-chat/talk-chat.js';
import { tokenFor, until } from '../test-support/talk.js';
import type { TalkConversationList } from './talk-conversation-list.js';
import './talk-conversation-list.js';

// A user of their own (so no other run's messages match) with two conversations on the real server: typing in the
// filter also searches the messages of both, pages them with "More results", and a result picked by keyboard tells
// the host the conversation and the message, which the host's <talk-chat> then opens in context.

const $$ = (el: HTMLElement, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const $ = (el: HTMLElement, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const results = (el: TalkConversationList) => $$(el, '[part="message-result"]');

setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });

async function click(element: Element): Promise<void> {
  element.scrollIntoView({ block: 'nearest' });
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

const post = (message: string) => ({ message, referenceId: crypto.randomUUID() });

describe('talk-conversation-list message search', () => {
  let client: TalkClient;
  let garden: string;
  let office: string;
  let oldTulip: number;
  beforeEach(async () => {
    const id = `searcher-${Math.random().toString(36).slice(2, 8)}`;
    client = new TalkClient({ serverUrl: location.origin, token: await tokenFor(id, 'Sam') });
    garden = (await client.createConversation({ type: 'group', name: 'Garden' })).token;
    office = (await client.createConversation({ type: 'group', name: 'Office' })).token;
    // The oldest match, then more than a page of history after it, so that it starts out of the chat's first page.
    oldTulip = (await client.postMessage(garden, post('The tulips are blooming'))).id;
    for (let batch = 0; batch < 11; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, at) => client.postMessage(garden, post(`weeding ${batch}-${at}`))),
      );
    }
    for (let at = 0; at < 21; at++) await client.postMessage(office, post(`tulip order ${at}`));
  });
  afterEach(() => client.close());

  it('finds messages in every conversation, pages them, and opens a picked one in context', async () => {
    const host = await fixture<HTMLElement>(html`<div style="display: flex; gap: 8px; block-size: 600px">
      <talk-conversation-list style="inline-size: 320px" .client=${client}></talk-conversation-list>
      <talk-chat style="flex: 1"></talk-chat>
    </div>`);
    const list = host.querySelector<TalkConversationList>('talk-conversation-list')!;
    const chat = host.querySelector<TalkChat>('talk-chat')!;
    chat.client = client;
    // The host opens what the list picks, at the message when one was picked from the search.
    const picked: { token: string; messageId: number | undefined }[] = [];
    list.addEventListener('talk-conversation-select', (event) => {
      picked.push({ token: event.token, messageId: event.messageId });
      chat.conversation = event.token;
      if (event.messageId !== undefined) void chat.showMessage(event.messageId);
    });
    await until(() => $$(list, '[part="conversation"]').length === 2, 'the conversations');

    await click($(list, '[part="filter"]')!);
    await sendKeys({ type: 'tulip' });
    await until(() => results(list).length === 20, 'the first page of messages found');
    // No conversation is named so, but the messages are found in both, the newest first, named by conversation.
    expect($(list, '[part="empty"]')!.textContent).to.contain('No conversation matches');
    expect(results(list)[0]!.querySelector('[part="name"]')!.textContent).to.equal('Office');
    expect(results(list)[0]!.querySelector('mark')!.textContent!.toLowerCase()).to.equal('tulip');
    await expect(list).to.be.accessible();

    await click($(list, '[part="message-results-more"]')!);
    await until(() => results(list).length === 22, 'the older messages found');
    expect($(list, '[part="message-results-more"]')).to.equal(null);
    const last = results(list).at(-1)!;
    expect(last.dataset.token).to.equal(garden);
    expect(last.querySelector('[part="name"]')!.textContent).to.equal('Garden');

    // By keyboard: from the filter into the results, to the last one, and Enter.
    $(list, '[part="filter"]')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await until(() => list.shadowRoot!.activeElement === results(list)[0], 'the first result focused');
    await sendKeys({ press: 'End' });
    await until(() => list.shadowRoot!.activeElement === results(list).at(-1), 'the last result focused');
    await sendKeys({ press: 'Enter' });
    expect(picked).to.deep.equal([{ token: garden, messageId: oldTulip }]);

    const row = () => $(chat, `[part="message"][data-id="${oldTulip}"]`);
    await until(() => row()?.hasAttribute('data-highlighted') === true, 'the message opened in context');
    const box = row()!.getBoundingClientRect();
    const view = $(chat, '[part="messages"]')!.getBoundingClientRect();
    expect(box.bottom > view.top && box.top < view.bottom).to.equal(true);
  });
});
