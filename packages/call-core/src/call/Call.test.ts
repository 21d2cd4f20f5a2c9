import type { TalkServer } from '@talk/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTransport } from '../../test/fakes/transport.js';
import { clientFor, demoConversation, startServer, until } from '../../test/server.js';
import type { TalkClient } from '../client/TalkClient.js';
import { TalkError, TalkErrorCode } from '../errors.js';
import { Call } from './Call.js';
import { CallState } from './events.js';
import type { Topology, TransportContext } from './transport/CallTransport.js';

// A call against a real server's signaling and REST, with fake transports and no media, so that what the facade
// itself decides (states, joins left halfway, argument checks) is tested without a browser.
describe('Call over fake transports', () => {
  let server: TalkServer;
  let client: TalkClient;
  let token: string;
  beforeAll(async () => {
    server = await startServer();
    client = await clientFor(server, 'alice');
    ({ token } = await demoConversation(client, 'call-unit'));
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  function callWith(connect: 'at-once' | 'on-demand') {
    const transports: FakeTransport[] = [];
    const call = new Call(client, token, {
      topology: 'mesh',
      statsIntervalMs: 0,
      createTransport: (topology: Topology, context: TransportContext) => {
        const transport = new FakeTransport(topology, context);
        if (connect === 'at-once') transport.connected();
        transports.push(transport);
        return transport;
      },
    });
    return { call, transports };
  }

  it('rejects a reaction before joining as InvalidState, and an empty or over-long one as InvalidArgument', async () => {
    const { call, transports } = callWith('at-once');
    const codeOf = (emoji: string) => {
      try {
        call.sendReaction(emoji);
        return null;
      } catch (error) {
        return (error as TalkError).code;
      }
    };
    expect(codeOf('👍')).toBe(TalkErrorCode.InvalidState);
    await call.join({ audio: false, video: false });
    expect(call.state).toBe(CallState.Joined);
    expect(codeOf('')).toBe(TalkErrorCode.InvalidArgument);
    expect(codeOf('x'.repeat(33))).toBe(TalkErrorCode.InvalidArgument);
    expect(codeOf('👍')).toBeNull();
    expect(transports[0]!.log.some((line) => line.startsWith('data:'))).toBe(true);
    await call.leave();
    expect(transports[0]!.closed).toBe(true);
  });

  it('backs out of a join that a leave overtook, and can join again', async () => {
    const { call, transports } = callWith('on-demand');
    const joining = call.join({ audio: false, video: false });
    await until(() => transports.length === 1, 'the transport');
    expect(call.state).toBe(CallState.Joining);
    await call.leave();
    expect(call.state).toBe(CallState.Idle);
    expect(transports[0]!.closed).toBe(true);
    transports[0]!.connected();
    const error = await joining.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TalkError);
    expect((error as TalkError).code).toBe(TalkErrorCode.Aborted);
    expect(call.state).toBe(CallState.Idle);

    const rejoining = call.join({ audio: false, video: false });
    await until(() => transports.length === 2, 'the second transport');
    transports[1]!.connected();
    await rejoining;
    expect(call.state).toBe(CallState.Joined);
    expect(transports[1]!.closed).toBe(false);
    call.close();
    expect(transports[1]!.closed).toBe(true);
  });
});
