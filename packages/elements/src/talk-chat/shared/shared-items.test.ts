import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { expect, fixture, html } from '@open-wc/testing';
import { TalkClient } from '@talk/call-core';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { freshConversation, tokenFor, until } from '../../test-support/talk.js';
import type { TalkChat } from '../talk-chat.js';
import '../talk-chat.js';

// Alice on the real server, in a conversation with an image, a text file, eight links and a poll, all older than
// the first page of history: the shared-items panel lists them by type, pages the links with "Show more", and an
// image opens its message in context; a file shared meanwhile shows up in the open panel.

const $ = <T extends HTMLElement = HTMLElement>(el: TalkChat, selector: string) =>
  el.shadowRoot!.querySelector<T>(selector);
const $$ = <T extends HTMLElement = HTMLElement>(el: TalkChat, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<T>(selector),
];
const row = (el: TalkChat, id: number) => $(el, `[part="message"][data-id="${id}"]`);
const items = (el: TalkChat, type: string) =>
  $$(el, `[part="shared-section"][data-type="${type}"] [part="shared-item"]`);

setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });

/** Clicks the element's middle, scrolled into view first as a person would (the panel scrolls). */
async function click(element: Element): Promise<void> {
  element.scrollIntoView({ block: 'nearest' });
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

const post = (message: string) => ({ message, referenceId: crypto.randomUUID() });

/** A real PNG, drawn on a canvas, so that the server sniffs it as an image. */
async function png(name: string): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = 48;
  canvas.height = 32;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#0082c9';
  context.fillRect(0, 0, 48, 32);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  return new File([blob], name, { type: 'image/png' });
}

async function share(client: TalkClient, conversation: string, file: File): Promise<number> {
  const attachment = await client.uploadAttachment(conversation, file, { name: file.name });
  return (await client.postMessage(conversation, { ...post(file.name), attachmentId: attachment.id })).id;
}

describe('talk-chat shared items', () => {
  let alice: TalkClient;
  let conversation: string;
  let image: number;
  let newest: number;
  beforeEach(async () => {
    ({ client: alice, conversation } = await freshConversation('alice'));
    image = await share(alice, conversation, await png('whiteboard.png'));
    await share(alice, conversation, new File(['agenda'], 'agenda.txt', { type: 'text/plain' }));
    for (let at = 0; at < 8; at++) await alice.postMessage(conversation, post(`see https://example.com/page-${at}`));
    await alice.createPoll(conversation, { question: 'Lunch?', options: ['Pizza', 'Soup'], referenceId: 'lunch' });
    for (let batch = 0; batch < 11; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, at) => alice.postMessage(conversation, post(`filler ${batch * 10 + at}`))),
      );
    }
    newest = (await alice.postMessage(conversation, post('the newest'))).id;
  });
  afterEach(() => alice.close());

  it('lists images, files, links and polls by type, pages them, and opens an image in context', async () => {
    const chat = await fixture<TalkChat>(html`<talk-chat
      style="display: flex; block-size: 560px"
      .client=${alice}
      conversation=${conversation}
    ></talk-chat>`);
    await until(() => row(chat, newest) !== null, 'the history');
    expect(row(chat, image)).to.equal(null); // older than the first page

    await click($(chat, '[data-action="shared"]')!);
    await until(() => $(chat, '[part="shared"]')?.getAttribute('aria-busy') === 'false', 'the panel');
    expect($(chat, '[data-action="close-shared"]')).to.equal(chat.shadowRoot!.activeElement);
    expect(items(chat, 'image').map((item) => item.getAttribute('aria-label'))).to.deep.equal(['whiteboard.png']);
    expect(items(chat, 'file').map((item) => item.textContent)).to.satisfy(
      (texts: string[]) => texts.length === 1 && texts[0]!.includes('agenda.txt'),
    );
    expect(items(chat, 'poll')[0]!.textContent).to.contain('Lunch?');
    // Six links first, the newest first; "Show more" brings the other two and goes.
    expect(items(chat, 'link').map((item) => item.querySelector('.entry-title')!.textContent)).to.deep.equal(
      [7, 6, 5, 4, 3, 2].map((at) => `https://example.com/page-${at}`),
    );
    const thumbnail = () => $<HTMLImageElement>(chat, '[part="shared-thumbnail"]');
    await until(() => thumbnail()?.complete === true && thumbnail()!.naturalWidth === 48, 'the thumbnail');
    await expect(chat).to.be.accessible();
    await click($(chat, '[part="shared-more"][data-type="link"]')!);
    await until(() => items(chat, 'link').length === 8, 'the older links');
    expect(items(chat, 'link').at(-1)!.textContent).to.contain('https://example.com/page-0');
    expect($(chat, '[part="shared-more"][data-type="link"]')).to.equal(null);

    // The image opens its message: the older page loads, the row is shown, focused and highlighted.
    await click(items(chat, 'image')[0]!);
    await until(() => row(chat, image)?.hasAttribute('data-highlighted') === true, 'the image in context');
    expect($(chat, '[part="shared"]')).to.equal(null);
    const box = row(chat, image)!.getBoundingClientRect();
    const view = $(chat, '[part="messages"]')!.getBoundingClientRect();
    expect(box.bottom > view.top && box.top < view.bottom).to.equal(true);

    // Escape closes the panel from the keyboard, and focus goes back to its button.
    await click($(chat, '[data-action="shared"]')!);
    await until(() => $(chat, '[part="shared"]')?.getAttribute('aria-busy') === 'false', 'the panel again');
    // A file someone else shares meanwhile shows up in the open panel.
    const bob = new TalkClient({ serverUrl: location.origin, token: await tokenFor('bob') });
    await bob.joinConversation(conversation);
    await share(bob, conversation, new File(['minutes'], 'minutes.txt', { type: 'text/plain' }));
    bob.close();
    await until(() => items(chat, 'file')[0]?.textContent?.includes('minutes.txt') === true, 'the new file, live');
    $(chat, '[data-action="close-shared"]')!.focus();
    await sendKeys({ press: 'Escape' });
    await until(() => $(chat, '[part="shared"]') === null, 'the panel closed');
    await until(() => chat.shadowRoot!.activeElement === $(chat, '[data-action="shared"]'), 'focus on the button');
  });
});
