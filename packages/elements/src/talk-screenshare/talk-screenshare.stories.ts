import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { conversations } from '@talk/call-core/testing';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import {
  closeFixturesAfterStory,
  elementIn,
  fixtureClient,
  fixtureOf,
  partsOf,
  storyId,
} from '../test-support/catalog.js';
import { liveNotice, type StoryArgs, type StorySession, storySession } from '../test-support/story-session.js';
import '../talk-call/talk-call.js';
import './talk-screenshare.js';

/** Args of the fixture stories: which seeded conversation's call the stage follows. */
interface ShareArgs {
  conversation: string;
}

const meta: Meta<ShareArgs> = {
  title: 'Elements/talk-screenshare',
  component: 'talk-screenshare',
  args: { conversation: conversations.ben },
  argTypes: { conversation: { control: 'select', options: [conversations.ben, conversations.standup] } },
  beforeEach: closeFixturesAfterStory,
  render: ({ conversation }) => {
    const id = storyId('story-call');
    return html`<talk-screenshare for=${id} style="max-width: 720px"></talk-screenshare>
      <talk-call id=${id} style="height: 300px" .client=${fixtureClient()} conversation=${conversation}></talk-call>`;
  },
};
export default meta;
type Story = StoryObj<ShareArgs>;

/** Joins the call beside the stage, as its join button does; returns the stage. */
async function joined(canvasElement: HTMLElement) {
  const call = elementIn(canvasElement, 'talk-call');
  await waitFor(() => expect(call.call).toBeTruthy());
  partsOf(call, 'join')[0]?.click();
  const stage = elementIn(canvasElement, 'talk-screenshare');
  await waitFor(() => expect(partsOf(stage, 'toggle')).toHaveLength(1));
  return { call, stage, client: fixtureOf(call) };
}

/** In a call where nobody shares: the placeholder, and the button to share one's own screen. */
export const NobodySharing: Story = {
  play: async ({ canvasElement }) => {
    const { stage } = await joined(canvasElement);
    await expect(partsOf(stage, 'empty')).toHaveLength(1);
  },
};

/** Chloe shares her screen in the stand-up: it fills the stage, with who shares it. */
export const SomeoneSharing: Story = {
  args: { conversation: conversations.standup },
  play: async ({ canvasElement }) => {
    const { stage, client } = await joined(canvasElement);
    client.shareScreen(conversations.standup, 'chloe', true);
    await waitFor(() => expect(partsOf(stage, 'presenter')[0]?.textContent).toContain('Chloe Evans'));
  },
};

/** This browser shares its screen (a synthetic one here): "You are sharing" and a stop button. */
export const SelfSharing: Story = {
  play: async ({ canvasElement }) => {
    const { stage } = await joined(canvasElement);
    partsOf(stage, 'toggle')[0]?.click();
    await waitFor(() => expect(partsOf(stage, 'toggle')[0]?.getAttribute('aria-pressed')).toBe('true'));
    await waitFor(() => expect(stage.shadowRoot?.querySelector('[part="stage"][data-local]')).toBeTruthy());
  },
};

/** The placeholder can be replaced through the `empty` slot. */
export const CustomEmpty: Story = {
  render: () =>
    html`<talk-screenshare style="max-width: 480px"><em slot="empty">Nothing on the big screen yet</em></talk-screenshare>`,
};

/** The stage beside a real call on the server `npm run storybook` starts; join, then share (or as bob in a second tab). */
export const LiveBesideACall: StoryObj<StoryArgs> = {
  tags: ['live'],
  args: { user: 'alice' },
  loaders: [async ({ args }) => storySession(args as StoryArgs)],
  render: (_args, { loaded }) => {
    const session = loaded as StorySession;
    const id = storyId('live-call');
    return html`${liveNotice(session)}<talk-screenshare for=${id} style="max-width: 720px"></talk-screenshare>
      <talk-call
        id=${id}
        style="height: 320px"
        token=${session.token ?? ''}
        conversation=${session.conversation ?? ''}
      ></talk-call>`;
  },
};
