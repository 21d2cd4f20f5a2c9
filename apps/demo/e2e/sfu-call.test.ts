import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoUser, joinCall, openDemo, type Stack, startStack, waitForRemoteVideo } from './stack.js';

describe('the demo on a call through livekit-server', () => {
  let stack: Stack;
  let alice: DemoUser;
  let bob: DemoUser;

  beforeAll(async () => {
    stack = await startStack({ sfu: true });
    alice = await openDemo(stack, 'alice', { topology: 'sfu' });
    bob = await openDemo(stack, 'bob', { topology: 'sfu' });
  });

  afterAll(async () => {
    await Promise.all([alice?.browser.close(), bob?.browser.close()]);
    await stack?.stop();
  });

  it("lets each user receive and decode the other's camera through the SFU", async () => {
    await joinCall(alice);
    await joinCall(bob);
    const [seenByAlice, seenByBob] = await Promise.all([waitForRemoteVideo(alice, 1), waitForRemoteVideo(bob, 1)]);
    expect(seenByAlice[0]!.framesDecoded).toBeGreaterThan(0);
    expect(seenByBob[0]!.framesDecoded).toBeGreaterThan(0);
    const topology = await alice.page.evaluate(() => {
      const element = document.querySelector('#talk talk-call') as
        | (HTMLElement & { call?: { topology?: string } })
        | null;
      return element?.call?.topology;
    });
    expect(topology).toBe('sfu');

    // The media really crosses livekit-server: its own API lists both callers in the conversation's room.
    const livekit = stack.livekit!;
    const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    const [room] = await rooms.listRooms();
    const identities = (await rooms.listParticipants(room!.name)).map((participant) => participant.identity).sort();
    expect(identities).toEqual([seenByAlice[0]!.sessionId, seenByBob[0]!.sessionId].sort());
  });
});
