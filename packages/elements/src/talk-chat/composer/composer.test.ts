import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { expect, fixture, html } from '@open-wc/testing';
import { TalkClient as Client, type TalkClient } from '@talk/call-core';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { freshConversation, tokenFor, until } from '../../test-support/talk.js';
import type { TalkChat } from '../talk-chat.js';
import '../talk-chat.js';

// The composer's features between two people on the real server, driven by keys and mouse: the @ autocomplete,
// the emoji picker (for writing and for reacting), attachments (drop, paste, progress, cancel, errors), and a
// moderator deleting someone else's message.

const $ = <T extends Element = HTMLElement>(el: TalkChat, selector: string) =>
  el.shadowRoot!.querySelector<T & HTMLElement>(selector);
const $$ = (el: TalkChat, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const messages = (el: TalkChat) => $$(el, '[part="message"]');
const messageWith = (el: TalkChat, text: string) =>
  messages(el).find((m) => m.querySelector('[part="text"], [part="attachment"]')?.textContent?.includes(text));
const input = (el: TalkChat) => $<HTMLTextAreaElement>(el, '[part="input"]')!;
const ready = (el: TalkChat) => until(() => !$<HTMLButtonElement>(el, '[part="send"]')!.disabled, 'the store');
const focused = (el: TalkChat) => el.shadowRoot!.activeElement as HTMLElement | null;

setupIgnoreWindowResizeObserverLoopErrors(beforeEach, afterEach, { suppressErrorLogging: true });

async function click(element: Element): Promise<void> {
  await new Promise(requestAnimationFrame);
  const box = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)] });
}

/**
 * Resolves once the picker's results include `emoji` and have stayed the same for five polls (100 ms): the answers to the
 * shorter words typed on the way ("roc", "rock"…) may still be rendering, and a click aimed at one of their results
 * lands on whatever the final answer put there.
 */
async function settled(results: () => HTMLElement[], emoji: string): Promise<void> {
  let last = '';
  let same = 0;
  await until(() => {
    const now = results().map((r) => r.textContent?.trim() ?? '');
    const key = now.join(' ');
    same = key === last ? same + 1 : 0;
    last = key;
    return now.includes(emoji) && same >= 5;
  }, `${emoji} among the settled results`);
}

async function hover(element: Element): Promise<void> {
  const actions = element.querySelector('[part="actions"]');
  for (let attempt = 0; attempt < 20; attempt++) {
    await new Promise(requestAnimationFrame);
    const box = element.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(box.x + box.width / 2), Math.round(box.y + 6)] });
    if (!actions || getComputedStyle(actions).display !== 'none') return;
  }
}

/** A real PNG of `width`×`height`, drawn on a canvas. */
async function png(name: string, width = 40, height = 30): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#c2410c';
  context.fillRect(0, 0, width, height);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  return new File([blob], name, { type: 'image/png' });
}

/** Drops `files` on the element, as dragging them from the desktop does. */
function drop(target: Element, files: File[]): void {
  const data = new DataTransfer();
  for (const file of files) data.items.add(file);
  target.dispatchEvent(
    new DragEvent('dragover', { dataTransfer: data, bubbles: true, composed: true, cancelable: true }),
  );
  target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
}

describe('talk-chat composer between two people', () => {
  let alice: TalkClient;
  let bob: TalkClient;
  let conversation: string;
  let aliceChat: TalkChat;
  let bobChat: TalkChat;

  beforeEach(async () => {
    ({ client: alice, conversation } = await freshConversation());
    bob = new Client({ serverUrl: location.origin, token: await tokenFor('bob') });
    await bob.joinConversation(conversation);
    const pair = await fixture<HTMLElement>(html`<div style="display: flex; gap: 8px; block-size: 560px">
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

  it('completes @ from the server: arrows and Enter pick, Escape closes, the mention reaches the other as one', async () => {
    input(bobChat).focus();
    await sendKeys({ type: 'Thanks @al' });
    await until(() => !!$(bobChat, '[part="mentions"] [role="option"]'), 'the suggestions');
    const options = () => $$(bobChat, '[part="mentions"] [role="option"]');
    expect(options().map((o) => o.dataset.id)).to.include('alice');
    expect(options().map((o) => o.dataset.id)).to.include('all');
    expect(input(bobChat).getAttribute('aria-activedescendant')).to.equal(options()[0]!.id);
    await expect(bobChat).to.be.accessible();

    await sendKeys({ press: 'Escape' });
    expect($(bobChat, '[part="mentions"]')).to.equal(null);
    expect(input(bobChat).hasAttribute('aria-activedescendant')).to.equal(false);
    expect(input(bobChat).value).to.equal('Thanks @al'); // Escape closed the popup, nothing else

    await sendKeys({ type: 'i' }); // asks again: "@ali"
    await until(() => options().length > 0, 'the suggestions again');
    const aliceAt = options().findIndex((o) => o.dataset.id === 'alice');
    for (let i = 0; i < aliceAt; i++) await sendKeys({ press: 'ArrowDown' });
    await until(() => options()[aliceAt]?.getAttribute('aria-selected') === 'true', 'alice highlighted');
    await sendKeys({ press: 'Enter' });
    expect(input(bobChat).value).to.equal('Thanks @alice ');
    expect($(bobChat, '[part="mentions"]')).to.equal(null);
    await sendKeys({ type: 'for the notes' });
    await sendKeys({ press: 'Enter' });

    await until(() => !!messageWith(aliceChat, 'for the notes'), "bob's message at alice");
    const chip = messageWith(aliceChat, 'for the notes')!.querySelector('.mention');
    expect(chip?.textContent).to.contain('Alice');
    expect(chip?.hasAttribute('data-self')).to.equal(true);
  });

  it('picks a suggestion with the mouse, and shows only the latest answer while typing on', async () => {
    input(aliceChat).focus();
    await sendKeys({ type: '@b' });
    await sendKeys({ type: 'o' });
    await until(() => !!$(aliceChat, '[part="mentions"] [data-id="bob"]'), 'bob suggested');
    await sendKeys({ type: 'bx' }); // "@bobx" matches nobody: the popup goes once that answer is in
    await until(() => !$(aliceChat, '[part="mentions"]'), 'no suggestions for @bobx');
    await sendKeys({ press: 'Backspace' });
    await until(() => !!$(aliceChat, '[part="mentions"] [data-id="bob"]'), 'bob suggested again');
    await click($(aliceChat, '[part="mentions"] [data-id="bob"]')!);
    expect(input(aliceChat).value).to.equal('@bob ');
    expect(focused(aliceChat)).to.equal(input(aliceChat));
  });

  it('inserts an emoji from the picker, loaded from this origin only, and reacts with one from a message', async () => {
    // Every request from here on is seen, however full the page's resource timing buffer already is.
    const requested: URL[] = [];
    const observer = new PerformanceObserver((list) =>
      requested.push(...list.getEntries().map((e) => new URL(e.name))),
    );
    observer.observe({ type: 'resource' });
    input(aliceChat).focus();
    await sendKeys({ type: 'Good news ' });
    await click($(aliceChat, '[part="emoji-button"]')!);
    const picker = () => $(aliceChat, '[part="emoji-picker"] emoji-picker');
    const results = (el: TalkChat) => [
      ...(el
        .shadowRoot!.querySelector('[part="emoji-picker"] emoji-picker')
        ?.shadowRoot?.querySelectorAll<HTMLElement>('[role="option"]') ?? []),
    ];
    // The picker opens with its search field focused: typing searches the shipped data.
    await until(() => !!picker()?.shadowRoot?.querySelector('[role="tabpanel"] [role="menuitem"]'), 'emoji shown');
    await sendKeys({ type: 'rocket' });
    await settled(() => results(aliceChat), '🚀');
    // axe's color-contrast rule never finishes inside emoji-picker-element's shadow root in this Chromium (every
    // other rule runs); the picker's colours are the chat's own tokens, whose contrast the other states check.
    await expect(aliceChat).to.be.accessible({ ignoredRules: ['color-contrast'] });
    await click(results(aliceChat).find((r) => r.textContent?.trim() === '🚀')!);
    await until(() => $(aliceChat, '[part="emoji-picker"]')!.hidden, 'the picker closed');
    expect(input(aliceChat).value).to.equal('Good news 🚀');
    expect(focused(aliceChat)).to.equal(input(aliceChat));

    // Every request since the picker opened (its module, its data, its i18n) went to the page's own origin.
    requested.push(...observer.takeRecords().map((e) => new URL(e.name)));
    observer.disconnect();
    expect(requested.some((url) => url.pathname.endsWith('/emoji-data/en.json'))).to.equal(true);
    expect(requested.filter((url) => url.origin !== location.origin).map(String)).to.deep.equal([]);

    await sendKeys({ press: 'Enter' });
    await until(() => !!messageWith(bobChat, 'Good news'), 'the message at bob');
    const message = messageWith(bobChat, 'Good news')!;
    await hover(message);
    await click(message.querySelector('[data-action="react"]')!);
    await until(() => !!$(bobChat, '[part="menu"] [data-item="react:more"]'), 'the reaction menu');
    await click($(bobChat, '[part="menu"] [data-item="react:more"]')!);
    const opened = () => {
      const popover = $(bobChat, '[part="emoji-picker"]');
      return (
        !!popover && !popover.hidden && !!popover.querySelector('emoji-picker')?.shadowRoot?.querySelector('input')
      );
    };
    await until(opened, "bob's picker");
    await sendKeys({ press: 'Escape' }); // closes, focus back to the message
    await until(() => $(bobChat, '[part="emoji-picker"]')!.hidden, "bob's picker closed");
    expect(focused(bobChat)?.getAttribute('part')).to.equal('message');
    expect(focused(bobChat)?.textContent).to.contain('Good news');

    await click(messageWith(bobChat, 'Good news')!.querySelector('[data-action="react"]')!);
    await until(() => !!$(bobChat, '[part="menu"] [data-item="react:more"]'), 'the reaction menu again');
    await click($(bobChat, '[part="menu"] [data-item="react:more"]')!);
    await until(opened, "bob's picker again");
    await sendKeys({ type: 'avocado' });
    await settled(() => results(bobChat), '🥑');
    await click(results(bobChat).find((r) => r.textContent?.trim() === '🥑')!);
    await until(
      () => !!messageWith(aliceChat, 'Good news')?.querySelector('[part="reaction"]')?.textContent?.includes('🥑'),
      'the reaction at alice',
    );
  });

  it('shares dropped and pasted files with progress; the other sees name, size, a preview and a working link', async () => {
    input(aliceChat).focus();
    await sendKeys({ type: 'draft kept' });
    drop($(aliceChat, '[part="messages"]')!, [await png('sketch.png', 64, 48)]);
    await until(() => !!messageWith(bobChat, 'sketch.png'), 'the file message at bob');
    const pasted = new DataTransfer();
    pasted.items.add(new File(['minutes of the meeting'], 'minutes.txt', { type: 'text/plain' }));
    input(aliceChat).dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }),
    );
    await until(() => !!messageWith(bobChat, 'minutes.txt'), 'the pasted file at bob');
    expect(input(aliceChat).value).to.equal('draft kept');

    const image = messageWith(bobChat, 'sketch.png')!;
    await until(
      () => (image.querySelector<HTMLImageElement>('[part="attachment-preview"]')?.naturalWidth ?? 0) > 0,
      'preview',
    );
    expect(image.querySelector<HTMLImageElement>('[part="attachment-preview"]')!.naturalWidth).to.equal(64);
    const file = messageWith(bobChat, 'minutes.txt')!;
    await until(() => !!file.querySelector<HTMLAnchorElement>('a[part="attachment-link"]'), 'the link');
    const link = file.querySelector<HTMLAnchorElement>('a[part="attachment-link"]')!;
    expect(link.rel).to.equal('noopener noreferrer');
    expect(new URL(link.href).pathname).to.match(/^\/api\/v1\/files\//);
    expect(file.querySelector('[part="attachment-size"]')!.textContent).to.match(/22\s*(B|byte)/);
    const download = await fetch(link.href, { credentials: 'omit' }); // no bearer header
    expect(await download.text()).to.equal('minutes of the meeting');
    await expect(bobChat).to.be.accessible();

    // A larger file shows its progress, and cancel stops it: nothing is posted.
    const big = new File([new Uint8Array(6 * 1024 * 1024)], 'big.bin');
    drop($(aliceChat, '[part="messages"]')!, [big]);
    await until(() => !!$(aliceChat, '[part="upload"][data-state="uploading"] progress'), 'the progress bar');
    await expect(aliceChat).to.be.accessible();
    await click($(aliceChat, '[part="upload"] button')!);
    await until(() => !$(aliceChat, '[part="upload"]'), 'the upload gone');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(messageWith(aliceChat, 'big.bin')).to.equal(undefined);
    expect(input(aliceChat).value).to.equal('draft kept');
  });

  it('says clearly when a file is too large, and keeps what was written', async () => {
    input(aliceChat).focus();
    await sendKeys({ type: 'see attached' });
    drop($(aliceChat, '[part="messages"]')!, [new File([new Uint8Array(11 * 1024 * 1024)], 'huge.iso')]);
    await until(() => !!$(aliceChat, '[part="upload"][data-state="failed"]'), 'the failure');
    const failed = $(aliceChat, '[part="upload"][data-state="failed"]')!;
    expect(failed.dataset.code).to.equal('too-large');
    expect(failed.textContent).to.contain('huge.iso').and.to.contain('too large');
    expect(input(aliceChat).value).to.equal('see attached');
    await expect(aliceChat).to.be.accessible();
    await click(failed.querySelector('button')!);
    expect($(aliceChat, '[part="upload"]')).to.equal(null);
  });

  it('lets a moderator delete someone else’s message from the menu, and not a participant', async () => {
    input(bobChat).focus();
    await sendKeys({ type: 'spam spam spam' });
    await sendKeys({ press: 'Enter' });
    await until(() => !!messageWith(aliceChat, 'spam spam spam'), "bob's message at alice");
    input(aliceChat).focus();
    await sendKeys({ type: 'owner speaking' });
    await sendKeys({ press: 'Enter' });
    await until(() => !!messageWith(bobChat, 'owner speaking'), "alice's message at bob");

    // Bob, a participant, may not delete alice's message: his menu has no delete.
    const alicesAtBob = messageWith(bobChat, 'owner speaking')!;
    await hover(alicesAtBob);
    await click(alicesAtBob.querySelector('[data-action="more"]')!);
    await until(() => !!$(bobChat, '[part="menu"] [data-item="copy"]'), "bob's menu");
    expect($(bobChat, '[part="menu"] [data-item="delete"]')).to.equal(null);
    await sendKeys({ press: 'Escape' });

    // Alice owns the conversation: from the keyboard she opens bob's message's menu and deletes it.
    const bobsAtAlice = messageWith(aliceChat, 'spam spam spam')!;
    bobsAtAlice.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => !!$(aliceChat, '[part="menu"] [data-item="delete"]'), "alice's menu with delete");
    // Down to Delete; a menu that closed under the keys fails here rather than being walked forever.
    for (let step = 0; step < 10 && !$(aliceChat, '[part="menu"] [data-item="delete"]:focus'); step++) {
      await sendKeys({ press: 'ArrowDown' });
    }
    expect(aliceChat.shadowRoot!.activeElement?.getAttribute('data-item')).to.equal('delete');
    await sendKeys({ press: 'Enter' });
    await until(
      () => messages(bobChat).some((m) => m.querySelector('.deleted')) && !messageWith(bobChat, 'spam spam spam'),
      'the message deleted at bob',
    );
  });
});
