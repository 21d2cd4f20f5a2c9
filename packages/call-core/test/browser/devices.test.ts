import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserStack, join, startStack, type TestParticipant, untilFlowing } from './harness.js';

// Chromium's fake devices: `--use-fake-device-for-media-stream` offers a fake camera and microphone. The old track
// is stopped after each change, so frames that still arrive can only come from the new device.
describe('capture devices, active speakers and reactions in real browsers', { timeout: 120_000 }, () => {
  let stack: BrowserStack;
  let open: TestParticipant[] = [];

  beforeAll(async () => {
    stack = await startStack({ sfu: true });
  });

  afterAll(async () => {
    for (const participant of open) await participant.close();
    await stack?.stop();
  });

  /** Waits until each of two participants, both sending a tone, shows the other as the active speaker. */
  async function untilSpeaking([first, second]: [TestParticipant, TestParticipant]): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const [a, b] = [await first.snapshot(), await second.snapshot()];
      expect([null, second.sessionId]).toContain(a.activeSpeaker);
      expect([null, first.sessionId]).toContain(b.activeSpeaker);
      if (a.activeSpeaker && b.activeSpeaker) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('the two were not both shown as the active speaker');
  }

  /**
   * One hears the other as the active speaker; bob reacts; alice changes her camera, muted and not, then loses camera and
   * microphone; bob keeps decoding her throughout.
   */
  async function changeAndLose(alice: TestParticipant, bob: TestParticipant): Promise<void> {
    await untilFlowing(bob, [alice]);
    // Both send a steady tone (Chromium's fake microphone beeps in one tab of a browser only, and not always the
    // same one): each must show the other as the active speaker, through mesh receivers or LiveKit's detection.
    await untilSpeaking([alice, bob]);
    // A reaction reaches the other side beside the media, and comes back to its sender as its own.
    await bob.call('react', '👍');
    await alice.until((s) => s.reactions.includes(`${bob.sessionId} 👍`), "bob's reaction");
    expect((await bob.snapshot()).reactions).toEqual([`${bob.sessionId} 👍`]);
    const cameras = await alice.call('listDevices', 'camera');
    expect(cameras.length).toBeGreaterThan(0);
    const chosen = cameras[cameras.length - 1]!;
    const before = await alice.snapshot();

    await alice.call('setDevice', 'camera', chosen);
    const selected = await alice.snapshot();
    expect(selected.local.cameraTrack).not.toBe(before.local.cameraTrack);
    expect(selected.local.cameraDevice).toBe(chosen);
    expect(selected.events).toContain('device camera selected');
    await untilFlowing(bob, [alice]);

    // A muted camera stays muted on the new device, and the others still see it muted.
    await alice.call('setCamera', false);
    await alice.call('setDevice', 'camera', chosen);
    expect((await alice.snapshot()).local.cameraEnabled).toBe(false);
    await bob.until((s) => s.remotes.find((r) => r.sessionId === alice.sessionId)?.media.video === false, 'mute');
    await alice.call('setCamera', true);
    await bob.until((s) => s.remotes.find((r) => r.sessionId === alice.sessionId)?.media.video === true, 'unmute');
    await untilFlowing(bob, [alice]);

    const beforeLoss = await alice.snapshot();
    await alice.call('loseDevice', 'camera');
    const recovered = await alice.until(
      (s) => s.events.includes('device camera lost') && s.local.cameraTrack !== beforeLoss.local.cameraTrack,
      'the camera to fall back to the default',
    );
    expect(recovered.local.cameraEnabled).toBe(true);
    await untilFlowing(bob, [alice]);

    // A device that devicechange no longer lists counts as lost too, though its track never ended.
    const beforeUnplug = await alice.snapshot();
    await alice.call('unplugDevice', 'camera');
    await alice.until(
      (s) => s.events.filter((e) => e === 'device camera lost').length === 2,
      'the camera to fall back after devicechange',
    );
    expect((await alice.snapshot()).local.cameraTrack).not.toBe(beforeUnplug.local.cameraTrack);
    await untilFlowing(bob, [alice]);

    await alice.call('loseDevice', 'microphone');
    await alice.until((s) => s.events.includes('device microphone lost'), 'the microphone to fall back');
    await untilFlowing(bob, [alice], 'audioPackets');
    expect((await alice.snapshot()).events.filter((e) => e.startsWith('error'))).toEqual([]);
  }

  it('shows a mesh peer speaking and reacting, and sends it another or a recovered camera, which it keeps decoding', async () => {
    const alice = await join(stack, { user: 'alice', room: 'devices-mesh', topology: 'mesh', tone: true });
    const bob = await join(stack, { user: 'bob', room: 'devices-mesh', topology: 'mesh', tone: true });
    open.push(alice, bob);
    await changeAndLose(alice, bob);
    for (const participant of open) await participant.close();
    open = [];
  });

  it('shows an SFU participant speaking and reacting, and sends another or a recovered camera through the SFU', async () => {
    const alice = await join(stack, { user: 'alice', room: 'devices-sfu', topology: 'sfu', tone: true });
    const bob = await join(stack, { user: 'bob', room: 'devices-sfu', topology: 'sfu', tone: true });
    open.push(alice, bob);
    await changeAndLose(alice, bob);
  });
});
