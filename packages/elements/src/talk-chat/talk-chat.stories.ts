import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { type StoryArgs, storySession } from '../test-support/story-session.js';
import './talk-chat.js';

const meta: Meta<StoryArgs> = {
  title: 'Elements/talk-chat',
  component: 'talk-chat',
  args: { serverUrl: '', user: 'alice' },
  loaders: [async ({ args }) => storySession(args as StoryArgs)],
  render: (args, { loaded }) =>
    html`<talk-chat
      style="height: 420px; --talk-accent: #0082c9"
      server-url=${args.serverUrl}
      token=${loaded.token ?? ''}
      conversation=${loaded.conversation ?? ''}
    ></talk-chat>`,
};
export default meta;

/** Alice in the Storybook room. */
export const Default: StoryObj<StoryArgs> = {};

/** Restyled through custom properties and parts only. */
export const Themed: StoryObj<StoryArgs> = {
  args: { user: 'bob' },
  render: (args, { loaded }) =>
    html`<style>
        .themed::part(message) {
          border-bottom: 1px solid #eee;
        }
      </style>
      <talk-chat
        class="themed"
        style="height: 420px; --talk-accent: #2e7d32; --talk-radius: 0"
        server-url=${args.serverUrl}
        token=${loaded.token ?? ''}
        conversation=${loaded.conversation ?? ''}
      ></talk-chat>`,
};
