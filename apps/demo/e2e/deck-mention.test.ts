import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoUser, openDemo, type Stack, sendChat, startStack, waitForChat } from './stack.js';

/** The number the user's bell shows. */
function bellCount(user: DemoUser): Promise<number> {
  return user.page.$eval('.bell-button', (bell) => Number((bell as HTMLElement).dataset.count));
}

describe('the Deck app', () => {
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

  it("rings a card member's bell when a comment mentions them, and the bell opens the card", async () => {
    // Alice opens "Landing page copy" (alice and bob are its members); Bob stays in Talk and never opens it.
    await (await alice.page.waitForSelector('.top-bar [data-app="deck"]'))!.click();
    await (await alice.page.waitForSelector('#deck [data-card-id="c1"]'))!.click();
    await alice.page.waitForSelector('#deck .card-detail talk-chat >>> [part="input"]');
    const before = await bellCount(bob);

    await sendChat(alice, '@bob can you write the hero text?', '#deck');
    await bob.page.waitForFunction(
      (was) => Number(document.querySelector<HTMLElement>('.bell-button')?.dataset.count) > was,
      { timeout: 15_000 },
      before,
    );
    await (await bob.page.waitForSelector('.bell-button'))!.click();
    const entry = await bob.page.waitForSelector('#bell-panel .bell-item');
    expect(await entry!.evaluate((item) => item.textContent)).toBe(
      'Alice mentioned you: @bob can you write the hero text?',
    );

    // The mention leads to the card: the Deck app shows it, with the comment in its chat.
    await entry!.click();
    await bob.page.waitForFunction(() => document.body.dataset.app === 'deck', { timeout: 15_000 });
    await waitForChat(bob, 'can you write the hero text?', '#deck');
    const shown = await bob.page.$eval('#deck .card-detail', (detail) => ({
      card: (detail as HTMLElement).dataset.cardId,
      title: detail.querySelector('h2')?.textContent,
      conversation: (detail as HTMLElement).dataset.conversation,
    }));
    const alicesCard = await alice.page.$eval(
      '#deck .card-detail',
      (detail) => (detail as HTMLElement).dataset.conversation,
    );
    expect(shown).toEqual({ card: 'c1', title: 'Landing page copy', conversation: alicesCard });
  });
});
