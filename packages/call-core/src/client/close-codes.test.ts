import type { TalkServer } from '@talk/server';
import { TcpProxy } from '@talk/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startServer, until } from '../../test/server.js';
import type { TalkError } from '../errors.js';
import { ClientEvent, ConnectionState } from './events.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('TalkClient and the close codes of a real server', () => {
  // Started before the tests, whose time a loaded machine's slow PGlite start would otherwise eat.
  let capped: TalkServer;
  let graceful: TalkServer;
  beforeAll(async () => {
    [capped, graceful] = await Promise.all([
      startServer({ signalingFlow: { maxSessionsPerUser: 1 } }),
      // A resume time, and clients that ping often, so that their deadline passes first.
      startServer({ resumeGraceMs: 10_000 }),
    ]);
  });
  afterAll(async () => {
    await capped?.close();
    await graceful?.close();
  });
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('stops with a too-many-sessions error when the server closes it with 4012, and evicts no other session', async () => {
    const server = capped;
    const first = await clientFor(server, 'alice');
    const second = await clientFor(server, 'alice');
    cleanup.push(
      () => first.close(),
      () => second.close(),
    );
    const errors: TalkError[] = [];
    first.on(ClientEvent.Error, (error) => errors.push(error));
    const connects: string[] = [];
    second.on(ClientEvent.Connected, (sessionId) => connects.push(sessionId));
    await first.connect();
    await second.connect(); // one more than the server keeps: the first is closed with 4012

    await until(() => errors.length > 0, 'the first client to report the eviction');
    expect(errors.map((error) => error.code)).toEqual(['too-many-sessions']);
    expect(first.connectionState).toBe(ConnectionState.Disconnected);
    // Had it reconnected, the second would have been evicted in turn and reconnected: a loop between the two.
    await sleep(1_000);
    expect(first.connectionState).toBe(ConnectionState.Disconnected);
    expect(second.connectionState).toBe(ConnectionState.Connected);
    expect(connects).toHaveLength(1);
  });

  it('resumes its session after its ping deadline passed on a socket the server still hears', async () => {
    const server = graceful;
    const proxy = await TcpProxy.start(server.port);
    cleanup.push(() => proxy.close());
    const alice = await clientFor(server, 'alice', {
      createSocket: (url) => new WebSocket(url.replace(`:${server.port}/`, `:${proxy.port}/`)),
      pingIntervalMs: 200,
      // The link is back before the reconnect: the old socket's close handshake completes on the server first.
      backoff: { initialDelayMs: 1_500, maxDelayMs: 1_500 },
    });
    cleanup.push(() => alice.close());
    const connected: Array<{ reconnected: boolean; resumed?: boolean }> = [];
    alice.on(ClientEvent.Connected, (_sessionId, info) => connected.push(info));
    await alice.connect();
    const before = alice.sessionId;

    // Alice hears nothing more on this socket, but her close frame still reaches the server.
    expect(proxy.stallDownstream()).toBe(1);
    await until(() => alice.connectionState === ConnectionState.Reconnecting, 'alice to give up on the socket', 5_000);
    proxy.resumeDownstream();
    await until(() => connected.length === 2, 'alice to reconnect', 10_000);
    // A clean close (1000) would have ended the session at once, and the hello's resume would have failed.
    expect(connected[1]).toEqual({ reconnected: true, resumed: true });
    expect(alice.sessionId).toBe(before);
  });
});
