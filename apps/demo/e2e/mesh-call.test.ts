import { describe, expect, it } from 'vitest';
import { callEachOther, sendChat, signedInPages, waitForChat } from './stack.js';

describe('the demo on a mesh call', () => {
  const demo = signedInPages(['alice', 'bob']);

  it('shows a message typed by one user to the other', async () => {
    await sendChat(demo.alice, 'Hello Bob, from the mesh test');
    await waitForChat(demo.bob, 'Hello Bob, from the mesh test');
    await sendChat(demo.bob, 'Hi Alice');
    await waitForChat(demo.alice, 'Hi Alice');
  });

  it("lets each user receive and decode the other's camera", async () => {
    const [seenByAlice, seenByBob] = await callEachOther(demo.alice, demo.bob);
    expect(seenByAlice.framesDecoded).toBeGreaterThan(0);
    expect(seenByAlice.width).toBeGreaterThan(0);
    expect(seenByBob.framesDecoded).toBeGreaterThan(0);
    expect(seenByBob.sessionId).not.toBe(seenByAlice.sessionId);
  });
});
