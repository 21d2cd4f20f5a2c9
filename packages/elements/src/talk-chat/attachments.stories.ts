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
  pictureFile,
  shareFile,
} from '../test-support/catalog.js';
import './talk-chat.js';

const meta: Meta = {
  title: 'Elements/talk-chat/Files',
  component: 'talk-chat',
  beforeEach: closeFixturesAfterStory,
  render: () =>
    html`<talk-chat style="height: 560px" .client=${fixtureClient()} conversation=${conversations.design}></talk-chat>`,
};
export default meta;
type Story = StoryObj;

async function loaded(canvasElement: HTMLElement) {
  const chat = elementIn(canvasElement, 'talk-chat');
  await waitFor(() => expect(partsOf(chat, 'message').length).toBeGreaterThan(0));
  return chat;
}

/** An image with its preview, a text file and an SVG (offered as a download only: its scripts never run). */
export const SharedFiles: Story = {
  play: async ({ canvasElement }) => {
    const chat = await loaded(canvasElement);
    const client = fixtureOf(chat);
    await shareFile(client, conversations.design, await pictureFile('moodboard.png', ['#0082c9', '#c2410c']));
    await shareFile(
      client,
      conversations.design,
      new File(['Agenda: icons, colours.'], 'agenda.txt', { type: 'text/plain' }),
    );
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
    await shareFile(client, conversations.design, new File([svg], 'logo.svg', { type: 'image/svg+xml' }));
    await waitFor(() => expect(partsOf(chat, 'attachment')).toHaveLength(3));
    await waitFor(() => expect(partsOf(chat, 'attachment-preview')).toHaveLength(1));
    expect(partsOf(chat, 'attachment-link').map((link) => link.textContent?.trim())).toEqual([
      'moodboard.png',
      'agenda.txt',
      'logo.svg',
    ]);
  },
};

/** A file too large for the server, dropped on the chat: the upload shows why it failed. */
export const FailedUpload: Story = {
  play: async ({ canvasElement }) => {
    const chat = await loaded(canvasElement);
    fixtureOf(chat).maxAttachmentBytes = 1024;
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(4096)], 'recording.webm', { type: 'video/webm' }));
    partsOf(chat, 'messages')[0]!.dispatchEvent(
      new DragEvent('drop', { dataTransfer: transfer, bubbles: true, composed: true, cancelable: true }),
    );
    await waitFor(() => expect(partsOf(chat, 'upload')[0]?.dataset.state).toBe('failed'));
  },
};
