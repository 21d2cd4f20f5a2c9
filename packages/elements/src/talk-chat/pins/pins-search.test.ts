import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { expect, fixture, html } from '@open-wc/testing';
import { TalkClient as Client, type TalkClient } from '@talk/call-core';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { freshConversation, tokenFor, until } from '../../test-support/talk.js';
import type { TalkChat } from '../talk-chat.js';
import '../talk-chat.js';

// Alice (the owner, a moderator) and Bob, each with their own client and <talk-chat>, on the real server, with more
// history than one page: Alice finds an old message by search and pins it from its menu; Bob's pinned bar shows it
// live, and a click loads the older page and shows it in context; Bob's search jumps to an older match by keyboard.

const $ = <T extends HTMLElement = HTMLElement>(el: TalkChat, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends HTMLElement = HTMLElement>(el: TalkChat, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];
const row = (el: TalkChat, id: number) => $(el, `[part="message"][data-id="${id}"]`);

setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });

async function click(element: Element): Promise<void> {
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

/** A message to post, with the reference id the server wants. */
const post = (message: string) => ({ message, referenceId: crypto.randomUUID() });

/** Whether the row is inside the list's visible box. */
function inView(el: TalkChat, id: number): boolean {
  const element = row(el, id);
  const list = $(el, '[part="messages"]');
  if (!element || !list) return false;
  const box = element.getBoundingClientRect();
  const view = list.getBoundingClientRect();
  return box.bottom > view.top && box.top < view.bottom;
}

describe('talk-chat pins and search', () => {
  let alice: TalkClient;
  let bob: TalkClient;
  let conversation: string;
  let pinTarget: number;
  let olderQuokka: number;
  let newerQuokka: number;
  beforeEach(async function () {
    // 113 posts, then two chats loading their history and searching: on a loaded machine more than the suite's 20 s.
    this.timeout(60_000);
    ({ client: alice, conversation } = await freshConversation('alice'));
    bob = new Client({ serverUrl: location.origin, token: await tokenFor('bob') });
    await bob.joinConversation(conversation);
    // The oldest messages, then more than a page (100) after them, so that both start out of the loaded history.
    pinTarget = (await alice.postMessage(conversation, post('The zebra crossing is **closed** today'))).id;
    olderQuokka = (await bob.postMessage(conversation, post('A quokka smiled at me'))).id;
    for (let batch = 0; batch < 11; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, at) => alice.postMessage(conversation, post(`filler ${batch * 10 + at}`))),
      );
    }
    newerQuokka = (await alice.postMessage(conversation, post('Quokkas again, all day'))).id;
  });
  afterEach(() => {
    alice.close();
    bob.close();
  });

  it('pins an old message for everyone, opens it from the bar, and jumps to search results by keyboard', async function () {
    this.timeout(60_000);
    // Side by side: the virtualizer renders only rows inside the window, so both chats must be in it.
    const pair = await fixture<HTMLElement>(html`<div style="display: flex; gap: 8px; block-size: 560px">
      <talk-chat style="flex: 1" .client=${alice} conversation=${conversation}></talk-chat>
      <talk-chat style="flex: 1" .client=${bob} conversation=${conversation}></talk-chat>
    </div>`);
    const [aliceChat, bobChat] = [...pair.querySelectorAll<TalkChat>('talk-chat')] as [TalkChat, TalkChat];
    await until(
      () => row(aliceChat, newerQuokka) !== null && row(bobChat, newerQuokka) !== null,
      'the history',
      30_000,
    );
    expect(row(aliceChat, pinTarget)).to.equal(null); // on the older page, not loaded yet
    expect($(bobChat, '[part="pinned"]')).to.equal(null);

    // Alice searches for the old message, and Enter opens it in context.
    await click($(aliceChat, '[data-action="search"]')!);
    await until(() => $(aliceChat, '[part="search-input"]') === aliceChat.shadowRoot!.activeElement, 'the box');
    await sendKeys({ type: 'zebr' });
    await until(() => $$(aliceChat, '[part="search-result"]').length === 1, 'the search result');
    const result = $(aliceChat, '[part="search-result"]')!;
    expect(result.dataset.id).to.equal(String(pinTarget));
    // The match is marked as plain text: the markdown stays as written, no HTML made of it.
    expect(result.querySelector('mark')!.textContent).to.equal('zebr'); // the prefix typed, as the server matches it
    expect(result.textContent).to.contain('**closed**');
    await expect(aliceChat).to.be.accessible();
    await sendKeys({ press: 'Enter' });
    await until(() => inView(aliceChat, pinTarget), 'the old message in view at alice');
    expect(row(aliceChat, pinTarget)!.hasAttribute('data-highlighted')).to.equal(true);
    await until(() => aliceChat.shadowRoot!.activeElement === row(aliceChat, pinTarget), 'focus on the message');

    // Escape in the box closes it.
    $(aliceChat, '[part="search-input"]')!.focus();
    await sendKeys({ press: 'Escape' });
    await until(() => $(aliceChat, '[part="search"]') === null, 'the box to close');

    // Alice pins it from the message's menu, by keyboard.
    row(aliceChat, pinTarget)!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => $(aliceChat, '[part="menu"] [data-item="pin"]') !== null, 'the pin action');
    await click($(aliceChat, '[part="menu"] [data-item="pin"]')!);

    // Bob's bar follows live; the message is still outside his loaded history.
    await until(() => $(bobChat, '[part="pinned-message"]') !== null, "the bar at bob's");
    const bar = $(bobChat, '[part="pinned-message"]')!;
    expect(bar.dataset.id).to.equal(String(pinTarget));
    expect(bar.textContent).to.contain('Alice');
    expect(bar.textContent).to.contain('The zebra crossing is **closed** today');
    expect(row(bobChat, pinTarget)).to.equal(null);
    // Bob is no moderator: his menu has no pin.
    row(bobChat, newerQuokka)!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => $(bobChat, '[part="menu"] [data-item="copy"]') !== null, "bob's menu");
    expect($(bobChat, '[part="menu"] [data-item="pin"]')).to.equal(null);
    await sendKeys({ press: 'Escape' });
    await until(() => $(bobChat, '[part="menu"]') === null, "bob's menu to close");
    await expect(bobChat).to.be.accessible();

    await click(bar);
    await until(() => inView(bobChat, pinTarget), "the pinned message in view at bob's");
    expect(row(bobChat, pinTarget)!.hasAttribute('data-highlighted')).to.equal(true);
    await until(() => !row(bobChat, pinTarget)?.hasAttribute('data-highlighted'), 'the highlight to fade');
    await expect(bobChat).to.be.accessible();

    // Bob's search: two matches, newest first; the arrow key moves to the older one and Enter opens it.
    await click($(bobChat, '[data-action="search"]')!);
    await until(() => $(bobChat, '[part="search-input"]') === bobChat.shadowRoot!.activeElement, "bob's box");
    await sendKeys({ type: 'quokka' });
    await until(() => $$(bobChat, '[part="search-result"]').length === 2, "bob's results");
    expect($$(bobChat, '[part="search-result"]').map((item) => item.dataset.id)).to.deep.equal([
      String(newerQuokka),
      String(olderQuokka),
    ]);
    await sendKeys({ press: 'ArrowDown' });
    expect($(bobChat, '[part="search-result"][aria-selected="true"]')!.dataset.id).to.equal(String(olderQuokka));
    await expect(bobChat).to.be.accessible();
    await sendKeys({ press: 'Enter' });
    await until(() => inView(bobChat, olderQuokka), "the older match in view at bob's");
    expect(row(bobChat, olderQuokka)!.hasAttribute('data-highlighted')).to.equal(true);

    // Unpinning empties Bob's bar live.
    await alice.unpinMessage(conversation, pinTarget);
    await until(() => $(bobChat, '[part="pinned"]') === null, "the bar gone at bob's");
  });

  it('pages the search results with "More results" and with the Down key past the last one', async function () {
    this.timeout(60_000);
    const chat = await fixture<TalkChat>(html`<talk-chat
      style="display: flex; block-size: 560px"
      .client=${bob}
      conversation=${conversation}
    ></talk-chat>`);
    await until(() => row(chat, newerQuokka) !== null, 'the history', 30_000);
    await click($(chat, '[data-action="search"]')!);
    await until(() => $(chat, '[part="search-input"]') === chat.shadowRoot!.activeElement, 'the box');
    // 110 fillers match: a page of 20, newest first, and a button for the older ones.
    await sendKeys({ type: 'filler' });
    const results = () => $$(chat, '[part="search-result"]');
    await until(() => results().length === 20, 'the first page');
    expect(results()[0]!.textContent).to.contain('filler 10'); // the newest batch (100–109) was written at once
    await click($(chat, '[part="search-more"]')!);
    await until(() => results().length === 40, 'the second page');
    expect(new Set(results().map((result) => result.dataset.id)).size).to.equal(40);
    // The arrow keys go on from the first of the new page.
    expect(results()[20]!.getAttribute('aria-selected')).to.equal('true');
    // The keyboard: Down from the last result brings the next page and moves onto its first.
    $(chat, '[part="search-input"]')!.focus();
    for (let step = 0; step < 20; step++) await sendKeys({ press: 'ArrowDown' });
    await until(() => results().length === 60, 'the third page');
    await until(() => results()[40]!.getAttribute('aria-selected') === 'true', 'the first of the new page active');
    await expect(chat).to.be.accessible();
  });
});
