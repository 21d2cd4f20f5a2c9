import { type ChatMessage, conversationPath, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTalkServer, type TalkServer } from '../app.js';
import { call, conversationOf, login, TestSocket } from '../testing/harness.js';
import { createDatabase, type LocalService, startPostgres } from '../testing/services.js';

// A PostgreSQL cluster of this test's own, which it restarts under a running server.
let postgres: LocalService;
let server: TalkServer;
beforeAll(async () => {
  postgres = await startPostgres();
  const url = await createDatabase(postgres.url, 'restart');
  server = await createTalkServer({ port: 0, storage: { kind: 'postgres', url }, devMode: true });
});
afterAll(async () => {
  await server?.close();
  await postgres?.stop();
});

describe('a PostgreSQL restart', () => {
  it('keeps every acknowledged message, and REST and signaling work again once the database is back', async () => {
    const [alice, bob] = await Promise.all([login(server, 'alice'), login(server, 'bob')]);
    const conversation = await conversationOf(server, alice, [{ userId: 'bob', displayName: 'Bob' }]);
    const messages = conversationPath(Routes.messages, conversation);
    const post = (token: string, text: string) =>
      call<ChatMessage>(server, 'POST', messages, { token, body: { message: text, referenceId: text } });
    const acknowledged: number[] = [];
    for (let i = 0; i < 5; i++) acknowledged.push((await post(alice, `before ${i}`)).body.id);
    const watcher = await TestSocket.connect(server, bob);
    await watcher.join(conversation);

    await postgres.down();
    // While it is down a write fails (and says so) rather than being acknowledged and lost.
    const during = await post(alice, 'during');
    expect(during.status).toBeGreaterThanOrEqual(500);
    await postgres.up();

    // The pool replaces its dead connections: the first requests after the restart succeed.
    let after: Awaited<ReturnType<typeof post>> | undefined;
    for (let attempt = 0; attempt < 20 && after?.status !== 201; attempt++) {
      after = await post(alice, 'after');
      if (after.status !== 201) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(after?.status).toBe(201);
    acknowledged.push(after!.body.id);
    expect((await watcher.nextWhere('chat-message', (m) => m.message.id === after!.body.id)).message.message).toBe(
      'after',
    );
    const history = await call<ChatMessage[]>(server, 'GET', `${messages}?limit=100`, { token: bob });
    expect(history.body.map((m) => m.id)).toEqual(acknowledged);
    // A new socket can say hello and join again (presence is in the database too).
    const again = await TestSocket.connect(server, alice);
    expect((await again.join(conversation)).sessions.map((s) => s.sessionId)).toContain(watcher.sessionId);
    await Promise.all([watcher.close(), again.close()]);
  });
});
