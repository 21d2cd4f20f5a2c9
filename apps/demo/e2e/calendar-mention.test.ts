import { describe, expect, it } from 'vitest';
import { bellMentions, type DemoUser, openNewMention, sendChat, signedInPages, waitForChat } from './stack.js';

/** Switches to the Calendar, opens the event and waits for its detail's chat. */
async function openEvent({ page }: DemoUser, id: string): Promise<void> {
  await (await page.waitForSelector('.top-bar [data-app="calendar"]'))!.click();
  await (await page.waitForSelector(`#calendar .week [data-event-id="${id}"]`))!.click();
  await page.waitForSelector(`#calendar .event-detail[data-event-id="${id}"] talk-chat >>> [part="input"]`);
}

describe('the Calendar app', () => {
  const demo = signedInPages(['alice', 'bob']);

  it("rings an attendee's bell when the meeting's chat mentions them, and the bell opens that event", async () => {
    // Bob opens "Design review" (which makes him one of its conversation's members), then another meeting, then goes
    // back to Talk: no chat on his page shows the design review when the mention comes.
    await openEvent(demo.bob, 'design-review');
    await openEvent(demo.bob, 'team-sync');
    await (await demo.bob.page.waitForSelector('.top-bar [data-app="talk"]'))!.click();
    const before = await bellMentions(demo.bob);

    await openEvent(demo.alice, 'design-review');
    await sendChat(demo.alice, '@bob can you bring the mock-ups?', '#calendar .event-detail');
    const entry = await openNewMention(demo.bob, before);
    expect(await entry.evaluate((item) => item.textContent)).toBe(
      'Alice mentioned you: @bob can you bring the mock-ups?',
    );

    // The mention leads to the meeting: the Calendar shows its detail, with the message in its chat.
    await entry.click();
    await demo.bob.page.waitForFunction(() => document.body.dataset.app === 'calendar', { timeout: 15_000 });
    await waitForChat(demo.bob, 'can you bring the mock-ups?', '#calendar .event-detail');
    const shown = await demo.bob.page.$eval('#calendar .event-detail', (detail) => ({
      event: (detail as HTMLElement).dataset.eventId,
      title: detail.querySelector('h2')?.textContent,
      conversation: (detail as HTMLElement).dataset.conversation,
    }));
    const alices = await demo.alice.page.$eval(
      '#calendar .event-detail',
      (detail) => (detail as HTMLElement).dataset.conversation,
    );
    expect(shown).toEqual({ event: 'design-review', title: 'Design review', conversation: alices });
  });
});
