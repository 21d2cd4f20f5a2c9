import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoUser, openDemo, type Stack, sendChat, startStack, waitForChat } from './stack.js';

/** Switches to Files through the top bar, opens the file, and waits for its sidebar's composer. */
async function openFile(user: DemoUser, name: string): Promise<string> {
  await (await user.page.waitForSelector('.top-bar [data-app="files"]'))!.click();
  const file = await user.page.waitForSelector(`#files ::-p-text(${name})`);
  await file!.click();
  await user.page.waitForSelector('#files .file-sidebar talk-chat >>> [part="input"]');
  return user.page.$eval('#files .file-sidebar', (sidebar) => (sidebar as HTMLElement).dataset.conversation ?? '');
}

describe('the Files app', () => {
  let stack: Stack;
  let alice: DemoUser;
  let bob: DemoUser;

  beforeAll(async () => {
    stack = await startStack({ sfu: false });
    alice = await openDemo(stack, 'alice');
    bob = await openDemo(stack, 'bob');
  });

  afterAll(async () => {
    await Promise.all([alice?.browser.close(), bob?.browser.close()]);
    await stack?.stop();
  });

  it("lets two users chat in the sidebar of the same file, in the file's own conversation", async () => {
    const [seenByAlice, seenByBob] = [await openFile(alice, 'Roadmap 2027.md'), await openFile(bob, 'Roadmap 2027.md')];
    // One conversation for the file (get-or-create on file:44), not the Talk app's demo room.
    expect(seenByAlice).not.toBe('');
    expect(seenByBob).toBe(seenByAlice);
    const room = await alice.page.evaluate(() => document.body.dataset.conversation);
    expect(room).not.toBe(seenByAlice);

    await sendChat(alice, 'Section 3 needs dates', '#files');
    await waitForChat(bob, 'Section 3 needs dates', '#files');
    await sendChat(bob, 'Adding them now', '#files');
    await waitForChat(alice, 'Adding them now', '#files');
    // The Talk app's chat, still in the page, shows its own room and not the file's messages.
    const inTalk = await bob.page.$eval('#talk talk-chat', (chat) => chat.shadowRoot?.textContent ?? '');
    expect(inTalk).not.toContain('Section 3 needs dates');
  });

  it("rings the other user's bell when a file's chat mentions them", async () => {
    // The bell's count adds unread messages to mentions, and alice's open sidebar reads the file's earlier messages
    // meanwhile, so the total may stay where it was: the mentions part of its label is what must rise.
    const mentions = () =>
      alice.page.$eval('.bell-button', (bell) =>
        Number(/(\d+) mentions/.exec(bell.getAttribute('aria-label') ?? '')?.[1]),
      );
    const before = await mentions();
    await sendChat(bob, '@alice can you check the numbers?', '#files');
    await alice.page.waitForFunction(
      (was) =>
        Number(/(\d+) mentions/.exec(document.querySelector('.bell-button')?.getAttribute('aria-label') ?? '')?.[1]) >
        was,
      { timeout: 15_000 },
      before,
    );
    await (await alice.page.waitForSelector('.bell-button'))!.click();
    const entries = await alice.page.$$eval('#bell-panel li', (items) => items.map((item) => item.textContent));
    expect(entries[0]).toBe('Bob mentioned you: @alice can you check the numbers?');
  });

  it("offers a call in the file's own conversation", async () => {
    await (await alice.page.waitForSelector('#files .call-about'))!.click();
    await alice.page.waitForSelector('#files .file-sidebar talk-call >>> [part~="join"]');
    const bound = await alice.page.$eval('#files .file-sidebar', (sidebar) => ({
      file: (sidebar as HTMLElement).dataset.conversation,
      call: (sidebar.querySelector('talk-call') as HTMLElement & { conversation?: string }).conversation,
      topology: (sidebar.querySelector('talk-call') as HTMLElement & { topology?: string }).topology,
    }));
    expect(bound.call).toBe(bound.file);
    expect(bound.topology).toBe('auto');
  });
});
