import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { type StoryArgs, storySession } from '../test-support/story-session.js';
import './talk-call.js';

type CallArgs = StoryArgs & { topology: 'mesh' | 'sfu' };

const meta: Meta<CallArgs> = {
  title: 'Elements/talk-call',
  component: 'talk-call',
  args: { serverUrl: '', user: 'alice', topology: 'mesh' },
  argTypes: { topology: { control: 'inline-radio', options: ['mesh', 'sfu'] } },
  loaders: [async ({ args }) => storySession(args as StoryArgs)],
  render: (args, { loaded }) =>
    html`<talk-call
      style="height: 480px"
      server-url=${args.serverUrl}
      token=${loaded.token ?? ''}
      conversation=${loaded.conversation ?? ''}
      topology=${args.topology}
    ></talk-call>`,
};
export default meta;

/** Peer-to-peer call; open the story twice (as alice and bob) to see both tiles. */
export const Mesh: StoryObj<CallArgs> = {};

/** The same call through the LiveKit SFU, when the server has one configured. */
export const Sfu: StoryObj<CallArgs> = { args: { topology: 'sfu' } };
