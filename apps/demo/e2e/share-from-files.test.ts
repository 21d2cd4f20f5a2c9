import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { type Stack, signedInPages, waitForChat } from './stack.js';

/** POSTs JSON to the stack's server, as a host's backend would. */
async function post<T>(stack: Stack, path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(new URL(path, stack.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

describe('sharing from Files', () => {
  let group: string;
  const minutes = 'Kick-off minutes: launch on the 14th.\n';
  // A group of Alice and Bob, made as Alice through the REST API: the conversation to share into.
  const demo = signedInPages(
    { alice: { app: 'files' }, bob: {} },
    {
      prepare: async (stack) => {
        const { token } = await post<{ token: string }>(stack, '/api/v1/dev/tokens', {
          userId: 'alice',
          displayName: 'Alice',
        });
        const body = { type: 'group', name: 'Launch team', participants: [{ userId: 'bob' }] };
        group = (await post<{ token: string }>(stack, '/api/v1/conversations', body, token)).token;
      },
    },
  );

  it('lists uploads, from the button and dropped on the list, after the seeded files', async () => {
    const path = join(tmpdir(), `minutes-${process.pid}.txt`);
    await writeFile(path, minutes);
    const input = (await demo.alice.page.waitForSelector(
      '#files .upload-button input',
    )) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(path);
    // A drop as the browser delivers one: a DataTransfer holding a file.
    await demo.alice.page.$eval('#files .file-pane', (pane) => {
      const data = new DataTransfer();
      data.items.add(new File(['a,b\n1,2\n'], 'dropped.csv', { type: 'text/csv' }));
      pane.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await demo.alice.page.waitForFunction(() => document.querySelectorAll('#files .file-list li').length === 6, {
      timeout: 15_000,
    });
    const names = await demo.alice.page.$$eval('#files .file-name', (spans) => spans.map((span) => span.textContent));
    expect(names.slice(4)).toEqual([path.split('/').pop(), 'dropped.csv']);
  });

  it('posts a file as a file message into the chosen conversation, which the other member sees in Talk', async () => {
    const uploaded = await demo.alice.page.waitForSelector('#files .file-list li:nth-child(5) button');
    const name = await uploaded!.evaluate((button) => button.querySelector('.file-name')?.textContent ?? '');
    await uploaded!.click();
    await (await demo.alice.page.waitForSelector('#files .share-file'))!.click();
    await (await demo.alice.page.waitForSelector(`#files .share-dialog [data-token="${group}"]`))!.click();
    await demo.alice.page.waitForFunction(
      () => !document.querySelector<HTMLDialogElement>('#files .share-dialog')?.open,
      {
        timeout: 15_000,
      },
    );

    // Bob opens the group in Talk's conversation list and finds the file, with the bytes Alice uploaded.
    const row = await demo.bob.page.waitForSelector(
      `#talk talk-conversation-list >>> [part~="conversation"][data-token="${group}"]`,
    );
    await row!.click();
    await waitForChat(demo.bob, name, '#talk');
    const link = await demo.bob.page.waitForSelector('#talk talk-chat >>> a[part="attachment-link"]');
    const downloaded = await link!.evaluate(async (anchor) => (await fetch((anchor as HTMLAnchorElement).href)).text());
    expect(downloaded).toBe(minutes);
  });
});
