import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { conversations } from '@talk/call-core/testing';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import { elementIn, partsOf } from '../test-support/catalog.js';
import { ModerationFixture, type ModerationFixtureOptions } from '../test-support/moderation-fixture.js';
import '../talk-chat/talk-chat.js';
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
    const client = guest ? undefined : fixture({ lobby, ...(password ? { password } : {}) });
    return html`<talk-join style="max-width: 720px; height: 420px" .client=${client} conversation=${token}>
      <talk-chat conversation=${token} style="height: 400px"></talk-chat>
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

/** The lobby opened: the conversation's chat is shown, with the joined user's client. */
export const Joined: Story = {
  args: { lobby: true },
  play: async ({ canvasElement }) => {
    const join = elementIn(canvasElement, 'talk-join');
    await waitFor(() => expect(partsOf(join, 'lobby')).toHaveLength(1));
    (join.joinedClient as ModerationFixture).setLobby(conversations.design, false);
    const chat = elementIn(canvasElement, 'talk-chat');
    await waitFor(() => expect(partsOf(chat, 'composer').length).toBeGreaterThan(0));
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
