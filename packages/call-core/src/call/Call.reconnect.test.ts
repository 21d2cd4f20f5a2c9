import type { TalkServer } from '@talk/server';
import { TcpProxy } from '@talk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTransport } from '../../test/fakes/transport.js';
import { clientFor, demoConversation, startServer, until } from '../../test/server.js';
import { ClientEvent } from '../client/events.js';
import type { TalkClient } from '../client/TalkClient.js';
import { Call } from './Call.js';
import type { Topology, TransportContext } from './transport/CallTransport.js';

// A reconnect the server cannot resume (as after its restart) makes the call start a new transport once the call
// settings are in; sessions that say call-join while those are loading must still be met on it.
describe('Call after a reconnect that was not resumed', () => {
  let server: TalkServer;
  let proxy: TcpProxy;
  beforeAll(async () => {
    // No resume grace: a dropped session ends at once, so the reconnect is a new session, as after a restart.
    server = await startServer({ resumeGraceMs: 0 });
    proxy = await TcpProxy.start(server.port);
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  it('adds a peer for a session that joined the call while the call settings were loading', async () => {
    let holdSettings: Promise<void> | undefined;
    const alice = await clientFor(server, 'alice', {
      createSocket: (url) => new WebSocket(url.replace(`:${server.port}/`, `:${proxy.port}/`)),
      // The call settings of the restart wait until the test lets them go.
      fetch: async (input, init) => {
        if (holdSettings && String(input).endsWith('/call')) await holdSettings;
        return fetch(input, init);
      },
    });
    const bob: TalkClient = await clientFor(server, 'bob');
    const { token } = await demoConversation(alice, 'reconnect');
    await demoConversation(bob, 'reconnect');
    const transports: FakeTransport[] = [];
    const call = new Call(alice, token, {
      topology: 'mesh',
      statsIntervalMs: 0,
      createTransport: (topology: Topology, context: TransportContext) => {
        const transport = new FakeTransport(topology, context);
        transport.connected();
        transports.push(transport);
        return transport;
      },
    });
    await alice.join(token);
    await call.join({ audio: false, video: false });
    await bob.join(token);

    let release = () => {};
    holdSettings = new Promise((resolve) => {
      release = resolve;
    });
    const rejoined = new Promise<void>((resolve) =>
      alice.on(ClientEvent.ConversationJoined, (_c, _s, { rejoined }) => rejoined && resolve()),
    );
    proxy.killAll();
    await rejoined;
    // Bob joins the call while alice's call is waiting for its settings.
    bob.send({ type: 'call-join', conversation: token, media: { audio: false, video: false } });
    const bobSession = bob.sessionId!;
    await until(() => alice.sessions(token).some((s) => s.sessionId === bobSession && s.inCall), 'bob in the call');
    release();
    await until(() => transports.length === 2, 'the transport after the reconnect');
    await until(() => transports[1]!.log.includes(`addPeer:${bobSession}`), 'a peer for bob on it', 5_000);
    expect(transports[0]!.closed).toBe(true);
    call.close();
    alice.close();
    bob.close();
  });
});
