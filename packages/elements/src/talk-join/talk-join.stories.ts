import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { conversations } from '@talk/call-core/testing';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import { elementIn, partsOf } from '../test-support/catalog.js';
import { ModerationFixture, type ModerationFixtureOptions } from '../test-support/moderation-fixture.js';
import './talk-join.js';

/** Fixture clients of the stories on screen, closed when their story goes. */
const open = new Set<ModerationFixture>();
const fixture = (options: ModerationFixtureOptions) => {
  const client = new ModerationFixture(options);
  open.add(client);
  return client;
};

/** Args: how the membership of the signed-in user starts; `guest` shows the name prompt instead. */
interface JoinArgs {
  guest: boolean;
  lobby: boolean;
  password: string;
}

const meta: Meta<JoinArgs> = {
  title: 'Elements/talk-join',
  component: 'talk-join',
  args: { guest: false, lobby: false, password: '' },
  beforeEach: () => () => {
    for (const client of open) client.close();
    open.clear();
  },
  render: ({ guest, lobby, password }) => {
    const token = conversations.design;
    // A participant, not the owner: owners and moderators pass a closed lobby.
    const client = guest ? undefined : fixture({ role: 'user', lobby, ...(password ? { password } : {}) });
    // A plain stand-in for the conversation's elements: a <talk-chat> handed its client by <talk-join> once in
    // hung the page in the element tests (a guest's real client), which is not resolved yet.
    return html`<talk-join style="max-width: 720px" .client=${client} conversation=${token}>
      <p data-conversation>Welcome to the design team’s conversation.</p>
    </talk-join>`;
  },
};
export default meta;
type Story = StoryObj<JoinArgs>;

/** A guest through the public link is asked for the name to appear under. */
export const GuestName: Story = {
  args: { guest: true },
  play: async ({ canvasElement }) => {
    const join = elementIn(canvasElement, 'talk-join');
    await waitFor(() => expect(partsOf(join, 'name')).toHaveLength(1));
  },
};

/** The conversation has a password, and the one typed was wrong: the prompt says so. */
export const WrongPassword: Story = {
  args: { password: 'spring' },
  play: async ({ canvasElement }) => {
    const join = elementIn(canvasElement, 'talk-join');
    await waitFor(() => expect(partsOf(join, 'password')).toHaveLength(1));
    const field = partsOf(join, 'password')[0] as HTMLInputElement;
    field.value = 'autumn';
    partsOf(join, 'submit')[0]!.click();
    await waitFor(() => expect(partsOf(join, 'problem')).toHaveLength(1));
  },
};

/** In, but the lobby is closed: the waiting screen until a moderator opens it. */
export const Lobby: Story = {
  args: { lobby: true },
  play: async ({ canvasElement }) => {
    const join = elementIn(canvasElement, 'talk-join');
    await waitFor(() => expect(partsOf(join, 'lobby')).toHaveLength(1));
  },
};

/** The lobby opened: what the host put inside is shown, with the joined user's client. */
export const Joined: Story = {
  args: { lobby: true },
  play: async ({ canvasElement }) => {
    const join = elementIn(canvasElement, 'talk-join');
    await waitFor(() => expect(partsOf(join, 'lobby')).toHaveLength(1));
    (join.joinedClient as ModerationFixture).setLobby(conversations.design, false);
    await waitFor(() => expect(join.stage).toBe('joined'));
  },
};

/** A moderator removed the user: the page says so instead of the conversation. */
export const Removed: Story = {
  play: async ({ canvasElement }) => {
    const join = elementIn(canvasElement, 'talk-join');
    await waitFor(() => expect(join.stage).toBe('joined'));
    (join.joinedClient as ModerationFixture).endMembership(conversations.design, 'removed');
    await waitFor(() => expect(partsOf(join, 'out')).toHaveLength(1));
  },
};
