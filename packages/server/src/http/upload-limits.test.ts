import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { type Attachment, type ChatMessage, conversationPath, ErrorCode, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { DOWNLOAD_CHUNK_BYTES } from '../chat/attachments.js';
import { MAX_ATTACHMENT_BYTES_CAP } from '../config.js';
import { call, conversationOf, login, startTestServer } from '../testing/harness.js';

const LIMIT = 1024 * 1024;

let server: TalkServer;
let alice: string;
let bob: string;
let carol: string;
/** The server's side of every connection, to read how many bytes it took from each. */
const serverSockets: Socket[] = [];
beforeAll(async () => {
  server = await startTestServer({
    maxAttachmentBytes: LIMIT,
    attachmentQuota: { perUserBytes: 3 * LIMIT, perConversationBytes: 4 * LIMIT },
  });
  server.app.server.on('connection', (socket: Socket) => serverSockets.push(socket));
  [alice, bob, carol] = await Promise.all([login(server, 'alice'), login(server, 'bob'), login(server, 'carol')]);
});
afterAll(() => server.close());

async function upload(token: string, who: string, body: Uint8Array) {
  const response = await fetch(server.url + conversationPath(Routes.attachments, token), {
    method: 'POST',
    headers: { authorization: `Bearer ${who}`, 'content-type': 'application/octet-stream' },
    body,
  });
  return { status: response.status, body: (await response.json()) as Attachment & { code?: string } };
}

async function download(token: string, who: string, attachmentId: string) {
  const url = server.url + conversationPath(Routes.attachment, token, { attachmentId });
  const response = await fetch(url, { headers: { authorization: `Bearer ${who}` } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

/**
 * Sends an upload whose body keeps coming (16 KiB at a time, for as long as the socket takes it) until the
 * answer arrives; resolves with the status, how many bytes the server's side of the connection had read by
 * then and a little later, and whether the server closed the connection.
 */
function endlessUpload(token: string, who: string, headers: Record<string, string> = {}) {
  const before = new Set(serverSockets);
  return new Promise<{ status: number; readAtAnswer: number; readLater: number; closed: boolean }>(
    (resolve, reject) => {
      const url = new URL(server.url + conversationPath(Routes.attachments, token));
      const chunk = Buffer.alloc(16 * 1024, 1);
      let answered = false;
      const outgoing = httpRequest(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${who}`, 'content-type': 'application/octet-stream', ...headers },
      });
      const pump = () => {
        while (!answered && !outgoing.destroyed && outgoing.write(chunk));
        if (!answered && !outgoing.destroyed) outgoing.once('drain', pump);
      };
      outgoing.on('error', () => {}); // the server cuts the connection while the body still flows
      outgoing.on('response', (response) => {
        const socket = serverSockets.find((s) => !before.has(s));
        if (!socket) return reject(new Error('no server-side socket'));
        const readAtAnswer = socket.bytesRead;
        response.resume();
        // Keep writing for a while after the answer: a server that drained the body would keep reading it.
        setTimeout(() => {
          answered = true;
          resolve({
            status: response.statusCode ?? 0,
            readAtAnswer,
            readLater: socket.bytesRead,
            closed: socket.destroyed,
          });
          outgoing.destroy();
        }, 500);
      });
      pump();
    },
  );
}

describe('uploads are checked before they are read', () => {
  it('refuses a stranger’s upload of a body that never ends with 404, having read almost none of it', async () => {
    const token = await conversationOf(server, alice, []);
    const result = await endlessUpload(token, carol);
    expect(result.status).toBe(404);
    // Headers and whatever the socket had buffered: far less than the limit the body would be read up to.
    expect(result.readLater).toBeLessThan(LIMIT / 4);
    expect(result.closed).toBe(true);
  });

  it('refuses a declared length over the limit, or over the quota’s room, without reading the body', async () => {
    const token = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const tooBig = await endlessUpload(token, alice, { 'content-length': String(LIMIT + 1) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.readLater).toBeLessThan(LIMIT / 4);
    expect(tooBig.closed).toBe(true);
    // The conversation may hold 4 × LIMIT: fill most of it, then declare more than is left.
    for (let n = 0; n < 3; n++) expect((await upload(token, bob, Buffer.alloc(LIMIT, n))).status).toBe(201);
    expect((await upload(token, alice, Buffer.alloc(10, 1))).status).toBe(201);
    const overQuota = await endlessUpload(token, alice, { 'content-length': String(LIMIT) });
    expect(overQuota.status).toBe(409);
    expect(overQuota.readLater).toBeLessThan(LIMIT / 4);
  });

  it('refuses a body without a declared length once it runs over the limit, and stops reading there', async () => {
    const token = await conversationOf(server, alice, []);
    const result = await endlessUpload(token, alice);
    expect(result.status).toBe(413);
    // The limit plus what was in flight when the answer went; after the answer, nothing more.
    expect(result.readAtAnswer).toBeLessThan(4 * LIMIT);
    expect(result.readLater - result.readAtAnswer).toBeLessThan(LIMIT / 4);
    expect(result.closed).toBe(true);
  });
});

describe('attachment quotas and deletion', () => {
  it('refuses an upload beyond the uploader’s quota with 409 quota-exceeded', async () => {
    const token = await conversationOf(server, carol, []);
    const other = await conversationOf(server, carol, []);
    expect((await upload(token, carol, Buffer.alloc(LIMIT, 1))).status).toBe(201);
    expect((await upload(other, carol, Buffer.alloc(LIMIT, 2))).status).toBe(201);
    expect((await upload(other, carol, Buffer.alloc(LIMIT - 10, 3))).status).toBe(201);
    const over = await upload(token, carol, Buffer.alloc(11, 4));
    expect([over.status, over.body.code]).toEqual([409, ErrorCode.QuotaExceeded]);
  });

  it('holds the quota against uploads in parallel: of five that each fit alone, only what the quota has room for goes in', async () => {
    const erin = await login(server, 'erin');
    const token = await conversationOf(server, erin, []);
    // Each is checked against the bytes kept when it arrives; nothing is kept yet, so each alone fits.
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => upload(token, erin, Buffer.alloc(LIMIT, n))));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, 201, 201, 409, 409]); // the uploader's quota is three of them
  });

  it('deletes the bytes with their file message: its download is 404 and the quota has the room again', async () => {
    const dave = await login(server, 'dave');
    const token = await conversationOf(server, dave, [{ userId: 'bob', displayName: 'Bob' }]);
    const post = (attachmentId: string, referenceId: string) =>
      call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, token), {
        token: dave,
        body: { message: 'file', referenceId, attachmentId },
      });
    const remove = (id: number) =>
      call<ChatMessage>(server, 'DELETE', conversationPath(Routes.message, token, { messageId: id }), {
        token: dave,
      });
    const files = [];
    for (let n = 0; n < 3; n++) files.push((await upload(token, dave, Buffer.alloc(LIMIT, n))).body);
    expect((await upload(token, dave, Buffer.alloc(1))).status).toBe(409);

    const [first, second] = files as [Attachment, Attachment];
    const shown = await post(first.id, 'f1');
    expect((await download(token, bob, first.id)).status).toBe(200);
    expect((await remove(shown.body.id)).body).toMatchObject({ deletedAt: expect.any(String), attachment: null });
    expect((await download(token, bob, first.id)).status).toBe(404);
    expect((await upload(token, dave, Buffer.alloc(LIMIT, 9))).status).toBe(201);

    // One upload shown by two messages stays until the last of them is deleted.
    const a = await post(second.id, 'f2');
    const b = await post(second.id, 'f3');
    await remove(a.body.id);
    expect((await download(token, bob, second.id)).status).toBe(200);
    await remove(b.body.id);
    expect((await download(token, bob, second.id)).status).toBe(404);
  });
});

describe('downloads', () => {
  it('streams a file of several database pieces back byte for byte', async () => {
    const token = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const bytes = Buffer.alloc(3 * DOWNLOAD_CHUNK_BYTES + 7);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 251;
    const uploaded = await upload(token, alice, bytes);
    const got = await download(token, bob, uploaded.body.id);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(bytes)).toBe(true);
  });
});

describe('the size setting', () => {
  it('is capped at the size tested here: a file of exactly the cap goes in and out intact, one byte more is 413', async () => {
    const big = await startTestServer({ maxAttachmentBytes: 2 * MAX_ATTACHMENT_BYTES_CAP });
    try {
      const owner = await login(big, 'alice');
      const token = await conversationOf(big, owner, []);
      const send = (body: Uint8Array) =>
        fetch(big.url + conversationPath(Routes.attachments, token), {
          method: 'POST',
          headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/octet-stream' },
          body,
        });
      const bytes = Buffer.alloc(MAX_ATTACHMENT_BYTES_CAP);
      for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i % 255;
      expect((await send(Buffer.alloc(MAX_ATTACHMENT_BYTES_CAP + 1))).status).toBe(413);
      const stored = await send(bytes);
      expect(stored.status).toBe(201);
      const { id } = (await stored.json()) as Attachment;
      const back = await fetch(big.url + conversationPath(Routes.attachment, token, { attachmentId: id }), {
        headers: { authorization: `Bearer ${owner}` },
      });
      const digest = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
      expect(digest(Buffer.from(await back.arrayBuffer()))).toBe(digest(bytes));
    } finally {
      await big.close();
    }
  });
});
