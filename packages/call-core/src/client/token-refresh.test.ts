import { Routes, type TokenResponse } from '@talk/protocol';
import { createTalkServer, type TalkServer, TokenService } from '@talk/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OBJECTS, demoConversation, until } from '../../test/server.js';
import { ClientEvent, ConnectionState } from './events.js';
import type { WebSocketLike } from './SignalingConnection.js';
import { TalkClient } from './TalkClient.js';
import { tokenExpiresAt, watchTokenExpiry } from './token-expiry.js';

const SECRET = 'token-refresh-test-secret-of-some-length';

describe('refreshing a TalkClient token against a real server', () => {
  let server: TalkServer;
  const tokens = new TokenService(SECRET);
  beforeAll(async () => {
    server = await createTalkServer({
      port: 0,
      storage: { kind: 'pglite', dataDir: 'memory://' },
      devMode: true,
      jwtSecret: SECRET,
    });
  });
  afterAll(() => server?.close());

  const devToken = async (userId: string, displayName: string) => {
    const response = await fetch(server.url + Routes.devTokens, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, displayName, objects: DEMO_OBJECTS }),
    });
    return ((await response.json()) as TokenResponse).token;
  };

  it('warns before the token expires, then uses the new one for the next request and the next hello', async () => {
    // A token with 61 s to live and a 60 s lead: TokenExpiring comes after about a second.
    const { token: first } = await tokens.issue(
      { userId: 'carol', displayName: 'Carol', objects: [{ pattern: 'demo:*', types: ['public'] }] },
      61,
    );
    const sockets: WebSocket[] = [];
    const hellos: string[] = [];
    const refreshes: string[] = [];
    const client = new TalkClient({
      serverUrl: server.url,
      token: first,
      backoff: { initialDelayMs: 20, maxDelayMs: 100 },
      createSocket: (url): WebSocketLike => {
        const socket = new WebSocket(url);
        const send = socket.send.bind(socket);
        socket.send = (data: string) => {
          const message = JSON.parse(data) as { type: string; token?: string };
          if (message.type === 'hello') hellos.push(message.token ?? '');
          if (message.type === 'token') refreshes.push(message.token ?? '');
          send(data);
        };
        sockets.push(socket);
        return socket;
      },
    });
    // Listening from the start: the warning may come while the conversation is still being joined.
    const expiring = new Promise<Date>((resolve) => client.once(ClientEvent.TokenExpiring, resolve));
    const started = Date.now();
    const { token: conversation } = await demoConversation(client, 'token-refresh');
    await client.join(conversation);
    const expiresAt = await expiring;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(expiresAt.getTime()).toBe(tokenExpiresAt(first));

    // Same user, another display name: the server's answer shows which token a request carried.
    const second = await devToken('carol', 'Carol Renewed');
    client.setToken(second);
    expect(sockets).toHaveLength(1); // nothing was torn down
    expect(client.connectionState).toBe(ConnectionState.Connected);
    const posted = await client.postMessage(conversation, { message: 'after the refresh', referenceId: 'r1' });
    expect(posted.actorDisplayName).toBe('Carol Renewed');
    // The open socket got the new token too, so the server does not close it when the first one expires.
    expect(refreshes).toEqual([second]);

    const rejoined = new Promise<void>((resolve) =>
      client.on(ClientEvent.ConversationJoined, (_c, _s, { rejoined }) => rejoined && resolve()),
    );
    sockets[0]!.close();
    await rejoined;
    expect(sockets).toHaveLength(2);
    await until(() => client.connectionState === ConnectionState.Connected, 'the reconnect');
    expect(hellos).toEqual([first, second]);
    client.close();
  });

  it('plans no warning for a token without exp, and none after it is replaced or the client closed', async () => {
    let calls = 0;
    const stop = watchTokenExpiry('not-a-jwt', 0, () => calls++);
    stop();
    const { token } = await tokens.issue({ userId: 'dave', displayName: 'Dave' }, 1);
    const client = new TalkClient({ serverUrl: server.url, token, tokenExpiringLeadMs: 0 });
    client.on(ClientEvent.TokenExpiring, () => calls++);
    client.setToken(await devToken('dave', 'Dave')); // twelve hours to live
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    client.close();
    expect(calls).toBe(0);
  });
});
