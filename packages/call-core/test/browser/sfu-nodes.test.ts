import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserStack, join, startStack, type TestParticipant, untilFlowing } from './harness.js';

// LiveKit's own multi-node mode: two livekit-server processes on one Redis. The Talk server sends participants to
// the nodes in turn; whichever node a participant reaches, LiveKit routes it to the node holding the room.
describe('an SFU call over two livekit-server nodes', { timeout: 120_000 }, () => {
  let stack: BrowserStack;
  const open: TestParticipant[] = [];

  beforeAll(async () => {
    stack = await startStack({ sfu: true, livekitNodes: 2, windows: true });
  });

  afterAll(async () => {
    for (const participant of open) await participant.close();
    await stack?.stop();
  });

  it('puts participants sent to different nodes in one room, each decoding the other', async () => {
    const alice = await join(stack, { user: 'alice', room: 'two-nodes', topology: 'sfu' });
    const bob = await join(stack, { user: 'bob', room: 'two-nodes', topology: 'sfu' });
    open.push(alice, bob);
    await untilFlowing(bob, [alice]);
    await untilFlowing(alice, [bob]);

    // Each connected its LiveKit signal to a different node.
    const nodeOf = (participant: TestParticipant) =>
      stack.livekitNodes.findIndex((node) => participant.webSockets.some((url) => url.startsWith(`${node.url}/`)));
    expect([nodeOf(alice), nodeOf(bob)].sort()).toEqual([0, 1]);

    // Both nodes' APIs see one room, with both sessions in it.
    for (const node of stack.livekitNodes) {
      const api = new RoomServiceClient(node.httpUrl, node.apiKey, node.apiSecret);
      const rooms = await api.listRooms([alice.conversation]);
      expect(rooms.map((room) => room.name)).toEqual([alice.conversation]);
      const identities = (await api.listParticipants(alice.conversation)).map((p) => p.identity).sort();
      expect(identities).toEqual([alice.sessionId, bob.sessionId].sort());
    }
  });
});
