import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { conversations } from '@talk/call-core/testing';
import { expect, waitFor } from 'storybook/test';
import { closeFixturesAfterStory, fixtureChat, fixtureOf, loadedChat, partsOf } from '../../test-support/catalog.js';
import '../talk-chat.js';

/** Args of the poll stories: whether the poll hides its results until closed. */
interface PollArgs {
  hidden: boolean;
}

const meta: Meta<PollArgs> = {
  title: 'Elements/talk-chat/Polls',
  component: 'talk-chat',
  args: { hidden: false },
  beforeEach: closeFixturesAfterStory,
  render: () => fixtureChat(480),
};
export default meta;
type Story = StoryObj<PollArgs>;

/** Alice (the user) asks the team; Ben, Chloe and Daniel answer, and the results come in live. */
async function withPoll(canvasElement: HTMLElement, hidden: boolean) {
  const chat = await loadedChat(canvasElement);
  const client = fixtureOf(chat);
  const poll = await client.createPoll(conversations.design, {
    question: 'Which day suits the design review?',
    options: ['Tuesday', 'Wednesday', 'Thursday'],
    maxVotes: 1,
    resultMode: hidden ? 'hidden' : 'public',
    referenceId: `story-poll-${hidden}`,
  });
  await waitFor(() => expect(partsOf(chat, 'poll').length).toBeGreaterThan(0));
  client.voteAs(conversations.design, 'ben', poll.id, [1]);
  client.voteAs(conversations.design, 'chloe', poll.id, [1]);
  client.voteAs(conversations.design, 'daniel', poll.id, [2]);
  await waitFor(() => expect(partsOf(chat, 'poll-voters')[0]?.textContent).toContain('3'));
  return { chat, client, poll };
}

/** A public poll: a bar and a count per day, and who chose it. */
export const PublicPoll: Story = {
  play: async ({ canvasElement, args }) => {
    const { chat } = await withPoll(canvasElement, args.hidden);
    await waitFor(() => expect(partsOf(chat, 'poll-result')[1]?.dataset.count).toBe('2'));
  },
};

/** A hidden poll: only how many voted, until Alice closes it. */
export const HiddenPoll: Story = {
  args: { hidden: true },
  play: async ({ canvasElement, args }) => {
    const { chat } = await withPoll(canvasElement, args.hidden);
    expect(partsOf(chat, 'poll-result')).toHaveLength(0);
  },
};

/** Closed: everyone sees the results, and nobody can vote any more. */
export const ClosedPoll: Story = {
  args: { hidden: true },
  play: async ({ canvasElement, args }) => {
    const { chat, client, poll } = await withPoll(canvasElement, args.hidden);
    await client.closePoll(conversations.design, poll.id);
    await waitFor(() => expect(partsOf(chat, 'poll')[0]?.dataset.status).toBe('closed'));
    await waitFor(() => expect(partsOf(chat, 'poll-result')).toHaveLength(3));
  },
};

/** The dialog that creates a poll, opened from the header. */
export const CreateDialog: Story = {
  play: async ({ canvasElement }) => {
    const chat = await loadedChat(canvasElement);
    chat.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="create-poll"]')!.click();
    await waitFor(() => expect(partsOf(chat, 'poll-form')[0]?.hasAttribute('open')).toBe(true));
  },
};
