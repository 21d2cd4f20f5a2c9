import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { conversations } from '@talk/call-core/testing';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import { closeFixturesAfterStory, elementIn, fixtureClient, fixtureOf, partsOf } from '../test-support/catalog.js';
import { liveNotice, type StoryArgs, type StorySession, storySession } from '../test-support/story-session.js';
import './talk-chat.js';

/** Args of the fixture stories: which seeded conversation to show. */
interface ChatArgs {
  conversation: string;
}

const meta: Meta<ChatArgs> = {
  title: 'Elements/talk-chat',
  component: 'talk-chat',
  args: { conversation: conversations.design },
  argTypes: { conversation: { control: 'select', options: Object.values(conversations) } },
  beforeEach: closeFixturesAfterStory,
  render: ({ conversation }) =>
    html`<talk-chat style="height: 420px" .client=${fixtureClient()} conversation=${conversation}></talk-chat>`,
};
export default meta;
type Story = StoryObj<ChatArgs>;

/** Waits until the history is on screen; returns the element. */
async function loaded(canvasElement: HTMLElement, atLeast = 1) {
  const chat = elementIn(canvasElement, 'talk-chat');
  await waitFor(() => expect(partsOf(chat, 'message').length).toBeGreaterThanOrEqual(atLeast));
  return chat;
}

/** A day of a team's history: several authors, emoji, an Arabic name and message, and one long message. */
export const Loaded: Story = {
  play: async ({ canvasElement }) => {
    await loaded(canvasElement, 10);
  },
};

/** A conversation nobody has written in yet: an empty list and the composer. */
export const Empty: Story = {
  args: { conversation: conversations.welcome },
  play: async ({ canvasElement }) => {
    const chat = elementIn(canvasElement, 'talk-chat');
    await waitFor(() => expect(partsOf(chat, 'send')[0]?.hasAttribute('disabled')).toBe(false));
    await expect(partsOf(chat, 'message')).toHaveLength(0);
  },
};

/** A message on its way: shown at once, marked "Sending…" until the server confirms it. */
export const Sending: Story = {
  play: async ({ canvasElement }) => {
    const chat = await loaded(canvasElement);
    fixtureOf(chat).sendOutcome = 'hold';
    void chat.send('Uploading the final mock-ups now 📎');
    await waitFor(() => expect(chat.shadowRoot?.querySelector('[data-state="pending"]')).toBeTruthy());
  },
};

/** A message whose sending failed after the automatic retries, with a Retry button (which now succeeds). */
export const Failed: Story = {
  play: async ({ canvasElement }) => {
    const chat = await loaded(canvasElement);
    const client = fixtureOf(chat);
    client.sendOutcome = 'fail';
    await chat.send('Here are the final mock-ups 📎');
    client.sendOutcome = 'deliver';
    await waitFor(() => expect(partsOf(chat, 'retry')).toHaveLength(1));
  },
};

/** The history could not be loaded: the server answered with an error. */
export const LoadError: Story = {
  args: { conversation: conversations.archive },
  play: async ({ canvasElement }) => {
    const chat = elementIn(canvasElement, 'talk-chat');
    await waitFor(() => expect(partsOf(chat, 'error')).toHaveLength(1));
  },
};

/** A long thread: 240 messages, of which the newest page (100) loads, scrolled to the end. */
export const LongThread: Story = {
  args: { conversation: conversations.release },
  play: async ({ canvasElement }) => {
    await loaded(canvasElement, 100);
  },
};

/** Restyled through custom properties and parts only. */
export const Themed: Story = {
  render: ({ conversation }) =>
    html`<style>
        .themed::part(message) {
          border-bottom: 1px solid #d6e4d6;
        }
      </style>
      <talk-chat
        class="themed"
        style="height: 420px; --talk-accent: #2e7d32; --talk-radius: 0"
        .client=${fixtureClient()}
        conversation=${conversation}
      ></talk-chat>`,
  play: async ({ canvasElement }) => {
    await loaded(canvasElement);
  },
};

/** Alice in the Storybook room on the real server that `npm run storybook` starts; open it twice to chat. */
export const Live: StoryObj<StoryArgs> = {
  tags: ['live'],
  args: { user: 'alice' },
  loaders: [async ({ args }) => storySession(args as StoryArgs)],
  render: (_args, { loaded }) => {
    const session = loaded as StorySession;
    return html`${liveNotice(session)}<talk-chat
        style="height: 420px"
        token=${session.token ?? ''}
        conversation=${session.conversation ?? ''}
      ></talk-chat>`;
  },
};
