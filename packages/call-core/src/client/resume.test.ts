import type { TalkServer } from '@talk/server';
import { TcpProxy } from '@talk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, demoConversation, startServer, until } from '../../test/server.js';
import { ClientEvent } from './events.js';
import type { TalkClient } from './TalkClient.js';

describe('TalkClient after a killed TCP connection', () => {
  let server: TalkServer;
  let proxy: TcpProxy;
  beforeAll(async () => {
    server = await startServer();
    proxy = await TcpProxy.start(server.port);
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  it('resumes its session: the others see no leave or join, the call keeps its head count, pushes arrive once', async () => {
    // Alice's signaling goes through the proxy, whose connections the test kills; the others connect directly.
    const alice = await clientFor(server, 'alice', {
      createSocket: (url) => new WebSocket(url.replace(`:${server.port}/`, `:${proxy.port}/`)),
    });
    const others = await Promise.all(['bob', 'carol', 'dave'].map((user) => clientFor(server, user)));
    const everyone: TalkClient[] = [alice, ...others];
    const { token } = await demoConversation(alice, 'resume');
    for (const client of others) await demoConversation(client, 'resume');
    for (const client of everyone) await client.join(token);
    for (const client of everyone)
      client.send({ type: 'call-join', conversation: token, media: { audio: true, video: true } });
    const bob = others[0]!;
    await until(() => bob.sessions(token).filter((s) => s.inCall).length === 4, 'four in the call as bob sees it');

    const seenByOthers: string[] = [];
    for (const client of others) {
      client.on(ClientEvent.SessionLeft, (_c, sessionId) => seenByOthers.push(`left ${sessionId}`));
      client.on(ClientEvent.SessionJoined, (_c, session) => seenByOthers.push(`joined ${session.sessionId}`));
      client.on(ClientEvent.CallTopology, (message) => seenByOthers.push(`topology ${message.topology}`));
    }
    const aliceGot: number[] = [];
    alice.on(ClientEvent.ChatMessage, ({ message }) => aliceGot.push(message.id));
    let rejoined = false;
    alice.on(ClientEvent.ConversationJoined, () => {
      rejoined = true;
    });
    const resumed = new Promise<boolean>((resolve) =>
      alice.once(ClientEvent.Connected, (_sessionId, { resumed }) => resolve(resumed === true)),
    );
    const firstSession = alice.sessionId;
    const inCallBefore = bob
      .sessions(token)
      .filter((s) => s.inCall)
      .map((s) => s.sessionId);

    expect(proxy.kill()).toBe(true);
    const during = await bob.postMessage(token, { message: 'while alice was away', referenceId: 'away' });
    expect(await resumed).toBe(true);
    const after = await bob.postMessage(token, { message: 'after the resume', referenceId: 'after' });
    await until(() => aliceGot.includes(after.id), 'alice to get the message posted after the resume');

    expect(alice.sessionId).toBe(firstSession);
    expect(rejoined).toBe(false);
    expect(aliceGot.filter((id) => id === during.id)).toHaveLength(1);
    expect(aliceGot.filter((id) => id === after.id)).toHaveLength(1);
    // Four in the call, as before the drop: no ghost of alice's old session beside a new one.
    const inCallNow = bob
      .sessions(token)
      .filter((s) => s.inCall)
      .map((s) => s.sessionId);
    expect(inCallNow.sort()).toEqual(inCallBefore.sort());
    expect(inCallNow).toContain(firstSession);
    expect(seenByOthers).toEqual([]);
    for (const client of everyone) client.close();
  });
});
