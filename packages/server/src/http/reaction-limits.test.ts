import { type ChatMessage, conversationPath, ErrorCode, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { checkReaction } from '../chat/chat.js';
import { call, conversationOf, login, startTestServer } from '../testing/harness.js';

describe('checkReaction', () => {
  it('takes one emoji, however many code points it has, and refuses text or two emoji', () => {
    for (const one of ['👍', '❤️', '❤', '👍🏽', '👩‍👩‍👧', '🇫🇷', '1️⃣', '🏳️‍🌈'])
      expect(() => checkReaction(one)).not.toThrow();
    for (const bad of ['+1', 'like', '👍👍', '👍 ', 'a👍', '🇫', '\u200d', '', '<b>']) {
      expect(() => checkReaction(bad), bad).toThrow(/one emoji/);
    }
  });
});

let server: TalkServer;
let alice: string;
beforeAll(async () => {
  server = await startTestServer({ maxReactionsPerMessage: 2 });
  alice = await login(server, 'alice', 'Alice');
});
afterAll(() => server.close());

describe('reactions', () => {
  it('refuses a reaction that is not one emoji with 400, and a third one of one user on one message with 409', async () => {
    const token = await conversationOf(server, alice, []);
    const posted = await call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, token), {
      token: alice,
      body: { message: 'react to me', referenceId: 'r' },
    });
    const path = conversationPath(Routes.reactions, token, { messageId: posted.body.id });
    const react = (reaction: string, method = 'POST') =>
      call<{ code?: string }>(server, method, path, { token: alice, body: { reaction } });
    expect((await react('not an emoji')).body.code).toBe(ErrorCode.InvalidRequest);
    expect((await react('👍👍')).status).toBe(400);
    expect((await react('👍')).status).toBe(201);
    expect((await react('🎉')).status).toBe(201);
    const third = await react('🚀');
    expect([third.status, third.body.code]).toEqual([409, ErrorCode.QuotaExceeded]);
    // Giving one again that is already there is no new reaction, and taking one back makes room.
    expect((await react('👍')).status).toBe(200);
    expect((await react('🎉', 'DELETE')).status).toBe(200);
    expect((await react('🚀')).status).toBe(201);
    const list = await call<Record<string, unknown[]>>(server, 'GET', path, { token: alice });
    expect(Object.keys(list.body).sort()).toEqual(['👍', '🚀'].sort());
  });

  it('holds the cap against reactions in parallel: of six different ones at once, two are given', async () => {
    const token = await conversationOf(server, alice, []);
    const posted = await call<ChatMessage>(server, 'POST', conversationPath(Routes.messages, token), {
      token: alice,
      body: { message: 'react to me at once', referenceId: 'parallel' },
    });
    const path = conversationPath(Routes.reactions, token, { messageId: posted.body.id });
    const answers = await Promise.all(
      ['👍', '🎉', '🚀', '❤️', '👀', '😂'].map((reaction) =>
        call(server, 'POST', path, { token: alice, body: { reaction } }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 409, 409, 409, 409]);
    const list = await call<Record<string, unknown[]>>(server, 'GET', path, { token: alice });
    expect(Object.keys(list.body)).toHaveLength(2);
  });
});
