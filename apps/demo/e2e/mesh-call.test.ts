import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DemoUser,
  joinCall,
  openDemo,
  type Stack,
  sendChat,
  startStack,
  waitForChat,
  waitForRemoteVideo,
} from './stack.js';

describe('the demo on a mesh call', () => {
  let stack: Stack;
  let alice: DemoUser;
  let bob: DemoUser;

  beforeAll(async () => {
    stack = await startStack({ sfu: false });
    alice = await openDemo(stack, 'alice');
    bob = await openDemo(stack, 'bob');
  });

  afterAll(async () => {
    await Promise.all([alice?.browser.close(), bob?.browser.close()]);
    await stack?.stop();
  });

  it('shows a message typed by one user to the other', async () => {
    await sendChat(alice, 'Hello Bob, from the mesh test');
    await waitForChat(bob, 'Hello Bob, from the mesh test');
    await sendChat(bob, 'Hi Alice');
    await waitForChat(alice, 'Hi Alice');
  });

  it("lets each user receive and decode the other's camera", async () => {
    await joinCall(alice);
    await joinCall(bob);
    const [seenByAlice, seenByBob] = await Promise.all([waitForRemoteVideo(alice, 1), waitForRemoteVideo(bob, 1)]);
    expect(seenByAlice[0]!.framesDecoded).toBeGreaterThan(0);
    expect(seenByAlice[0]!.width).toBeGreaterThan(0);
    expect(seenByBob[0]!.framesDecoded).toBeGreaterThan(0);
    expect(seenByBob[0]!.sessionId).not.toBe(seenByAlice[0]!.sessionId);
  });
});
