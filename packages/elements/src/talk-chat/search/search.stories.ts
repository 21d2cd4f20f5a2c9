import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { conversations } from '@talk/call-core/testing';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import { closeFixturesAfterStory, elementIn, fixtureClient, partsOf } from '../../test-support/catalog.js';
import '../talk-chat.js';

/** Args of the search stories: the conversation and the words typed. */
interface SearchArgs {
  conversation: string;
  query: string;
}

const meta: Meta<SearchArgs> = {
  title: 'Elements/talk-chat/Search',
  component: 'talk-chat',
  args: { conversation: conversations.design, query: 'release' },
  beforeEach: closeFixturesAfterStory,
  render: (args) =>
    html`<talk-chat style="height: 480px" .client=${fixtureClient()} conversation=${args.conversation}></talk-chat>`,
};
export default meta;
type Story = StoryObj<SearchArgs>;

/** Opens the search box from the header and types the words, as a person would. */
async function searched(canvasElement: HTMLElement, query: string) {
  const chat = elementIn(canvasElement, 'talk-chat');
  await waitFor(() => expect(partsOf(chat, 'message').length).toBeGreaterThan(0));
  partsOf(chat, 'search-button')[0]!.click();
  await waitFor(() => expect(partsOf(chat, 'search-input')).toHaveLength(1));
  const input = partsOf(chat, 'search-input')[0] as HTMLInputElement;
  input.value = query;
  input.dispatchEvent(new InputEvent('input'));
  return chat;
}

/** "release" in the design team: the matches, newest first, the words marked. */
export const Results: Story = {
  play: async ({ canvasElement, args }) => {
    const chat = await searched(canvasElement, args.query);
    await waitFor(() => expect(partsOf(chat, 'search-result').length).toBeGreaterThan(0));
    expect(partsOf(chat, 'search-result')[0]!.querySelector('mark')).not.toBeNull();
  },
};

/** "release notes" in the release planning, forty matches: a page of twenty, and "More results" for the rest. */
export const MoreResults: Story = {
  args: { conversation: conversations.release, query: 'release notes' },
  play: async ({ canvasElement, args }) => {
    const chat = await searched(canvasElement, args.query);
    await waitFor(() => expect(partsOf(chat, 'search-result')).toHaveLength(20));
    partsOf(chat, 'search-more')[0]!.click();
    await waitFor(() => expect(partsOf(chat, 'search-result')).toHaveLength(40));
    expect(partsOf(chat, 'search-more')).toHaveLength(0);
  },
};

/** Words nothing holds: the box says so. */
export const NoMatch: Story = {
  args: { query: 'zeppelin' },
  play: async ({ canvasElement, args }) => {
    const chat = await searched(canvasElement, args.query);
    await waitFor(() => expect(partsOf(chat, 'search')[0]?.textContent).toContain('No messages found'));
  },
};
