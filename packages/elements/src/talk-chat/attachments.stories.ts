import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { conversations } from '@talk/call-core/testing';
import { expect, waitFor } from 'storybook/test';
import {
  closeFixturesAfterStory,
  fixtureChat,
  fixtureOf,
  loadedChat,
  partsOf,
  pictureFile,
  shareFile,
} from '../test-support/catalog.js';
import './talk-chat.js';

const meta: Meta = {
  title: 'Elements/talk-chat/Files',
  component: 'talk-chat',
  beforeEach: closeFixturesAfterStory,
  render: () => fixtureChat(560),
};
export default meta;
type Story = StoryObj;

/** An image with its preview, a text file and an SVG (offered as a download only: its scripts never run). */
export const SharedFiles: Story = {
  play: async ({ canvasElement }) => {
    const chat = await loadedChat(canvasElement);
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
    const chat = await loadedChat(canvasElement);
    fixtureOf(chat).maxAttachmentBytes = 1024;
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(4096)], 'recording.webm', { type: 'video/webm' }));
    partsOf(chat, 'messages')[0]!.dispatchEvent(
      new DragEvent('drop', { dataTransfer: transfer, bubbles: true, composed: true, cancelable: true }),
    );
    await waitFor(() => expect(partsOf(chat, 'upload')[0]?.dataset.state).toBe('failed'));
  },
};
