import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { conversations, people } from '@talk/call-core/testing';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import { closeFixturesAfterStory, elementIn, fixtureClient, fixtureOf, partsOf } from '../test-support/catalog.js';
import { liveNotice, type StoryArgs, type StorySession, storySession } from '../test-support/story-session.js';
import './talk-conversation-list.js';

/** People a host might offer for a one-to-one conversation. */
const offered = [people.ben, people.chloe, people.daniel, people.layla, people.emma].map(({ userId, displayName }) => ({
  userId,
  displayName,
}));

const meta: Meta = {
  title: 'Elements/talk-conversation-list',
  component: 'talk-conversation-list',
  beforeEach: closeFixturesAfterStory,
  render: () =>
    html`<talk-conversation-list
      style="block-size: 460px; max-inline-size: 380px"
      .client=${fixtureClient()}
      .users=${offered}
      selected=${conversations.design}
    ></talk-conversation-list>`,
};
export default meta;
type Story = StoryObj;

/** Waits until the list shows at least `atLeast` rows; returns the element. */
async function loaded(canvasElement: HTMLElement, atLeast = 1) {
  const list = elementIn(canvasElement, 'talk-conversation-list');
  await waitFor(() => expect(partsOf(list, 'conversation').length).toBeGreaterThanOrEqual(atLeast));
  return list;
}

/**
 * The seeded conversations, newest activity first: unread and mention badges (the design team mentions Alice), calls
 * running in the stand-up and with Ben, an empty conversation, an Arabic name among the authors.
 */
export const Loaded: Story = {
  play: async ({ canvasElement }) => {
    const list = await loaded(canvasElement, 5);
    await waitFor(() => expect(partsOf(list, 'unread').length).toBeGreaterThan(0));
    await waitFor(() => expect(partsOf(list, 'call').length).toBeGreaterThan(0));
  },
};

/** Ben writes in the archive: its row moves to the top with a fresh unread badge. */
export const NewMessage: Story = {
  play: async ({ canvasElement }) => {
    const list = await loaded(canvasElement, 5);
    fixtureOf(list).receive(conversations.archive, 'ben', 'Found the old contract, sending it over 📎');
    await waitFor(() => expect(partsOf(list, 'conversation')[0]?.dataset.token).toBe(conversations.archive));
  },
};

/** "plan" typed in the filter box: only the release planning is left. */
export const Filtered: Story = {
  play: async ({ canvasElement }) => {
    const list = await loaded(canvasElement, 5);
    const filter = partsOf(list, 'filter')[0] as HTMLInputElement;
    filter.value = 'plan';
    filter.dispatchEvent(new Event('input'));
    await waitFor(() => expect(partsOf(list, 'conversation')).toHaveLength(1));
  },
};

/**
 * "release notes" typed in the filter box: no conversation is named so, but the messages that hold the words are
 * found in every conversation, named by conversation, newest first; "More results" brings older ones.
 */
export const MessageSearch: Story = {
  play: async ({ canvasElement }) => {
    const list = await loaded(canvasElement, 5);
    const filter = partsOf(list, 'filter')[0] as HTMLInputElement;
    filter.value = 'release notes';
    filter.dispatchEvent(new Event('input'));
    await waitFor(() => expect(partsOf(list, 'message-result')).toHaveLength(20));
    partsOf(list, 'message-results-more')[0]!.click();
    await waitFor(() => expect(partsOf(list, 'message-result').length).toBeGreaterThan(20));
    const names = new Set(partsOf(list, 'message-result').map((result) => result.dataset.token));
    expect(names.size).toBe(2);
  },
};

/** The form for a new conversation, on a one-to-one with the people the host offers. */
export const NewConversation: Story = {
  play: async ({ canvasElement }) => {
    const list = await loaded(canvasElement);
    partsOf(list, 'create-button')[0]!.click();
    await waitFor(() => expect(partsOf(list, 'create')).toHaveLength(1));
    list.shadowRoot!.querySelector<HTMLInputElement>('input[value="one-to-one"]')!.click();
    await waitFor(() => expect(list.shadowRoot!.querySelectorAll('input[name="user"]').length).toBe(offered.length));
  },
};

/** A user without any conversation yet. */
export const Empty: Story = {
  render: () =>
    html`<talk-conversation-list
      style="block-size: 300px; max-inline-size: 380px"
      .client=${fixtureClient({ conversations: [] })}
    ></talk-conversation-list>`,
  play: async ({ canvasElement }) => {
    const list = elementIn(canvasElement, 'talk-conversation-list');
    await waitFor(() => expect(partsOf(list, 'empty')[0]?.textContent).toContain('No conversations yet'));
  },
};

/** In Arabic, right to left. */
export const Arabic: Story = {
  render: () =>
    html`<div lang="ar" dir="rtl">
      <talk-conversation-list
        style="block-size: 460px; max-inline-size: 380px"
        .client=${fixtureClient()}
      ></talk-conversation-list>
    </div>`,
  play: async ({ canvasElement }) => {
    const list = await loaded(canvasElement, 5);
    await waitFor(() => expect(partsOf(list, 'filter')[0]?.getAttribute('aria-label')).toBe('تصفية المحادثات'));
  },
};

/** Alice's conversations on the real server that `npm run storybook` starts. */
export const Live: StoryObj<StoryArgs> = {
  tags: ['live'],
  args: { user: 'alice' },
  loaders: [async ({ args }) => storySession(args as StoryArgs)],
  render: (_args, { loaded }) => {
    const session = loaded as StorySession;
    return html`${liveNotice(session)}<talk-conversation-list
        style="block-size: 460px; max-inline-size: 380px"
        token=${session.token ?? ''}
      ></talk-conversation-list>`;
  },
};
