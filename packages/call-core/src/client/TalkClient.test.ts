import type { TalkServer } from '@talk/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, demoConversation, startServer, until } from '../../test/server.js';
import { ClientEvent, ConnectionState } from './events.js';
import type { WebSocketLike } from './SignalingConnection.js';

describe('TalkClient against a real server', () => {
  let server: TalkServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it('re-joins its conversations under a new session after a dropped socket', async () => {
    const sockets: WebSocketLike[] = [];
    const alice = await clientFor(server, 'alice', {
      createSocket: (url) => {
        const socket = new WebSocket(url);
        sockets.push(socket);
        return socket;
      },
    });
    const bob = await clientFor(server, 'bob');
    const { token } = await demoConversation(alice, 'rejoin');
    await demoConversation(bob, 'rejoin');

    await alice.join(token);
    await bob.join(token);
    const firstSession = alice.sessionId;
    expect(bob.sessions(token).map((s) => s.sessionId)).toContain(firstSession);

    const rejoined = new Promise<string[]>((resolve) =>
      alice.once(ClientEvent.ConversationJoined, (_c, sessions, { rejoined }) => {
        if (rejoined) resolve(sessions.map((s) => s.sessionId));
      }),
    );
    sockets[0]!.close();
    const sessions = await rejoined;

    expect(alice.connectionState).toBe(ConnectionState.Connected);
    expect(alice.sessionId).not.toBe(firstSession);
    // The server lists the others present, not the joining session itself.
    expect(sessions).toEqual([bob.sessionId]);
    // Bob saw the old session go and the new one come.
    await until(() => bob.sessions(token).some((s) => s.sessionId === alice.sessionId), 'bob to see the new session');
    expect(bob.sessions(token).map((s) => s.sessionId)).not.toContain(firstSession);
    alice.close();
    bob.close();
  });

  it('turns REST failures into TalkErrors with the server code', async () => {
    const alice = await clientFor(server, 'alice');
    await expect(alice.getCallSettings('no-such-conversation')).rejects.toMatchObject({
      name: 'TalkError',
      code: 'server',
      status: 404,
      serverCode: 'not-found',
    });
  });
});
