import type { TalkServer } from '@talk/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTransport } from '../../test/fakes/transport.js';
import { clientFor, demoConversation, startServer, until } from '../../test/server.js';
import type { TalkClient } from '../client/TalkClient.js';
import { Call } from './Call.js';
import { CallPresence, CallPresenceEvent, type CallStatus } from './CallPresence.js';

// The pre-join screen's "a call is running, with N": from the server's call-started/call-ended and sessions.
describe('CallPresence', () => {
  let server: TalkServer;
  let alice: TalkClient;
  let bob: TalkClient;
  let token: string;
  beforeAll(async () => {
    server = await startServer();
    alice = await clientFor(server, 'alice');
    bob = await clientFor(server, 'bob');
    ({ token } = await demoConversation(alice, 'presence'));
    await bob.joinConversation(token);
  });
  afterAll(async () => {
    alice?.close();
    bob?.close();
    await server?.close();
  });

  const callOf = (client: TalkClient) =>
    new Call(client, token, {
      topology: 'mesh',
      statsIntervalMs: 0,
      createTransport: (topology, context) => {
        const transport = new FakeTransport(topology, context);
        transport.connected();
        return transport;
      },
    });

  it('follows a call starting, growing and ending, from outside it', async () => {
    const presence = new CallPresence(alice, token);
    const seen: CallStatus[] = [];
    presence.on(CallPresenceEvent.Changed, (status) => seen.push(status));
    await presence.start();
    expect(presence.status).toEqual({ active: false, inCall: 0 });
    expect(alice.callActive(token)).toBe(false);

    const bobs = callOf(bob);
    await bobs.join({ audio: false, video: false });
    await until(() => presence.status.inCall === 1, 'bob in the call');
    expect(presence.status.active).toBe(true);
    await until(() => alice.callActive(token), 'call-started to reach alice');

    // A presence started while the call runs knows at once, from the join's answer.
    const second = new CallPresence(alice, token);
    await second.start();
    expect(second.status).toEqual({ active: true, inCall: 1 });
    second.stop();

    const alices = callOf(alice);
    await alices.join({ audio: false, video: false });
    await until(() => presence.status.inCall === 2, 'both in the call');
    await alices.leave();
    await bobs.leave();
    await until(() => !presence.status.active, 'the call to end');
    expect(alice.callActive(token)).toBe(false);
    expect(presence.status.inCall).toBe(0);
    expect(seen.some((status) => status.inCall === 2)).toBe(true);
    presence.stop();
    bobs.close();
    alices.close();
  });
});
