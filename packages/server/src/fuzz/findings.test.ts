import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { conversationPath, Routes } from '@talk/protocol';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { conversationOf, login, TestSocket } from '../testing/harness.js';
import { FUZZ_LIVEKIT, startFuzzServer } from './world.js';

// What the property-based tests found, each pinned down by the smallest request that showed it.

let server: TalkServer;
let alice: string;
let token: string;
beforeAll(async () => {
  server = await startFuzzServer();
  alice = await login(server, 'alice', 'Alice');
  token = await conversationOf(server, alice, []);
});
afterAll(() => server.close());

/** Sends raw text and returns the status with the parsed body. */
async function send(method: string, path: string, body?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(server.url + path, {
    method,
    headers: {
      authorization: `Bearer ${alice}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) };
}

describe('input the database cannot store', () => {
  it('refuses a NUL in a path parameter with a 400 instead of failing the query', async () => {
    const answer = await send('GET', conversationPath(Routes.conversation, '\u0000'));
    expect(answer).toMatchObject({ status: 400, body: { code: 'invalid-request' } });
  });

  it('refuses a NUL in the path of an upload, whose membership is checked before the body is read', async () => {
    const response = await fetch(server.url + conversationPath(Routes.attachments, '\u0000'), {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'text/plain' },
      body: 'bytes',
    });
    expect(response.status).toBe(400);
  });

  it('refuses a NUL in a message with a 400 instead of failing the insert', async () => {
    const answer = await send(
      'POST',
      conversationPath(Routes.messages, token),
      JSON.stringify({ message: 'a\u0000b', referenceId: 'r' }),
    );
    expect(answer).toMatchObject({ status: 400, body: { code: 'invalid-request' } });
  });

  it('refuses a NUL in a display name, a query and a property name', async () => {
    const guest = await send('POST', Routes.devTokens, JSON.stringify({ userId: 'x', displayName: '\u0000' }));
    expect(guest.status).toBe(400);
    const listed = await send('GET', `${conversationPath(Routes.messages, token)}?after=1&x=%00`);
    expect(listed.status).toBe(400);
    const renamed = await send('PATCH', conversationPath(Routes.conversation, token), '{"name":"n","\\u0000":1}');
    expect(renamed.status).toBe(400);
  });

  it('refuses a message id of 1e400 in a path (coerced to Infinity) with a 400', async () => {
    const answer = await send('GET', conversationPath(Routes.reactions, token, { messageId: '1e400' }));
    expect(answer).toMatchObject({ status: 400, body: { code: 'invalid-request' } });
  });

  it('refuses ids past 2^53 in a path, a query and a body with a 400', async () => {
    const reactions = await send('GET', conversationPath(Routes.reactions, token, { messageId: '1e300' }));
    expect(reactions.status).toBe(400);
    const listed = await send('GET', `${conversationPath(Routes.messages, token)}?after=1e400`);
    expect(listed.status).toBe(400);
    const read = await send('POST', conversationPath(Routes.readMarker, token), '{"lastReadMessageId":1e300}');
    expect(read.status).toBe(400);
    const reply = await send(
      'POST',
      conversationPath(Routes.messages, token),
      '{"message":"m","referenceId":"r2","replyTo":9007199254740993}',
    );
    expect(reply.status).toBe(400);
  });

  it('answers a body nested 20,000 deep with a 400 rather than overflowing the stack', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const answer = await send('POST', conversationPath(Routes.messages, token), deep);
    expect(answer).toMatchObject({ status: 400, body: { code: 'invalid-request' } });
    const object = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    // An unknown property is dropped, however deep it goes: the change of nothing succeeds.
    expect((await send('PATCH', conversationPath(Routes.conversation, token), object)).status).toBe(200);
  });

  it('ignores a signed LiveKit webhook whose room name has a NUL in it', async () => {
    const body = JSON.stringify({ event: 'room_finished', room: { name: 'a\u0000b' }, id: 'e', createdAt: '1' });
    const jwt = new AccessToken(FUZZ_LIVEKIT.apiKey, FUZZ_LIVEKIT.apiSecret);
    jwt.sha256 = createHash('sha256').update(body).digest('base64');
    const response = await fetch(server.url + Routes.livekitWebhook, {
      method: 'POST',
      headers: { authorization: await jwt.toJwt(), 'content-type': 'application/webhook+json' },
      body,
    });
    expect(response.status).toBe(204);
  });
});

describe('requests the router or the HTTP parser refuse', () => {
  it('answers an undecodable URL with the error body', async () => {
    const answer = await send('GET', '/api/v1/conversations/%zz');
    expect(answer).toEqual({
      status: 400,
      body: { status: 400, code: 'invalid-request', message: expect.any(String) },
    });
  });

  it('answers a path parameter past the router limit with the error body', async () => {
    const answer = await send('GET', conversationPath(Routes.conversation, 'a'.repeat(200)));
    expect(answer).toEqual({ status: 414, body: { status: 414, code: 'too-large', message: expect.any(String) } });
  });

  it('answers headers past the HTTP limit with the error body', async () => {
    const answer = await send('GET', `${Routes.conversations}?q=${'a'.repeat(20_000)}`);
    expect(answer).toEqual({
      status: 431,
      body: { status: 431, code: 'invalid-request', message: expect.any(String) },
    });
  });

  it('answers a malformed request line with the error body and closes the connection', async () => {
    const url = new URL(server.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, code: 'invalid-request' });
  });
});

describe('signaling frames the database cannot store', () => {
  it('answers a join of a conversation named with a NUL with invalid-request, not an internal error', async () => {
    const socket = await TestSocket.connect(server, alice);
    socket.send({ type: 'join', id: 'j', conversation: `${token}\u0000` });
    const error = await socket.next('error');
    expect(error).toMatchObject({ id: 'j', code: 'invalid-request' });
    // The session goes on.
    await socket.roundTrip();
    await socket.close();
  });
});
