import { type ChatMessage, type Conversation, conversationPath, Routes, systemParametersOf } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, conversationOf, login, startTestServer, TestSocket } from '../testing/harness.js';

let server: TalkServer;
let alice: string;
beforeAll(async () => {
  server = await startTestServer();
  alice = await login(server, 'alice', 'Alice');
  await login(server, 'bob', 'Bob');
});
afterAll(() => server.close());

const bob = { id: 'bob', displayName: 'Bob' };

describe('system message parameters', () => {
  it('names the second person, the old and new name and the permissions, pushed, listed and stored', async () => {
    const token = await conversationOf(server, alice, []);
    const socket = await TestSocket.connect(server, alice);
    await socket.join(token);
    const pushed = async () => {
      const { message } = await socket.next('system-message');
      return { systemType: message.systemType, systemParameters: message.systemParameters };
    };
    const act = async (method: string, route: string, body?: unknown, params: Record<string, string> = {}) => {
      const answer = await call(server, method, conversationPath(route, token, params), { token: alice, body });
      expect(answer.status).toBeLessThan(300);
      return pushed();
    };
    const participant = { userId: 'bob' };

    const expected = [
      { systemType: 'conversation-renamed', systemParameters: { oldName: 'Test', newName: 'Planning' } },
      { systemType: 'user-added', systemParameters: { user: bob } },
      { systemType: 'moderator-promoted', systemParameters: { user: bob } },
      { systemType: 'moderator-demoted', systemParameters: { user: bob } },
      { systemType: 'permissions-changed', systemParameters: { user: bob, permissions: 33 } },
      { systemType: 'user-removed', systemParameters: { user: bob } },
    ];
    const got = [
      await act('PATCH', Routes.conversation, { name: 'Planning' }),
      await act('POST', Routes.participants, { userId: 'bob', displayName: 'Bob' }),
      await act('PATCH', Routes.participant, { role: 'moderator' }, participant),
      await act('PATCH', Routes.participant, { role: 'user' }, participant),
      await act('PATCH', Routes.participant, { permissions: 33 }, participant),
      await act('DELETE', Routes.participant, undefined, participant),
    ];
    expect(got).toEqual(expected);

    // Read back from the store: the history, and the conversation's last message.
    const listed = await call<ChatMessage[]>(server, 'GET', `${conversationPath(Routes.messages, token)}?system=true`, {
      token: alice,
    });
    expect(listed.body.map(({ systemType, systemParameters }) => ({ systemType, systemParameters }))).toEqual([
      // Types whose wording needs only the actor carry none.
      { systemType: 'conversation-created', systemParameters: null },
      ...expected,
    ]);
    const renamed = listed.body.find((m) => m.systemType === 'conversation-renamed')!;
    expect(systemParametersOf(renamed, 'conversation-renamed')?.newName).toBe('Planning');
    expect(systemParametersOf(renamed, 'user-added')).toBeUndefined();
    const mine = await call<Conversation[]>(server, 'GET', Routes.conversations, { token: alice });
    expect(mine.body.find((c) => c.token === token)?.lastMessage).toMatchObject({
      systemType: 'user-removed',
      systemParameters: { user: bob },
    });
    await socket.close();
  });
});
