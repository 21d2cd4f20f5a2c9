import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { type StoryArgs, storySession } from '../test-support/story-session.js';
import '../talk-call/talk-call.js';
import './talk-screenshare.js';

const meta: Meta<StoryArgs> = {
  title: 'Elements/talk-screenshare',
  component: 'talk-screenshare',
  args: { serverUrl: '', user: 'alice' },
  loaders: [async ({ args }) => storySession(args as StoryArgs)],
  render: (args, { loaded }) =>
    html`<talk-screenshare for="story-call" style="max-width: 720px"></talk-screenshare>
      <talk-call
        id="story-call"
        style="height: 320px"
        server-url=${args.serverUrl}
        token=${loaded.token ?? ''}
        conversation=${loaded.conversation ?? ''}
      ></talk-call>`,
};
export default meta;

/** The stage beside the call it follows; join, then share (or open the story as bob too and share there). */
export const BesideACall: StoryObj<StoryArgs> = {};

/** The placeholder can be replaced through the `empty` slot. */
export const CustomEmpty: StoryObj<StoryArgs> = {
  render: () =>
    html`<talk-screenshare style="max-width: 480px"><em slot="empty">Nothing on the big screen yet</em></talk-screenshare>`,
};
