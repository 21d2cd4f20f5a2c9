import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserStack, join, startStack, type TestParticipant, untilFlowing } from './harness.js';

// The server's default thresholds (SFU from 5, mesh again at 3), with a short delay before going back to mesh.
const topology = { sfuFrom: 5, meshAtMost: 3, downgradeDelayMs: 1_000 };

describe('a call that grows onto the SFU and shrinks back to mesh', { timeout: 180_000 }, () => {
  let stack: BrowserStack;
  const everyone: TestParticipant[] = [];

  beforeAll(async () => {
    stack = await startStack({ sfu: true, topology });
  });

  afterAll(async () => {
    for (const participant of everyone) await participant.close();
    await stack?.stop();
  });

  /** LiveKit signaling connections a participant opened so far. */
  const livekitSockets = (participant: TestParticipant) =>
    participant.webSockets.filter((url) => url.startsWith(`${stack.livekit!.url}/`)).length;

  /**
   * For each remote of `viewer` that the last switch to `topology` moved, the old path closed no earlier than the
   * new path's camera was shown: the order of call-core's own switch steps.
   */
  async function closedAfterShown(viewer: TestParticipant, topology: string, remotes: TestParticipant[]) {
    const marks = await viewer.call('switchMarks', 0);
    const decided = marks.filter((m) => m.phase === 'decided' && m.to === topology).at(-1);
    expect(decided, `${viewer.user} decided ${topology}`).toBeDefined();
    const since = marks.filter((m) => m.at >= decided!.at);
    for (const remote of remotes) {
      const swapped = since.find(
        (m) => m.phase === 'swapped' && m.sessionId === remote.sessionId && m.source === 'camera',
      );
      const closed = since.find((m) => m.phase === 'peerClosed' && m.sessionId === remote.sessionId);
      expect(swapped, `${viewer.user} swapped ${remote.user}'s camera`).toBeDefined();
      expect(closed, `${viewer.user} closed the old path to ${remote.user}`).toBeDefined();
      expect(closed!.at).toBeGreaterThanOrEqual(swapped!.at);
    }
  }

  /** Every participant in `group` settles on `wanted` and decodes every other one's camera. */
  async function settle(group: TestParticipant[], wanted: string): Promise<void> {
    for (const viewer of group) {
      await viewer.until(
        (s) => s.topology === wanted && s.switchingTo === null,
        `${wanted} for ${viewer.user}`,
        45_000,
      );
      await untilFlowing(
        viewer,
        group.filter((other) => other !== viewer),
        'cameraFrames',
        45_000,
      );
    }
  }

  it('moves to the SFU when a fifth joins, keeping participants and a screen share', async () => {
    for (const user of ['alice', 'bob', 'carol', 'dave']) {
      everyone.push(await join(stack, { user, room: 'grow', topology: 'auto' }));
    }
    const [alice, bob, carol, dave] = everyone as [TestParticipant, TestParticipant, TestParticipant, TestParticipant];
    await settle([alice, bob, carol, dave], 'mesh');
    await alice.call('shareScreen', true);
    await untilFlowing(bob, [alice], 'screenFrames');
    // One short of the SFU threshold, each has its SFU path ready beside the mesh.
    for (const viewer of [alice, bob, carol, dave]) {
      await viewer.until((s) => s.preparedFor === 'sfu', `${viewer.user}'s SFU path ready`, 45_000);
    }
    const socketsBefore = [alice, bob, carol, dave].map(livekitSockets);

    const eve = await join(stack, { user: 'eve', room: 'grow', topology: 'auto' });
    everyone.push(eve);
    await settle(everyone, 'sfu');
    // Eve's joining took the call to the SFU, so her media started there: she had no mesh to switch from.
    expect((await eve.snapshot()).events.filter((e) => e.startsWith('switch'))).toEqual([]);
    for (const viewer of [alice, bob, carol, dave]) {
      const snapshot = await viewer.snapshot();
      expect(snapshot.events).toContain('switch mesh->sfu');
      expect(snapshot.events).toContain('topology sfu grew');
      expect(snapshot.events.filter((e) => e.startsWith('error'))).toEqual([]);
      // The same participant objects, with their tracks swapped underneath.
      expect(snapshot.remotes).toHaveLength(4);
      expect(snapshot.remotes.every((remote) => remote.sameObject)).toBe(true);
      // The switch took over the SFU connection made ahead, rather than opening one.
      expect(snapshot.preparedFor).toBeNull();
      // Every mesh connection is closed: what is left is LiveKit's (a publisher and a subscriber at most).
      expect(snapshot.openPeerConnections).toBeLessThanOrEqual(2);
      expect(snapshot.openPeerConnections).toBeGreaterThanOrEqual(1);
      await closedAfterShown(
        viewer,
        'sfu',
        [alice, bob, carol, dave].filter((other) => other !== viewer),
      );
    }
    expect([alice, bob, carol, dave].map(livekitSockets)).toEqual(socketsBefore);
    for (const viewer of [bob, carol, dave, eve]) await untilFlowing(viewer, [alice], 'screenFrames');

    // A mute on the SFU reaches the others too.
    await carol.call('setMicrophone', false);
    await dave.until(
      (s) => s.remotes.find((r) => r.sessionId === carol.sessionId)?.media.audio === false,
      "carol's mute",
    );
    await carol.call('setMicrophone', true);
  });

  it('goes back to mesh when participants leave, the share still seen', async () => {
    const [alice, bob, carol, dave, eve] = everyone as [
      TestParticipant,
      TestParticipant,
      TestParticipant,
      TestParticipant,
      TestParticipant,
    ];
    await eve.call('leave');
    await dave.call('leave');
    // At 3 in the call, after the delay.
    await settle([alice, bob, carol], 'mesh');
    for (const viewer of [alice, bob, carol]) {
      const snapshot = await viewer.snapshot();
      expect(snapshot.events).toContain('switch sfu->mesh');
      expect(snapshot.events).toContain('topology mesh shrank');
      expect(snapshot.remotes.map((r) => r.sessionId).sort()).toEqual(
        [alice, bob, carol]
          .filter((p) => p !== viewer)
          .map((p) => p.sessionId)
          .sort(),
      );
      expect(snapshot.remotes.every((remote) => remote.sameObject)).toBe(true);
      // The SFU room is left: only the two mesh connections are open.
      expect(snapshot.openPeerConnections).toBe(2);
      await closedAfterShown(
        viewer,
        'mesh',
        [alice, bob, carol].filter((other) => other !== viewer),
      );
    }
    await untilFlowing(bob, [alice], 'screenFrames');
    await untilFlowing(carol, [alice], 'screenFrames');
  });

  it('moves to the SFU again and back, repeatedly', async () => {
    const [alice, bob, carol] = everyone as [TestParticipant, TestParticipant, TestParticipant];
    const dave = everyone[3]!;
    const eve = everyone[4]!;
    await dave.call('join', { user: 'dave', room: 'grow', topology: 'auto' });
    await eve.call('join', { user: 'eve', room: 'grow', topology: 'auto' });
    await settle([alice, bob, carol], 'sfu');
    await untilFlowing(bob, [alice], 'screenFrames');
    await eve.call('leave');
    await dave.call('leave');
    await settle([alice, bob, carol], 'mesh');
    await untilFlowing(carol, [alice], 'screenFrames');
    const events = (await bob.snapshot()).events.filter((e) => e.startsWith('switch'));
    expect(events).toEqual(['switch mesh->sfu', 'switch sfu->mesh', 'switch mesh->sfu', 'switch sfu->mesh']);
  });
});
