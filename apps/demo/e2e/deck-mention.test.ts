import { describe, expect, it } from 'vitest';
import { bellMentions, openNewMention, sendChat, signedInPages, waitForChat } from './stack.js';

describe('the Deck app', () => {
  const demo = signedInPages(['alice', 'bob']);

  it("rings a card member's bell when a comment mentions them, and the bell opens the card", async () => {
    // Alice opens "Landing page copy" (alice and bob are its members); Bob stays in Talk and never opens it.
    await (await demo.alice.page.waitForSelector('.top-bar [data-app="deck"]'))!.click();
    await (await demo.alice.page.waitForSelector('#deck [data-card-id="c1"]'))!.click();
    await demo.alice.page.waitForSelector('#deck .card-detail talk-chat >>> [part="input"]');
    const before = await bellMentions(demo.bob);

    await sendChat(demo.alice, '@bob can you write the hero text?', '#deck');
    const entry = await openNewMention(demo.bob, before);
    expect(await entry.evaluate((item) => item.textContent)).toBe(
      'Alice mentioned you: @bob can you write the hero text?',
    );

    // The mention leads to the card: the Deck app shows it, with the comment in its chat.
    await entry.click();
    await demo.bob.page.waitForFunction(() => document.body.dataset.app === 'deck', { timeout: 15_000 });
    await waitForChat(demo.bob, 'can you write the hero text?', '#deck');
    const shown = await demo.bob.page.$eval('#deck .card-detail', (detail) => ({
      card: (detail as HTMLElement).dataset.cardId,
      title: detail.querySelector('h2')?.textContent,
      conversation: (detail as HTMLElement).dataset.conversation,
    }));
    const alicesCard = await demo.alice.page.$eval(
      '#deck .card-detail',
      (detail) => (detail as HTMLElement).dataset.conversation,
    );
    expect(shown).toEqual({ card: 'c1', title: 'Landing page copy', conversation: alicesCard });
  });
});
