// Helpers of the catalog's stories: fixture clients that are closed when their story goes, and the parts of an
// element's shadow root that a story's play function waits for.
import type { TalkClientLike } from '@talk/call-core';
import { conversations, FixtureClient, type FixtureClientOptions } from '@talk/call-core/testing';
import { html, type TemplateResult } from 'lit';
import { expect, waitFor } from 'storybook/test';
import type { TalkChat } from '../talk-chat/talk-chat.js';

/** Clients made for the stories on screen; a story's clean-up closes them, which stops their synthetic media. */
const open = new Set<FixtureClient>();

/** A fixture client with the seeded conversations, closed with its story. */
export function fixtureClient(options?: FixtureClientOptions): FixtureClient {
  const client = new FixtureClient(options);
  open.add(client);
  return client;
}

/** A `beforeEach` for a story file: returns the clean-up that closes the fixture clients its stories made. */
export function closeFixturesAfterStory(): () => void {
  return () => {
    for (const client of open) client.close();
    open.clear();
  };
}

/** The first `tag` element in a story's canvas; throws when the story did not render one. */
export function elementIn<K extends keyof HTMLElementTagNameMap>(
  canvas: HTMLElement,
  tag: K,
): HTMLElementTagNameMap[K] {
  const element = canvas.querySelector(tag);
  if (!element) throw new Error(`The story rendered no <${tag}>`);
  return element;
}

/** A story's <talk-chat>: `height` pixels tall, with a fresh fixture client, on the design team's conversation. */
export function fixtureChat(height: number, conversation: string = conversations.design): TemplateResult {
  return html`<talk-chat style="height: ${height}px" .client=${fixtureClient()} conversation=${conversation}></talk-chat>`;
}

/** The story's <talk-chat> once its list draws a message (it draws only what fits). */
export async function loadedChat(canvas: HTMLElement): Promise<TalkChat> {
  const chat = elementIn(canvas, 'talk-chat');
  await waitFor(() => expect(partsOf(chat, 'message').length).toBeGreaterThan(0));
  return chat;
}

/** The elements of `part` in a custom element's shadow root. */
export function partsOf(element: Element, part: string): HTMLElement[] {
  return [...(element.shadowRoot?.querySelectorAll<HTMLElement>(`[part~="${part}"]`) ?? [])];
}

/** The fixture client an element was given; throws for any other client. */
export function fixtureOf(element: { client?: TalkClientLike }): FixtureClient {
  if (!(element.client instanceof FixtureClient)) throw new Error('The element has no fixture client');
  return element.client;
}

/** A fresh id for elements that name each other (`for`), unique even when a docs page shows many stories. */
let ids = 0;
export function storyId(prefix: string): string {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A real PNG of `width`×`height`, a band of each colour, drawn on a canvas: an image a story can share. */
export async function pictureFile(name: string, colors: readonly string[], width = 320, height = 200): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  colors.forEach((color, at) => {
    context.fillStyle = color;
    context.fillRect((at * width) / colors.length, 0, Math.ceil(width / colors.length), height);
  });
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((made) => (made ? resolve(made) : reject(new Error('no PNG'))), 'image/png'),
  );
  return new File([blob], name, { type: 'image/png' });
}

/** Shares `file` in a conversation as the fixture's user: uploaded, then posted as a file message. */
export async function shareFile(client: FixtureClient, conversation: string, file: File): Promise<number> {
  const attachment = await client.uploadAttachment(conversation, file, { name: file.name });
  const message = await client.postMessage(conversation, {
    message: file.name,
    referenceId: `story-${file.name}`,
    attachmentId: attachment.id,
  });
  return message.id;
}
