import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserStack, join, startStack, type TestParticipant, untilFlowing } from './harness.js';

// Firefox (Debian's ESR, driven over WebDriver BiDi) beside Chromium: the two browsers' WebRTC stacks must meet
// each other peer to peer, and LiveKit, with camera and microphone flowing both ways.
describe('calls between Chromium and Firefox', { timeout: 120_000 }, () => {
  let stack: BrowserStack;
  const open: TestParticipant[] = [];

  beforeAll(async () => {
    stack = await startStack({ sfu: true, firefox: true });
  });

  afterAll(async () => {
    for (const participant of open) await participant.close();
    await stack?.stop();
  });

  it('connects a mesh call between a Chromium and a Firefox participant, each decoding the other', async () => {
    const alice = await join(stack, { user: 'alice', room: 'ff-mesh', topology: 'mesh' });
    const bob = await join(stack, { user: 'bob', room: 'ff-mesh', topology: 'mesh' }, 'firefox');
    open.push(alice, bob);
    for (const [viewer, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const snapshot = await untilFlowing(viewer, [other]);
      expect(snapshot.topology).toBe('mesh');
      await untilFlowing(viewer, [other], 'audioPackets');
    }
    await Promise.all([alice.close(), bob.close()]);
  });

  it('connects an SFU call with a Firefox participant through livekit-server', async () => {
    const alice = await join(stack, { user: 'alice', room: 'ff-sfu', topology: 'sfu' });
    const bob = await join(stack, { user: 'bob', room: 'ff-sfu', topology: 'sfu' }, 'firefox');
    open.push(alice, bob);
    for (const [viewer, other] of [
      [bob, alice],
      [alice, bob],
    ] as const) {
      const snapshot = await untilFlowing(viewer, [other]);
      expect(snapshot.topology).toBe('sfu');
      await untilFlowing(viewer, [other], 'audioPackets');
    }
  });
});
