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

/** Waits until the list holds `atLeast` messages and draws some of them (it draws only what fits); returns it. */
async function loaded(canvasElement: HTMLElement, atLeast = 1) {
  const chat = elementIn(canvasElement, 'talk-chat');
  await waitFor(() => expect(Number(partsOf(chat, 'messages')[0]?.dataset.count)).toBeGreaterThanOrEqual(atLeast));
  await waitFor(() => expect(partsOf(chat, 'message').length).toBeGreaterThan(0));
  return chat;
}

/**
 * A day and a half of a team's history: several authors grouped by turn, a day separator, markdown, a link, a
 * mention of the user, a reply, reactions, an edited and a deleted message, and the unread divider.
 */
export const Loaded: Story = {
  play: async ({ canvasElement }) => {
    const chat = await loaded(canvasElement, 13);
    await waitFor(() => expect(partsOf(chat, 'unread-divider')).toHaveLength(1));
  },
};

/** Scrolled up to the top: the day separator, the reactions with their counts, Ben's deleted note further down. */
export const History: Story = {
  play: async ({ canvasElement }) => {
    const chat = await loaded(canvasElement, 13);
    const list = partsOf(chat, 'messages')[0]!;
    list.scrollTop = 0;
    await waitFor(() => expect(partsOf(chat, 'day').length).toBeGreaterThan(0));
    await waitFor(() => expect(partsOf(chat, 'reaction').length).toBeGreaterThan(0));
  },
};

/** Chloe and Layla are typing; the line under the list says so. */
export const Typing: Story = {
  play: async ({ canvasElement }) => {
    const chat = await loaded(canvasElement);
    const client = fixtureOf(chat);
    client.typing(conversations.design, 'chloe', true);
    client.typing(conversations.design, 'layla', true);
    await waitFor(() => expect(partsOf(chat, 'typing')[0]?.textContent?.trim()).not.toBe(''));
  },
};

/** The actions menu of a message the user wrote: reply, edit, delete, copy. */
export const MessageActions: Story = {
  play: async ({ canvasElement }) => {
    const chat = await loaded(canvasElement);
    const mine = chat.shadowRoot!.querySelector<HTMLElement>('[part="message"][data-mine]');
    await waitFor(() => expect(mine).toBeTruthy());
    mine!.focus();
    mine!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await waitFor(() => expect(partsOf(chat, 'menu')).toHaveLength(1));
  },
};

/** Answering a message: the composer shows what it answers, with a cancel button. */
export const Replying: Story = {
  play: async ({ canvasElement }) => {
    const chat = await loaded(canvasElement);
    const other = chat.shadowRoot!.querySelector<HTMLElement>(
      '[part="message"]:not([data-mine]) [data-action="reply"]',
    );
    await waitFor(() => expect(other).toBeTruthy());
    other!.click();
    await waitFor(() => expect(partsOf(chat, 'composer-context')).toHaveLength(1));
  },
};

/** Scrolled up while Ben writes: the view stays, and a button offers the new message. */
export const NewMessagesBelow: Story = {
  args: { conversation: conversations.release },
  play: async ({ canvasElement }) => {
    const chat = await loaded(canvasElement, 100);
    const list = partsOf(chat, 'messages')[0]!;
    list.scrollTop = list.scrollHeight / 2;
    list.dispatchEvent(new Event('scroll'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    fixtureOf(chat).receive(conversations.release, 'ben', 'Release is out 🚀');
    await waitFor(() => expect(partsOf(chat, 'new-messages')).toHaveLength(1));
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

/** A long thread: 240 messages, of which the newest page (100) loads, scrolled to the end; older pages load on the way up. */
export const LongThread: Story = {
  args: { conversation: conversations.release },
  play: async ({ canvasElement }) => {
    const chat = await loaded(canvasElement, 100);
    const list = partsOf(chat, 'messages')[0]!;
    await waitFor(() => expect(list.scrollHeight - list.scrollTop - list.clientHeight).toBeLessThan(40));
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
