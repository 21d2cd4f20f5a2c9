import type { TalkServer } from '@talk/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startServer } from '../../test/server.js';
import { ChatStore } from '../chat/ChatStore.js';
import { TalkErrorCode } from '../errors.js';
import type { TalkClient } from './TalkClient.js';

describe('TalkClient uploads against a real server', () => {
  let server: TalkServer;
  let alice: TalkClient;
  let bob: TalkClient;
  let token: string;
  beforeAll(async () => {
    server = await startServer({ maxAttachmentBytes: 64 * 1024 });
    alice = await clientFor(server, 'alice');
    bob = await clientFor(server, 'bob');
    const created = await alice.createConversation({
      type: 'group',
      name: 'Files',
      participants: [{ userId: 'bob', displayName: 'Bob' }],
    });
    token = created.token;
  });
  afterAll(async () => {
    alice?.close();
    bob?.close();
    await server?.close();
  });

  it('uploads raw bytes under a non-Latin name, posts them as a file message and serves them at a signed URL', async () => {
    const progress: number[] = [];
    const bytes = new TextEncoder().encode('hello, file');
    const attachment = await alice.uploadAttachment(token, new Blob([bytes]), {
      name: 'rapport – été.txt',
      onProgress: ({ loaded }) => progress.push(loaded),
    });
    expect(attachment).toMatchObject({ name: 'rapport – été.txt', size: bytes.length, uploaderId: 'alice' });
    expect(progress.at(-1)).toBe(bytes.length);

    const store = new ChatStore(alice, token);
    await store.start();
    const sent = await store.send(attachment.name, { attachmentId: attachment.id });
    expect(sent).toMatchObject({ kind: 'file', attachment: { id: attachment.id } });
    store.close();

    const { url } = await bob.attachmentUrl(token, attachment.id);
    const download = await fetch(url); // no bearer header: the signature is the credential
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('hello, file');
  });

  it('learns the size limit from its welcome and refuses a larger file without sending it', async () => {
    const requests: string[] = [];
    const carol = await clientFor(server, 'carol', {
      fetch: (input, init) => {
        requests.push(`${init?.method ?? 'GET'} ${String(input)}`);
        return fetch(input, init);
      },
    });
    try {
      expect(carol.maxAttachmentBytes).toBeUndefined(); // not welcomed yet
      await carol.connect();
      expect(carol.maxAttachmentBytes).toBe(64 * 1024);
      const big = new Blob([new Uint8Array(64 * 1024 + 1)]);
      await expect(carol.uploadAttachment(token, big, { name: 'big.bin' })).rejects.toMatchObject({
        code: TalkErrorCode.Server,
        status: 413,
        serverCode: 'too-large',
      });
      expect(requests.filter((request) => request.includes('/attachments'))).toEqual([]);
    } finally {
      carol.close();
    }
  });

  it('fails too large a file with the server’s too-large, and a cancelled one as aborted', async () => {
    const big = new Blob([new Uint8Array(65 * 1024)]);
    await expect(alice.uploadAttachment(token, big, { name: 'big.bin' })).rejects.toMatchObject({
      code: TalkErrorCode.Server,
      status: 413,
      serverCode: 'too-large',
    });
    const controller = new AbortController();
    controller.abort();
    await expect(alice.uploadAttachment(token, new Blob(['x']), { signal: controller.signal })).rejects.toMatchObject({
      code: TalkErrorCode.Aborted,
    });
  });
});
