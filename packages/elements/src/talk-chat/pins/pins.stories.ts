import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { conversations } from '@talk/call-core/testing';
import { expect, waitFor } from 'storybook/test';
import { closeFixturesAfterStory, fixtureChat, fixtureOf, loadedChat, partsOf } from '../../test-support/catalog.js';
import '../talk-chat.js';

const meta: Meta = {
  title: 'Elements/talk-chat/Pinned messages',
  component: 'talk-chat',
  beforeEach: closeFixturesAfterStory,
  render: () => fixtureChat(480),
};
export default meta;
type Story = StoryObj;

/** Pins the design team's messages with these ids (the oldest pin first) once the chat has loaded. */
async function pinned(canvasElement: HTMLElement, ids: readonly number[]) {
  const chat = await loadedChat(canvasElement);
  const client = fixtureOf(chat);
  for (const id of ids) await client.pinMessage(conversations.design, id);
  await waitFor(() => expect(partsOf(chat, 'pinned')[0]?.dataset.count).toBe(String(ids.length)));
  return chat;
}

/** One pinned message in the bar above the list: its author and first line; a click opens it in context. */
export const OnePin: Story = {
  play: async ({ canvasElement }) => {
    const chat = await pinned(canvasElement, [1]);
    expect(partsOf(chat, 'pinned-count')).toHaveLength(0);
  },
};

/** Three pins: the latest shows first, "1 of 3", with previous and next. */
export const SeveralPins: Story = {
  play: async ({ canvasElement }) => {
    const chat = await pinned(canvasElement, [1, 6, 10]);
    expect(partsOf(chat, 'pinned-message')[0]?.dataset.id).toBe('10');
    expect(partsOf(chat, 'pinned-count')[0]?.textContent).toContain('1');
  },
};

/** Opened from the bar: the pinned message is highlighted in the list for a moment. */
export const OpenedFromTheBar: Story = {
  play: async ({ canvasElement }) => {
    const chat = await pinned(canvasElement, [1]);
    partsOf(chat, 'pinned-message')[0]!.click();
    await waitFor(() => expect(chat.shadowRoot!.querySelector('[part="message"][data-highlighted]')).not.toBeNull());
  },
};
