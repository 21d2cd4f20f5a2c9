import { describe, expect, it } from 'vitest';
import { bellMentions, type DemoUser, openNewMention, sendChat, signedInPages, waitForChat } from './stack.js';

/** Switches to Files through the top bar, opens the file, and waits for its sidebar's composer. */
async function openFile(user: DemoUser, name: string): Promise<string> {
  await (await user.page.waitForSelector('.top-bar [data-app="files"]'))!.click();
  const file = await user.page.waitForSelector(`#files ::-p-text(${name})`);
  await file!.click();
  await user.page.waitForSelector('#files .file-sidebar talk-chat >>> [part="input"]');
  return user.page.$eval('#files .file-sidebar', (sidebar) => (sidebar as HTMLElement).dataset.conversation ?? '');
}

describe('the Files app', () => {
  const demo = signedInPages(['alice', 'bob']);

  it("lets two users chat in the sidebar of the same file, in the file's own conversation", async () => {
    const [seenByAlice, seenByBob] = [
      await openFile(demo.alice, 'Roadmap 2027.md'),
      await openFile(demo.bob, 'Roadmap 2027.md'),
    ];
    // One conversation for the file (get-or-create on file:44), not the Talk app's demo room.
    expect(seenByAlice).not.toBe('');
    expect(seenByBob).toBe(seenByAlice);
    const room = await demo.alice.page.evaluate(() => document.body.dataset.conversation);
    expect(room).not.toBe(seenByAlice);

    await sendChat(demo.alice, 'Section 3 needs dates', '#files');
    await waitForChat(demo.bob, 'Section 3 needs dates', '#files');
    await sendChat(demo.bob, 'Adding them now', '#files');
    await waitForChat(demo.alice, 'Adding them now', '#files');
    // The Talk app's chat, still in the page, shows its own room and not the file's messages.
    const inTalk = await demo.bob.page.$eval('#talk talk-chat', (chat) => chat.shadowRoot?.textContent ?? '');
    expect(inTalk).not.toContain('Section 3 needs dates');
  });

  it("rings the other user's bell when a file's chat mentions them", async () => {
    const before = await bellMentions(demo.alice);
    await sendChat(demo.bob, '@alice can you check the numbers?', '#files');
    await openNewMention(demo.alice, before);
    const entries = await demo.alice.page.$$eval('#bell-panel li', (items) => items.map((item) => item.textContent));
    expect(entries[0]).toBe('Bob mentioned you: @alice can you check the numbers?');
  });

  it("offers a call in the file's own conversation", async () => {
    await (await demo.alice.page.waitForSelector('#files .call-about'))!.click();
    await demo.alice.page.waitForSelector('#files .file-sidebar talk-call >>> [part~="join"]');
    const bound = await demo.alice.page.$eval('#files .file-sidebar', (sidebar) => ({
      file: (sidebar as HTMLElement).dataset.conversation,
      call: (sidebar.querySelector('talk-call') as HTMLElement & { conversation?: string }).conversation,
      topology: (sidebar.querySelector('talk-call') as HTMLElement & { topology?: string }).topology,
    }));
    expect(bound.call).toBe(bound.file);
    expect(bound.topology).toBe('auto');
  });
});
