import { type Attachment, type ChatMessage, conversationPath, ErrorCode, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, conversationOf, login, startTestServer } from '../testing/harness.js';

let server: TalkServer;
let alice: string;
let bob: string;
let carol: string;
beforeAll(async () => {
  server = await startTestServer({ maxAttachmentBytes: 64 * 1024 });
  [alice, bob, carol] = await Promise.all([
    login(server, 'alice', 'Alice'),
    login(server, 'bob', 'Bob'),
    login(server, 'carol', 'Carol'),
  ]);
});
afterAll(() => server.close());

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);

async function upload(token: string, who: string, body: Uint8Array, name = 'picture.png', type = 'text/html') {
  const response = await fetch(server.url + conversationPath(Routes.attachments, token), {
    method: 'POST',
    headers: { authorization: `Bearer ${who}`, 'content-type': type, 'x-file-name': encodeURIComponent(name) },
    body,
  });
  return { status: response.status, body: (await response.json()) as Attachment & { code?: string } };
}

describe('attachments', () => {
  it('stores an upload with its sniffed type, serves it to participants only, and refers to it from a file message', async () => {
    const token = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const uploaded = await upload(token, alice, png, 'holiday ☀.png');
    expect(uploaded).toMatchObject({
      status: 201,
      body: {
        name: 'holiday ☀.png',
        contentType: 'image/png',
        size: png.length,
        uploaderId: 'alice',
        conversation: token,
      },
    });
    const url = server.url + conversationPath(Routes.attachment, token, { attachmentId: uploaded.body.id });
    const download = await fetch(url, { headers: { authorization: `Bearer ${bob}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    // Opened in a tab, an uploaded page would otherwise run script on the server's origin.
    expect(download.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);
    expect((await fetch(url, { headers: { authorization: `Bearer ${carol}` } })).status).toBe(404);
    expect((await fetch(url)).status).toBe(401);

    const message = await call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, token), {
      token: alice,
      body: { message: 'holiday ☀.png', referenceId: 'f1', attachmentId: uploaded.body.id },
    });
    expect(message.body).toMatchObject({ kind: 'file', attachment: uploaded.body });
  });

  it('refuses an upload over the size limit with 413 too-large, and a stranger’s with 404', async () => {
    const token = await conversationOf(server, alice, []);
    const big = await upload(token, alice, Buffer.alloc(64 * 1024 + 1, 1));
    expect(big).toMatchObject({ status: 413, body: { code: ErrorCode.TooLarge } });
    expect((await upload(token, carol, png)).status).toBe(404);
  });

  it('will not attach someone else’s upload or one of another conversation to a message', async () => {
    const token = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const other = await conversationOf(server, alice, []);
    const elsewhere = await upload(other, alice, png);
    const bobs = await upload(token, bob, png);
    for (const attachmentId of [elsewhere.body.id, bobs.body.id]) {
      const answer = await call(server, 'POST', conversationPath(Routes.messages, token), {
        token: alice,
        body: { message: 'file', referenceId: attachmentId, attachmentId },
      });
      expect(answer.status).toBe(400);
    }
  });
});
