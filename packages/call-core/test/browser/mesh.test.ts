import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserStack, join, startStack, type TestParticipant, untilFlowing } from './harness.js';

describe('mesh calls in real browsers', { timeout: 90_000 }, () => {
  let stack: BrowserStack;
  const open: TestParticipant[] = [];

  beforeAll(async () => {
    stack = await startStack({ sfu: false });
  });

  afterAll(async () => {
    for (const participant of open) await participant.close();
    await stack?.stop();
  });

  it('connects two and then three participants peer to peer, each decoding everyone else', async () => {
    const alice = await join(stack, { user: 'alice', room: 'mesh3', topology: 'auto' });
    const bob = await join(stack, { user: 'bob', room: 'mesh3', topology: 'auto' });
    open.push(alice, bob);
    await untilFlowing(alice, [bob]);
    await untilFlowing(bob, [alice]);
    const carol = await join(stack, { user: 'carol', room: 'mesh3', topology: 'auto' });
    open.push(carol);
    for (const viewer of [alice, bob, carol]) {
      const others = [alice, bob, carol].filter((p) => p !== viewer);
      const snapshot = await untilFlowing(viewer, others);
      expect(snapshot.topology).toBe('mesh');
      // Without an SFU the server keeps the call mesh; nobody started a switch.
      expect(snapshot.events.filter((e) => e.startsWith('switch'))).toEqual([]);
      await untilFlowing(viewer, others, 'audioPackets');
    }
    // The per-second statistics see the video arrive, with a round-trip time, from each of the others.
    const rates = await alice.until(
      (s) => s.rates.length === 2 && s.rates.every((r) => r.videoBitrateDown > 0 && r.roundTripTime !== undefined),
      'per-second rates from bob and carol',
    );
    expect(rates.rates.map((r) => r.quality)).not.toContain('unknown');
  });

  it('tells the others about a muted camera and microphone, a raised hand, and a screen share', async () => {
    const [alice, bob, carol] = open as [TestParticipant, TestParticipant, TestParticipant];
    await alice.call('setCamera', false);
    await alice.call('setMicrophone', false);
    await alice.call('raiseHand', true);
    for (const viewer of [bob, carol]) {
      await viewer.until((s) => {
        const remote = s.remotes.find((r) => r.sessionId === alice.sessionId);
        return remote?.media.video === false && remote.media.audio === false && remote.handRaised;
      }, "alice's mute and hand");
    }
    await alice.until((s) => s.localHandRaised, 'her own hand echoed');

    await bob.call('shareScreen', true);
    await untilFlowing(alice, [bob], 'screenFrames');
    await untilFlowing(carol, [bob], 'screenFrames');
    const withShare = await carol.snapshot();
    expect(withShare.remotes.find((r) => r.sessionId === bob.sessionId)?.media.screen).toBe(true);
    // The camera keeps flowing beside the share.
    await untilFlowing(carol, [bob], 'cameraFrames');

    await bob.call('shareScreen', false);
    await carol.until(
      (s) => !s.remotes.find((r) => r.sessionId === bob.sessionId)?.sources.includes('screen'),
      "bob's share to end",
    );
    await alice.call('setCamera', true);
    await alice.call('setMicrophone', true);
    await bob.until(
      (s) => s.remotes.find((r) => r.sessionId === alice.sessionId)?.media.video === true,
      "alice's camera back",
    );
    await untilFlowing(bob, [alice]);
  });
});
