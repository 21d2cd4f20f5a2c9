import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { conversations } from '@talk/call-core/testing';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import {
  closeFixturesAfterStory,
  fixtureChat,
  fixtureClient,
  fixtureOf,
  loadedChat,
  partsOf,
  pictureFile,
  shareFile,
} from '../../test-support/catalog.js';
import '../talk-chat.js';

const meta: Meta = {
  title: 'Elements/talk-chat/Shared items',
  component: 'talk-chat',
  beforeEach: closeFixturesAfterStory,
  render: () => fixtureChat(560),
};
export default meta;
type Story = StoryObj;

/** The design team shares sketches, a brief and a poll (the thread already holds a link); then the panel opens. */
async function withSharedItems(canvasElement: HTMLElement, sketches: number) {
  const chat = await loadedChat(canvasElement);
  const client = fixtureOf(chat);
  const palettes = [
    ['#0082c9', '#7c3aed'],
    ['#c2410c', '#facc15'],
    ['#2d7b41', '#0082c9'],
  ];
  for (let at = 0; at < sketches; at++) {
    await shareFile(client, conversations.design, await pictureFile(`sketch-${at + 1}.png`, palettes[at % 3]!));
  }
  const brief = new File(['Goals, audience, deadlines.'], 'design-brief.txt', { type: 'text/plain' });
  await shareFile(client, conversations.design, brief);
  await client.createPoll(conversations.design, {
    question: 'Which icon set do we ship?',
    options: ['Outline', 'Filled'],
    referenceId: 'story-shared-poll',
  });
  partsOf(chat, 'shared-button')[0]!.click();
  await waitFor(() => expect(partsOf(chat, 'shared')[0]?.getAttribute('aria-busy')).toBe('false'));
  return chat;
}

/** Images as thumbnails, then files, links and polls, newest first. */
export const Panel: Story = {
  play: async ({ canvasElement }) => {
    const chat = await withSharedItems(canvasElement, 3);
    await waitFor(() => expect(partsOf(chat, 'shared-thumbnail')).toHaveLength(3));
    const types = partsOf(chat, 'shared-section').map((section) => section.dataset.type);
    expect(types).toEqual(['image', 'file', 'link', 'poll']);
  },
};

/** More images than the first page: "Show more" brings the older ones. */
export const ShowMore: Story = {
  play: async ({ canvasElement }) => {
    const chat = await withSharedItems(canvasElement, 8);
    await waitFor(() => expect(partsOf(chat, 'shared-more')).toHaveLength(1));
    partsOf(chat, 'shared-more')[0]!.click();
    await waitFor(() => expect(partsOf(chat, 'shared-thumbnail')).toHaveLength(8));
    expect(partsOf(chat, 'shared-more')).toHaveLength(0);
  },
};

/** A conversation where nothing was shared. */
export const NothingShared: Story = {
  render: () =>
    html`<talk-chat style="height: 360px" .client=${fixtureClient()} conversation=${conversations.ben}></talk-chat>`,
  play: async ({ canvasElement }) => {
    const chat = await loadedChat(canvasElement);
    partsOf(chat, 'shared-button')[0]!.click();
    await waitFor(() => expect(partsOf(chat, 'shared')[0]?.textContent).toContain('Nothing has been shared'));
  },
};
