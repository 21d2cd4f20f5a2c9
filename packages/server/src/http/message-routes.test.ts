import { type ChatMessage, conversationPath, ErrorCode, MAX_MESSAGE_LENGTH, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, login, startTestServer, TestSocket } from '../testing/harness.js';

let server: TalkServer;
let alice: string;
let bob: string;
beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([login(server, 'alice', 'Alice'), login(server, 'bob', 'Bob')]);
});
afterAll(() => server.close());

async function newConversation(): Promise<string> {
  const created = await call<{ token: string }>(server, 'POST', Routes.conversations, {
    token: alice,
    body: { type: 'group', name: 'Chat' },
  });
  return created.body.token;
}
const post = (conversation: string, message: string, referenceId: string, token = alice) =>
  call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, conversation), {
    token,
    body: { message, referenceId },
  });
const list = (conversation: string, query = '') =>
  call<ChatMessage[]>(server, 'GET', `${conversationPath(Routes.messages, conversation)}${query}`, { token: alice });

describe('messages', () => {
  it('stores a message and lists it', async () => {
    const conversation = await newConversation();
    const posted = await post(conversation, 'Hello 👋', 'ref-1');
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({
      conversation,
      actorId: 'alice',
      actorDisplayName: 'Alice',
      message: 'Hello 👋',
      referenceId: 'ref-1',
    });
    expect(Number.isInteger(posted.body.id)).toBe(true);
    expect((await list(conversation)).body).toEqual([posted.body]);
  });

  it('returns the first message again, with 200, when a send is retried with its reference id', async () => {
    const conversation = await newConversation();
    const first = await post(conversation, 'once', 'retry-me');
    const retry = await post(conversation, 'once', 'retry-me');
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect((await list(conversation)).body).toHaveLength(1);
  });

  it('refuses a message longer than MAX_MESSAGE_LENGTH with 413 too-large, but takes one of exactly that length', async () => {
    const conversation = await newConversation();
    const tooLong = await post(conversation, 'x'.repeat(MAX_MESSAGE_LENGTH + 1), 'big');
    expect(tooLong).toEqual({
      status: 413,
      body: { status: 413, code: ErrorCode.TooLarge, message: expect.any(String) },
    });
    // Astral characters are two UTF-16 units but one character each.
    expect((await post(conversation, '😀'.repeat(MAX_MESSAGE_LENGTH), 'max')).status).toBe(201);
  });

  it('answers health checks promptly while messages of the worst shape for mention parsing are posted', async () => {
    const conversation = await newConversation();
    // Each `@` of `.@.@.@…` once made the parser run to the end of the text and back: a second per message,
    // during which the whole instance waited.
    const worst = '.@'.repeat(MAX_MESSAGE_LENGTH / 2);
    let posting = true;
    const latencies: number[] = [];
    const checks = (async () => {
      while (posting) {
        const started = performance.now();
        expect((await call(server, 'GET', Routes.health)).status).toBe(200);
        latencies.push(performance.now() - started);
      }
    })();
    const posts = await Promise.all(Array.from({ length: 8 }, (_, n) => post(conversation, worst, `worst-${n}`)));
    posting = false;
    await checks;
    expect(posts.map((answer) => answer.status)).toEqual(Array(8).fill(201));
    expect(latencies.length).toBeGreaterThan(0);
    // Generous: a check takes tens of milliseconds here; one parse of the old kind alone blocked for over a second.
    expect(Math.max(...latencies)).toBeLessThan(500);
  });

  it('refuses a body over the 1 MiB HTTP limit with 413 too-large too', async () => {
    const conversation = await newConversation();
    const answer = await post(conversation, 'x'.repeat(2 * 1024 * 1024), 'huge');
    expect(answer).toEqual({
      status: 413,
      body: { status: 413, code: ErrorCode.TooLarge, message: expect.any(String) },
    });
  });

  it('hides messages from non-participants and refuses their posts with 404', async () => {
    const conversation = await newConversation();
    expect((await post(conversation, 'intruder', 'r', bob)).status).toBe(404);
    const read = await call(server, 'GET', conversationPath(Routes.messages, conversation), { token: bob });
    expect(read.status).toBe(404);
  });

  it('pages forward with after and returns the newest page, oldest first, without it', async () => {
    const conversation = await newConversation();
    const ids: number[] = [];
    for (let i = 1; i <= 7; i++) ids.push((await post(conversation, `m${i}`, `r${i}`)).body.id);
    const texts = (messages: ChatMessage[]) => messages.map((m) => m.message);

    expect(texts((await list(conversation, '?limit=3')).body)).toEqual(['m5', 'm6', 'm7']);
    expect(texts((await list(conversation, `?after=${ids[1]}&limit=3`)).body)).toEqual(['m3', 'm4', 'm5']);
    expect(texts((await list(conversation, `?after=${ids[6]}`)).body)).toEqual([]);
    expect((await list(conversation, '?limit=0')).status).toBe(400);
  });

  it('pushes a new message as chat-message to every joined session, once', async () => {
    const conversation = await newConversation();
    const [mine, other] = await Promise.all([TestSocket.connect(server, alice), TestSocket.connect(server, alice)]);
    await mine.join(conversation);
    await other.join(conversation);

    const posted = await post(conversation, 'pushed', 'push-1');
    for (const socket of [mine, other]) {
      expect(await socket.next('chat-message')).toEqual({ type: 'chat-message', conversation, message: posted.body });
    }
    await post(conversation, 'pushed', 'push-1'); // a retry is not news
    await other.roundTrip();
    expect(other.pending('chat-message')).toEqual([]);
    await Promise.all([mine.close(), other.close()]);
  });
});
