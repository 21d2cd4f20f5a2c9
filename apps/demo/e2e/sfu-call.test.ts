import { RoomServiceClient } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { callEachOther, signedInPages } from './stack.js';

describe('the demo on a call through livekit-server', () => {
  const demo = signedInPages({ alice: { topology: 'sfu' }, bob: { topology: 'sfu' } }, { sfu: true });

  it("lets each user receive and decode the other's camera through the SFU", async () => {
    const [seenByAlice, seenByBob] = await callEachOther(demo.alice, demo.bob);
    expect(seenByAlice.framesDecoded).toBeGreaterThan(0);
    expect(seenByBob.framesDecoded).toBeGreaterThan(0);
    const topology = await demo.alice.page.evaluate(() => {
      const element = document.querySelector('#talk talk-call') as
        | (HTMLElement & { call?: { topology?: string } })
        | null;
      return element?.call?.topology;
    });
    expect(topology).toBe('sfu');

    // The media really crosses livekit-server: its own API lists both callers in the conversation's room.
    const livekit = demo.stack.livekit!;
    const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    const [room] = await rooms.listRooms();
    const identities = (await rooms.listParticipants(room!.name)).map((participant) => participant.identity).sort();
    expect(identities).toEqual([seenByAlice.sessionId, seenByBob.sessionId].sort());
  });
});
