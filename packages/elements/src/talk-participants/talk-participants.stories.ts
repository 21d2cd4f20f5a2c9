import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { conversations } from '@talk/call-core/testing';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import { elementIn, partsOf } from '../test-support/catalog.js';
import { ModerationFixture } from '../test-support/moderation-fixture.js';
import './talk-participants.js';

/** Fixture clients of the stories on screen, closed when their story goes. */
const open = new Set<ModerationFixture>();

/** Args: the signed-in user's role. */
interface ParticipantsArgs {
  role: 'owner' | 'moderator' | 'user';
}

const meta: Meta<ParticipantsArgs> = {
  title: 'Elements/talk-participants',
  component: 'talk-participants',
  args: { role: 'owner' },
  argTypes: { role: { control: 'select', options: ['owner', 'moderator', 'user'] } },
  beforeEach: () => () => {
    for (const client of open) client.close();
    open.clear();
  },
  render: ({ role }) => {
    const client = new ModerationFixture({ role, password: 'spring' });
    open.add(client);
    return html`<talk-participants
      style="max-width: 640px"
      .client=${client}
      conversation=${conversations.standup}
      link-template="https://talk.example/join/{token}"
    ></talk-participants>`;
  },
};
export default meta;
type Story = StoryObj<ParticipantsArgs>;

/** The owner's view of the stand-up, whose call is running: everyone's actions and the settings panel. */
export const Moderator: Story = {
  play: async ({ canvasElement }) => {
    const list = elementIn(canvasElement, 'talk-participants');
    await waitFor(() => expect(partsOf(list, 'participant')).toHaveLength(5));
    await waitFor(() => expect(partsOf(list, 'settings')).toHaveLength(1));
  },
};

/** One participant's permissions opened: a checkbox per permission, and back to the defaults. */
export const Permissions: Story = {
  play: async ({ canvasElement }) => {
    const list = elementIn(canvasElement, 'talk-participants');
    await waitFor(() => expect(partsOf(list, 'permissions').length).toBeGreaterThan(0));
    const daniel = list.shadowRoot!.querySelector('[data-user-id="daniel"] [part="permissions"]') as HTMLDetailsElement;
    daniel.open = true;
  },
};

/** A plain participant sees who is there and who is in the call, and no moderation. */
export const Participant: Story = {
  args: { role: 'user' },
  play: async ({ canvasElement }) => {
    const list = elementIn(canvasElement, 'talk-participants');
    await waitFor(() => expect(partsOf(list, 'participant')).toHaveLength(5));
    await expect(partsOf(list, 'settings')).toHaveLength(0);
  },
};
