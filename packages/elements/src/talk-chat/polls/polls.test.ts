import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { expect, fixture, html } from '@open-wc/testing';
import { TalkClient as Client, type TalkClient } from '@talk/call-core';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { freshConversation, tokenFor, until } from '../../test-support/talk.js';
import type { TalkChat } from '../talk-chat.js';
import '../talk-chat.js';

// Alice and Bob, each with their own client and <talk-chat>, on the real server: Alice creates a poll through the
// dialog, Bob votes by mouse, Alice sees his vote live and closes the poll, Bob sees it closed.

const $ = <T extends HTMLElement = HTMLElement>(el: TalkChat, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const poll = (el: TalkChat) => $(el, '[part="poll"][data-poll]');

setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });

/** Whether `element` is what a click at its centre would reach, not covered by the composer below the list. */
function onTop(chat: TalkChat, element: Element): boolean {
  const box = element.getBoundingClientRect();
  const hit = chat.shadowRoot!.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  return !!hit && element.contains(hit);
}

async function click(element: Element): Promise<void> {
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

describe('talk-chat polls', () => {
  let alice: TalkClient;
  let bob: TalkClient;
  let conversation: string;
  beforeEach(async () => {
    ({ client: alice, conversation } = await freshConversation('alice'));
    bob = new Client({ serverUrl: location.origin, token: await tokenFor('bob') });
    await bob.joinConversation(conversation);
  });
  afterEach(() => {
    alice.close();
    bob.close();
  });

  it('creates a poll, shows a vote live to its author, and closes it for everyone', async () => {
    // Side by side: the virtualizer renders only rows inside the window, so both chats must be in it.
    const pair = await fixture<HTMLElement>(html`<div style="display: flex; gap: 8px; block-size: 560px">
      <talk-chat style="flex: 1" .client=${alice} conversation=${conversation}></talk-chat>
      <talk-chat style="flex: 1" .client=${bob} conversation=${conversation}></talk-chat>
    </div>`);
    const [aliceChat, bobChat] = [...pair.querySelectorAll<TalkChat>('talk-chat')] as [TalkChat, TalkChat];
    await until(() => !$<HTMLButtonElement>(aliceChat, '[data-action="create-poll"]')!.disabled, 'the store');

    // The dialog, by keyboard: the question, two answers, and Create.
    await click($(aliceChat, '[data-action="create-poll"]')!);
    const dialog = $<HTMLDialogElement>(aliceChat, '[part="poll-form"]')!;
    await until(() => dialog.open, 'the dialog');
    await expect(aliceChat).to.be.accessible();
    $<HTMLInputElement>(aliceChat, '[name="question"]')!.focus();
    await sendKeys({ type: 'Lunch?' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Pizza' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Soup' });
    await click($(aliceChat, '[value="create"]')!);
    await until(() => !dialog.open, 'the dialog to close');

    await until(() => poll(bobChat) !== null && poll(bobChat)!.querySelector('input') !== null, "the poll at bob's");
    expect(poll(bobChat)!.textContent).to.contain('Lunch?');
    await expect(bobChat).to.be.accessible();
    const soup = [...poll(bobChat)!.querySelectorAll<HTMLLabelElement>('.poll-option')].find((label) =>
      label.textContent!.includes('Soup'),
    )!;
    await click(soup);
    await click(poll(bobChat)!.querySelector('[data-poll-action="vote"]')!);

    // Bob sees the results once he voted; Alice sees his vote live, with his name, as the poll is public.
    await until(() => poll(bobChat)!.querySelector('[part="poll-result"][data-mine]') !== null, "bob's results");
    const soupAtAlice = () => poll(aliceChat)?.querySelector<HTMLElement>('[part="poll-result"][data-option="1"]');
    await until(() => soupAtAlice()?.dataset.count === '1', "bob's vote at alice's");
    expect(soupAtAlice()!.textContent).to.contain('Bob');
    expect(
      poll(aliceChat)!.querySelector('[part="poll-result"][data-option="0"]')!.getAttribute('data-count'),
    ).to.equal('0');
    await expect(aliceChat).to.be.accessible();

    // Only the author has a Close button.
    expect(poll(bobChat)!.querySelector('[data-poll-action="close"]')).to.equal(null);
    await click(poll(aliceChat)!.querySelector('[data-poll-action="close"]')!);
    await until(() => poll(bobChat)!.dataset.status === 'closed', "the close at bob's");
    expect(poll(bobChat)!.querySelector('[data-poll-action="change"]')).to.equal(null);
  });

  it('lets a moderator close another’s poll, and words the note in the reader’s language', async () => {
    // Bob (a plain participant) asks; Alice owns the conversation, so she moderates it, and reads it in German.
    const asked = await bob.createPoll(conversation, {
      question: 'Kino?',
      options: ['Ja', 'Nein'],
      referenceId: 'kino',
    });
    const aliceChat = await fixture<TalkChat>(html`<talk-chat
      lang="de"
      style="display: flex; block-size: 560px"
      .client=${alice}
      conversation=${conversation}
    ></talk-chat>`);
    await until(() => poll(aliceChat)?.dataset.poll === String(asked.id), "bob's poll at alice's");
    const close = () => poll(aliceChat)!.querySelector<HTMLElement>('[data-poll-action="close"]');
    await until(() => close() !== null, 'the close button for the moderator');
    // The card grows as the poll's details arrive, and the chat follows it down: click once nothing covers it and
    // it stays where it is for a few checks in a row (a click sent while the list still moves lands beside it).
    let still = 0;
    let last = '';
    await until(() => {
      const box = close()!.getBoundingClientRect();
      const where = `${box.x},${box.y}`;
      still = where === last && onTop(aliceChat, close()!) ? still + 1 : 0;
      last = where;
      return still >= 5;
    }, 'the close button in view, at rest');
    await click(close()!);
    await until(() => poll(aliceChat)!.dataset.status === 'closed', 'the poll closed');
    const note = () => $(aliceChat, '[part="system"][data-type="poll-closed"]');
    await until(() => note() !== null, 'the note');
    expect(note()!.textContent).to.contain('Alice hat die Umfrage „Kino?“ geschlossen');
    await expect(aliceChat).to.be.accessible();
  });
});
