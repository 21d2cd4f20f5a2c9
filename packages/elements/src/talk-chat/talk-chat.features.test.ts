import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { expect, fixture, html } from '@open-wc/testing';
import { TalkClient as Client, type TalkClient } from '@talk/call-core';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { freshConversation, tokenFor, until } from '../test-support/talk.js';
import type { TalkChat } from './talk-chat.js';
import './talk-chat.js';

// Two people, each with their own client and their own <talk-chat>, on the real server: everything below is done
// through the UI, by keys and by mouse, and checked in the other person's chat.

const $ = <T extends Element = HTMLElement>(el: TalkChat, selector: string) =>
  el.shadowRoot!.querySelector<T & HTMLElement>(selector);
const $$ = (el: TalkChat, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const messages = (el: TalkChat) => $$(el, '[part="message"]');
const messageWith = (el: TalkChat, text: string) =>
  messages(el).find((m) => m.querySelector('[part="text"]')?.textContent?.includes(text));
const input = (el: TalkChat) => $<HTMLTextAreaElement>(el, '[part="input"]')!;
const ready = (el: TalkChat) => until(() => !$<HTMLButtonElement>(el, '[part="send"]')!.disabled, 'the store');
const focused = (el: TalkChat) => el.shadowRoot!.activeElement as HTMLElement | null;
const next = <K extends keyof GlobalEventHandlersEventMap>(el: HTMLElement, type: K) =>
  new Promise<GlobalEventHandlersEventMap[K]>((resolve) => el.addEventListener(type, resolve, { once: true }));

// The virtualizer measures rows in a ResizeObserver that may resize them again in the same frame; Chromium reports
// that as a window error, which its authors call benign and ship this helper for.
setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });

async function click(element: Element): Promise<void> {
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

/**
 * Clicks `element` until `done()` holds, aiming afresh each time: a row the virtualiser is still placing can move
 * between reading its box and the click landing, and the click then hits its neighbour.
 */
async function clickUntil(element: () => Element, done: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 10 && !done(); attempt++) {
    await new Promise(requestAnimationFrame);
    await click(element());
    await new Promise(requestAnimationFrame);
  }
}

async function hover(element: Element): Promise<void> {
  // The virtualiser may still move a row that has just arrived (it measures, then places it), so the pointer is
  // aimed again at the row's current place until its toolbar shows, a few frames at most.
  const actions = element.querySelector('[part="actions"]');
  for (let attempt = 0; attempt < 20; attempt++) {
    await new Promise(requestAnimationFrame);
    const box = element.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(box.x + box.width / 2), Math.round(box.y + 6)] });
    if (!actions || getComputedStyle(actions).display !== 'none') return;
  }
}

/** Types into a chat's composer with real key presses and sends with Enter. */
async function write(el: TalkChat, text: string): Promise<void> {
  input(el).focus();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
}

describe('talk-chat between two people', () => {
  let alice: TalkClient;
  let bob: TalkClient;
  let conversation: string;
  let aliceChat: TalkChat;
  let bobChat: TalkChat;

  beforeEach(async () => {
    ({ client: alice, conversation } = await freshConversation());
    bob = new Client({ serverUrl: location.origin, token: await tokenFor('bob') });
    await bob.joinConversation(conversation);
    const pair = await fixture<HTMLElement>(html`<div style="display: flex; gap: 8px; block-size: 520px">
      <talk-chat style="flex: 1" .client=${alice} conversation=${conversation}></talk-chat>
      <talk-chat style="flex: 1" .client=${bob} conversation=${conversation}></talk-chat>
    </div>`);
    [aliceChat, bobChat] = [...pair.querySelectorAll<TalkChat>('talk-chat')] as [TalkChat, TalkChat];
    await ready(aliceChat);
    await ready(bobChat);
  });
  afterEach(async () => {
    await resetMouse();
    alice.close();
    bob.close();
  });

  it('replies from the hover toolbar: the quote shows at both, and the reply preview can be cancelled', async () => {
    await write(aliceChat, 'Lunch at noon?');
    await until(() => !!messageWith(bobChat, 'Lunch at noon?'), "alice's message at bob");
    const original = messageWith(bobChat, 'Lunch at noon?')!;
    await hover(original);
    const replyButton = original.querySelector('[data-action="reply"]')!;
    expect(getComputedStyle(original.querySelector('[part="actions"]')!).display).to.equal('flex');
    await clickUntil(
      () => replyButton,
      () => !!$(bobChat, '[part="composer-context"]'),
    );
    expect($(bobChat, '[part="composer-context"]')!.textContent).to.contain('Replying to Alice');
    expect(focused(bobChat)).to.equal(input(bobChat));
    await expect(bobChat).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    expect($(bobChat, '[part="composer-context"]')).to.equal(null);

    await clickUntil(
      () => replyButton.closest('[part="message"]')!.querySelector('[data-action="reply"]')!,
      () => !!$(bobChat, '[part="composer-context"]'),
    );
    await sendKeys({ type: 'Yes, see you there' });
    await sendKeys({ press: 'Enter' });
    await until(() => !!messageWith(aliceChat, 'Yes, see you there'), "bob's reply at alice");
    const reply = messageWith(aliceChat, 'Yes, see you there')!;
    expect(reply.querySelector('[part="quote"]')!.textContent).to.contain('Alice').and.to.contain('Lunch at noon?');
    expect(reply.querySelector('[part="author"]')!.textContent).to.equal('Bob');
    expect($(bobChat, '[part="composer-context"]')).to.equal(null);
    await expect(aliceChat).to.be.accessible();
  });

  it('reacts from the keyboard alone, shows the count and who reacted, and takes it back with a click', async () => {
    await write(aliceChat, 'Release is out');
    await until(() => !!messageWith(bobChat, 'Release is out'), 'the message at bob');
    $(bobChat, '[part="messages"]')!.focus();
    await sendKeys({ press: 'ArrowUp' }); // from the list to the newest message
    await until(() => focused(bobChat)?.getAttribute('part') === 'message', 'a message focused');
    await sendKeys({ press: 'Tab' }); // into its toolbar: React comes first
    expect(focused(bobChat)?.dataset.action).to.equal('react');
    await sendKeys({ press: 'Enter' });
    await until(() => !!$(bobChat, '[part="menu"]'), 'the reaction menu');
    expect(focused(bobChat)?.textContent?.trim()).to.equal('👍');
    await sendKeys({ press: 'ArrowRight' });
    expect(focused(bobChat)?.textContent?.trim()).to.equal('❤️');
    await expect(bobChat).to.be.accessible();
    await sendKeys({ press: 'Enter' });

    const chip = () => messageWith(aliceChat, 'Release is out')?.querySelector<HTMLElement>('[part="reaction"]');
    await until(() => chip()?.textContent?.replace(/\s+/g, ' ').trim() === '❤️ 1', 'the reaction at alice');
    await until(() => chip()!.title === 'Bob', 'who reacted');
    expect(chip()!.getAttribute('aria-pressed')).to.equal('false');
    const bobChip = messageWith(bobChat, 'Release is out')!.querySelector<HTMLElement>('[part="reaction"]')!;
    await until(() => bobChip.getAttribute('aria-pressed') === 'true', "bob's own reaction pressed");
    await click(messageWith(bobChat, 'Release is out')!.querySelector('[part="reaction"]')!);
    await until(() => !chip(), 'the reaction gone at alice');
    await expect(aliceChat).to.be.accessible();
  });

  it('edits the last message with Up and Enter, and deletes from the menu; the other sees both', async () => {
    await write(bobChat, 'Meeting moved to 3');
    await write(bobChat, 'Room 4B');
    await until(() => !!messageWith(aliceChat, 'Room 4B'), 'both messages at alice');
    await until(() => messageWith(bobChat, 'Room 4B')?.dataset.state === 'sent', 'stored');
    input(bobChat).focus();
    await sendKeys({ press: 'ArrowUp' });
    expect(input(bobChat).value).to.equal('Room 4B');
    expect($(bobChat, '[part="composer-context"]')!.textContent).to.contain('Editing your message');
    expect($(bobChat, '[part="send"]')!.textContent!.trim()).to.equal('Save');
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ type: 'C' });
    await sendKeys({ press: 'Enter' });
    await until(() => !!messageWith(aliceChat, 'Room 4C'), 'the edit at alice');
    expect(messageWith(aliceChat, 'Room 4C')!.querySelector('[part="edited"]')!.textContent).to.equal('(edited)');

    // Delete the first one from its "more" menu, opened with Enter on the focused message.
    const target = messageWith(bobChat, 'Meeting moved to 3')!;
    target.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => !!$(bobChat, '[part="menu"]'), 'the actions menu');
    const labels = $$(bobChat, '[part="menu"] [role="menuitem"]').map((item) => item.textContent!.trim());
    expect(labels).to.deep.equal(['Reply', 'Edit', 'Delete', 'Copy text']);
    await sendKeys({ press: 'Escape' });
    expect($(bobChat, '[part="menu"]')).to.equal(null);
    expect(focused(bobChat)?.dataset.action).to.equal('more'); // focus returns to where the menu came from
    await sendKeys({ press: 'Enter' });
    await until(() => !!$(bobChat, '[part="menu"]'), 'the menu again');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    expect(focused(bobChat)?.textContent?.trim()).to.equal('Delete');
    await sendKeys({ press: 'Enter' });
    await until(
      () => $$(aliceChat, '[part="text"].deleted').some((t) => t.textContent === 'Message deleted'),
      'the deletion at alice',
    );
    expect(messageWith(aliceChat, 'Meeting moved to 3')).to.equal(undefined);
    // Alice's menu on Bob's message offers no edit; delete, since she owns the conversation (moderators delete anyone's),
    // and pin, which moderators have too.
    const others = messageWith(aliceChat, 'Room 4C')!;
    await hover(others);
    await click(others.querySelector('[data-action="more"]')!);
    await until(() => !!$(aliceChat, '[part="menu"]'), "alice's menu");
    const aliceLabels = $$(aliceChat, '[part="menu"] [role="menuitem"]').map((item) => item.textContent!.trim());
    expect(aliceLabels).to.deep.equal(['Reply', 'Delete', 'Copy text', 'Pin']);
    await expect(aliceChat).to.be.accessible();
  });

  // Bob types at once: his socket may still be connecting, and the first "typing" must still reach Alice.
  it('shows who is typing while they type, and not once they sent', async () => {
    input(bobChat).focus();
    await sendKeys({ type: 'I am writing a long' });
    const typing = () => $(aliceChat, '[part="typing"]')!.textContent!.trim();
    await until(() => typing() === 'Bob is typing…', 'the typing line at alice');
    expect($(bobChat, '[part="typing"]')!.textContent!.trim()).to.equal(''); // not one's own
    await sendKeys({ press: 'Enter' });
    await until(() => typing() === '', 'the typing line gone after sending');
  });

  it('renders markdown, links and mentions, highlights the mention of oneself and fires talk-mention', async () => {
    const mentioned = next(aliceChat, 'talk-mention');
    const received = next(aliceChat, 'talk-message-received');
    await write(bobChat, '@alice **bold** and `code`, see https://example.com/x');
    const event = await mentioned;
    expect(event.message.mentions).to.deep.equal([{ type: 'user', id: 'alice', name: 'Alice' }]);
    expect((await received).message.id).to.equal(event.message.id);
    await until(() => !!messageWith(aliceChat, 'bold')?.querySelector('strong'), 'the markdown at alice');
    const text = messageWith(aliceChat, 'bold')!.querySelector('[part="text"]')!;
    expect(text.querySelector('strong')!.textContent).to.equal('bold');
    expect(text.querySelector('code')!.textContent).to.equal('code');
    const link = text.querySelector('a')!;
    expect([link.href, link.rel, link.target]).to.deep.equal([
      'https://example.com/x',
      'noopener noreferrer',
      '_blank',
    ]);
    const chip = text.querySelector<HTMLElement>('.mention')!;
    expect(chip.textContent).to.equal('@Alice');
    expect(chip.hasAttribute('data-self')).to.equal(true);
    expect(messageWith(aliceChat, 'bold')!.hasAttribute('data-mentioned')).to.equal(true);
    // At bob the chip is there, but it is not his own.
    await until(() => !!messageWith(bobChat, 'bold')?.querySelector('.mention'), 'the chip at bob');
    expect(messageWith(bobChat, 'bold')!.querySelector('.mention')!.hasAttribute('data-self')).to.equal(false);
    await expect(aliceChat).to.be.accessible();
  });
});

describe('talk-chat with a long history', () => {
  let alice: TalkClient;
  let bob: TalkClient;
  let conversation: string;

  before(async function () {
    // 230 posts, one after the other: on a busy machine more than the suite's 20 s for one hook.
    this.timeout(90_000);
    ({ client: alice, conversation } = await freshConversation());
    bob = new Client({ serverUrl: location.origin, token: await tokenFor('bob') });
    await bob.joinConversation(conversation);
    for (let i = 1; i <= 230; i++) {
      await (i % 3 === 0 ? alice : bob).postMessage(conversation, { message: `history ${i}`, referenceId: `h${i}` });
    }
  });
  after(() => {
    alice.close();
    bob.close();
  });

  it('loads older pages when scrolled up and keeps the row that was on top in place', async () => {
    const el = await fixture<TalkChat>(
      html`<talk-chat style="block-size: 400px" .client=${alice} conversation=${conversation}></talk-chat>`,
    );
    const list = $(el, '[part="messages"]')!;
    await until(() => list.dataset.count === '100', 'the newest page');
    await until(() => !!messageWith(el, 'history 230'), 'the newest message in view');
    // Only what fits is in the DOM, not the hundred messages held.
    expect(messages(el).length).to.be.below(40);
    const top = () => list.getBoundingClientRect().top;
    const topRow = () =>
      messages(el)
        .map((row) => ({ row, box: row.getBoundingClientRect() }))
        .filter(({ box }) => box.bottom > top() + 1)
        .sort((a, b) => a.box.top - b.box.top)[0]!;
    // Scroll up as a reader would, until near the top, which asks for the page before.
    const box = list.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(box.x + 40), Math.round(box.y + 100)] });
    while (list.scrollTop >= 400) {
      list.scrollBy(0, -300);
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const anchor = topRow();
    const anchorText = anchor.row.querySelector('[part="text"]')!.textContent!;
    const anchorOffset = anchor.box.top - top();
    await until(() => list.dataset.count === '200', 'the second page');
    await until(() => list.getAttribute('aria-busy') === 'false', 'loading done');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const again = messageWith(el, anchorText);
    expect(again, 'the row that was on top is still rendered').to.exist;
    expect(Math.abs(again!.getBoundingClientRect().top - top() - anchorOffset)).to.be.below(30);
    expect(list.scrollTop).to.be.above(1000); // the new page is above, not in view
    await expect(el).to.be.accessible();

    // Scrolled up, a new message does not move the view: a button offers it.
    const scrolled = list.scrollTop;
    await bob.postMessage(conversation, { message: 'fresh news', referenceId: 'fresh' });
    await until(() => !!$(el, '[part="new-messages"]'), 'the new-messages button');
    expect(Math.abs(list.scrollTop - scrolled)).to.be.below(2);
    await click($(el, '[part="new-messages"]')!);
    await until(() => !!messageWith(el, 'fresh news'), 'the new message in view');
    await until(() => list.scrollHeight - list.scrollTop - list.clientHeight < 40, 'the bottom');
    expect($(el, '[part="new-messages"]')).to.equal(null);

    // At the bottom, new messages keep the view there.
    await bob.postMessage(conversation, { message: 'more news', referenceId: 'more' });
    await until(() => !!messageWith(el, 'more news'), 'the next message in view');
    await until(() => list.scrollHeight - list.scrollTop - list.clientHeight < 40, 'still at the bottom');
    expect($(el, '[part="new-messages"]')).to.equal(null);
  });

  it('draws the unread divider before what came since the user last read, and reports the count as it falls', async () => {
    const { client: reader, conversation: room } = await freshConversation('carol');
    const writer = new Client({ serverUrl: location.origin, token: await tokenFor('dave') });
    await writer.joinConversation(room);
    await reader.postMessage(room, { message: 'read before', referenceId: 'c0' });
    for (let i = 1; i <= 3; i++) await writer.postMessage(room, { message: `unread ${i}`, referenceId: `d${i}` });
    const counts: number[] = [];
    const host = await fixture<HTMLElement>(html`<div
      @talk-unread-change=${(event: GlobalEventHandlersEventMap['talk-unread-change']) => counts.push(event.unread)}
    >
      <talk-chat style="block-size: 400px" .client=${reader} conversation=${room}></talk-chat>
    </div>`);
    const el = host.querySelector<TalkChat>('talk-chat')!;
    await until(() => !!$(el, '[part="unread-divider"]'), 'the divider');
    const rows = $$(el, '.row');
    const divider = rows.findIndex((row) => row.getAttribute('part') === 'unread-divider');
    expect(rows[divider + 1]!.textContent).to.contain('unread 1');
    expect($(el, '[part="unread-divider"]')!.textContent!.trim()).to.equal('Unread messages');
    // All three are on screen, so they count as seen: the count falls to zero and the server hears of it.
    await until(() => counts.at(-1) === 0, 'the unread count to reach zero');
    expect(counts[0]).to.equal(3);
    await until(() => false, 'the read marker delay', 800).catch(() => {});
    const listed = (await reader.listConversations()).find((c) => c.token === room);
    expect(listed?.unreadMessages).to.equal(0);
    await expect(el).to.be.accessible();
    reader.close();
    writer.close();
  });
});
