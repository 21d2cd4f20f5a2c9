import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { conversations, type FixtureClient } from '@talk/call-core/testing';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import { closeFixturesAfterStory, elementIn, fixtureClient, fixtureOf, partsOf } from '../test-support/catalog.js';
import { liveNotice, type StoryArgs, type StorySession, storySession } from '../test-support/story-session.js';
import type { TalkCall } from './talk-call.component.js';
import './talk-call.js';

/** Args of the fixture stories: which seeded conversation's call to show. */
interface CallArgs {
  conversation: string;
}

const meta: Meta<CallArgs> = {
  title: 'Elements/talk-call',
  component: 'talk-call',
  args: { conversation: conversations.standup },
  argTypes: { conversation: { control: 'select', options: [conversations.ben, conversations.standup] } },
  beforeEach: closeFixturesAfterStory,
  render: ({ conversation }) =>
    html`<talk-call style="height: 520px" .client=${fixtureClient()} conversation=${conversation}></talk-call>`,
};
export default meta;
type Story = StoryObj<CallArgs>;

/** Joins the story's call as the join button does, and waits for a tile per participant. */
async function joined(
  canvasElement: HTMLElement,
  participants: number,
): Promise<{ call: TalkCall; client: FixtureClient }> {
  const call = elementIn(canvasElement, 'talk-call');
  await waitFor(() => expect(call.call).toBeTruthy());
  partsOf(call, 'join')[0]?.click();
  await waitFor(() => expect(partsOf(call, 'tile')).toHaveLength(participants));
  return { call, client: fixtureOf(call) };
}

/** Before joining: the camera preview and microphone meter, the stand-up's call running with five, the switches. */
export const BeforeJoining: Story = {
  play: async ({ canvasElement }) => {
    const call = elementIn(canvasElement, 'talk-call');
    await waitFor(() => expect(partsOf(call, 'join')[0]?.hasAttribute('disabled')).toBe(false));
    await waitFor(() => expect(partsOf(call, 'call-status')[0]?.dataset.active).toBe('true'));
    await waitFor(() => expect((partsOf(call, 'preview')[0] as HTMLVideoElement | undefined)?.srcObject).toBeTruthy());
  },
};

/** The speaker view: Ben speaks, promoted over the strip; one's own tile floats in a corner. */
export const SpeakerView: Story = {
  render: ({ conversation }) =>
    html`<talk-call
      style="height: 560px"
      view="speaker"
      .client=${fixtureClient()}
      conversation=${conversation}
    ></talk-call>`,
  play: async ({ canvasElement }) => {
    const { call } = await joined(canvasElement, 6);
    await waitFor(() => expect(call.shadowRoot?.querySelector('[data-place="promoted"]')).toBeTruthy());
  },
};

/** The grid capped at four tiles: three and "+3"; Layla's hand is up. */
export const CappedGrid: Story = {
  render: ({ conversation }) =>
    html`<talk-call style="height: 520px" max-tiles="4" .client=${fixtureClient()} conversation=${conversation}></talk-call>`,
  play: async ({ canvasElement }) => {
    const call = elementIn(canvasElement, 'talk-call');
    await waitFor(() => expect(call.call).toBeTruthy());
    partsOf(call, 'join')[0]?.click();
    await waitFor(() => expect(partsOf(call, 'overflow')[0]?.textContent?.trim()).toBe('+3'));
  },
};

/** The participants and statistics panels open during the stand-up. */
export const Panels: Story = {
  play: async ({ canvasElement }) => {
    const { call } = await joined(canvasElement, 6);
    partsOf(call, 'participants-toggle')[0]?.click();
    partsOf(call, 'stats-toggle')[0]?.click();
    await waitFor(() => expect(partsOf(call, 'participant').length).toBeGreaterThan(5));
    await waitFor(() => expect(partsOf(call, 'stats-row').length).toBeGreaterThan(0), { timeout: 5_000 });
  },
};

/** A one-to-one call with Ben, who is speaking. */
export const TwoPeople: Story = {
  args: { conversation: conversations.ben },
  play: async ({ canvasElement }) => {
    await joined(canvasElement, 2);
  },
};

/** The daily stand-up with six people: one with the camera off, one on a poor connection. */
export const SixPeople: Story = {
  play: async ({ canvasElement }) => {
    await joined(canvasElement, 6);
  },
};

/** Joined with the microphone muted and the camera off, switched off before joining as a person would. */
export const MutedCameraOff: Story = {
  args: { conversation: conversations.ben },
  play: async ({ canvasElement }) => {
    const call = elementIn(canvasElement, 'talk-call');
    await waitFor(() => expect(call.call).toBeTruthy());
    for (const device of ['camera', 'microphone']) {
      partsOf(call, device)[0]?.click();
      await waitFor(() => expect(partsOf(call, device)[0]?.getAttribute('aria-pressed')).toBe('false'));
    }
    await joined(canvasElement, 2);
    await waitFor(() =>
      expect(call.shadowRoot?.querySelector('[part="tile"][data-local][data-video-off]')).toBeTruthy(),
    );
  },
};

/** Reactions on the tiles (others keep reacting while the story is open; this browser sent a heart), emoji open. */
export const WithReactions: Story = {
  play: async ({ canvasElement }) => {
    const { call, client } = await joined(canvasElement, 6);
    const react = () => {
      client.react(conversations.standup, 'ben', '🎉');
      client.react(conversations.standup, 'layla', '👍');
      client.react(conversations.standup, 'emma', '😂');
    };
    react();
    // Reactions fade after a few seconds; keep some coming for whoever looks at the catalog.
    const timer = setInterval(() => (call.isConnected ? react() : clearInterval(timer)), 3_500);
    // This browser reacts as a person does: open the emoji, pick the heart (which closes them), open them again.
    partsOf(call, 'react')[0]?.click();
    await waitFor(() => expect(call.shadowRoot?.querySelector('[data-emoji="❤️"]')).toBeTruthy());
    call.shadowRoot?.querySelector<HTMLButtonElement>('[data-emoji="❤️"]')?.click();
    await waitFor(() => expect(partsOf(call, 'reaction')).toHaveLength(4));
    partsOf(call, 'react')[0]?.click();
    await waitFor(() => expect(partsOf(call, 'react')[0]?.getAttribute('aria-expanded')).toBe('true'));
  },
};

/** Chloe shares her screen: her tile shows the shared screen instead of her camera. */
export const RemoteScreenShare: Story = {
  play: async ({ canvasElement }) => {
    const { call, client } = await joined(canvasElement, 6);
    client.shareScreen(conversations.standup, 'chloe', true);
    await waitFor(() =>
      expect(call.call?.participants.find((participant) => participant.userId === 'chloe')?.screenTrack).toBeTruthy(),
    );
  },
};

/** Args of the live stories. */
type LiveArgs = StoryArgs & { topology: 'mesh' | 'sfu' };

/** A real call in the Storybook room, peer to peer; open it twice (as alice and bob) to see both tiles. */
export const LiveMesh: StoryObj<LiveArgs> = {
  tags: ['live'],
  args: { user: 'alice', topology: 'mesh' },
  argTypes: { topology: { control: 'inline-radio', options: ['mesh', 'sfu'] } },
  loaders: [async ({ args }) => storySession(args as StoryArgs)],
  render: (args, { loaded }) => {
    const session = loaded as StorySession;
    return html`${liveNotice(session)}<talk-call
        style="height: 480px"
        token=${session.token ?? ''}
        conversation=${session.conversation ?? ''}
        topology=${args.topology}
      ></talk-call>`;
  },
};

/** The same call through the LiveKit SFU, when the server has one (`npm run storybook` starts livekit-server). */
export const LiveSfu: StoryObj<LiveArgs> = { ...LiveMesh, tags: ['live'], args: { user: 'alice', topology: 'sfu' } };
