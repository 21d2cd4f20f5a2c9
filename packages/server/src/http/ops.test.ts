import { conversationPath, ErrorCode, Routes } from '@talk/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkServer } from '../app.js';
import { call, conversationOf, login, startTestServer, TestSocket } from '../testing/harness.js';

let server: TalkServer;
let alice: string;
beforeAll(async () => {
  server = await startTestServer();
  alice = await login(server, 'alice', 'Alice');
});
afterAll(() => server.close());

describe('operations', () => {
  it('publishes an OpenAPI document generated from the route schemas', async () => {
    const answer = await call<{ openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> }>(
      server,
      'GET',
      Routes.openapi,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toMatch(/^3\./);
    const paths = Object.keys(answer.body.paths);
    for (const route of [Routes.conversations, Routes.messages, Routes.reactions, Routes.guests, Routes.sfuToken]) {
      expect(paths).toContain(route);
    }
    expect(answer.body.paths[Routes.messages]!.post!.requestBody).toBeDefined();
    expect(paths).not.toContain(Routes.signaling);
  });

  it('exposes Prometheus metrics that count requests, sessions and messages', async () => {
    const token = await conversationOf(server, alice, []);
    await call(server, 'POST', conversationPath(Routes.messages, token), {
      token: alice,
      body: { message: 'm', referenceId: 'r' },
    });
    const socket = await TestSocket.connect(server, alice);
    const response = await fetch(server.url + Routes.metrics);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(
      /talk_http_requests_total\{method="POST",route="\/api\/v1\/conversations\/:token\/messages",status="201"\} 1/,
    );
    expect(text).toMatch(/talk_chat_messages_total\{kind="comment"\} 1/);
    expect(text).toMatch(/talk_signaling_sessions 1/);
    await socket.close();
  });

  it('reports health with a database round trip', async () => {
    expect(await call(server, 'GET', Routes.health)).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('answers a token signed with another key with 401 unauthenticated', async () => {
    const { TokenService } = await import('../auth/tokens.js');
    // Dev mode without a secret signs with a per-process key, so a foreign key's token must be refused too.
    const foreign = await new TokenService('z'.repeat(40)).issue({ userId: 'alice', displayName: 'Alice' });
    const answer = await call(server, 'GET', Routes.conversations, { token: foreign.token });
    expect(answer).toMatchObject({ status: 401, body: { code: ErrorCode.Unauthenticated } });
  });
});
