// One participant's connections to the server cut mid-call (TCP reset, not a close), in real browsers: call-core
// resumes its signaling session, so the others see nobody leave or join, the call's head count stays four and the
// call stays on the mesh (counted five, it would move to the SFU), and the media keeps flowing.
import { TcpProxy } from '@talk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserStack, join, startStack, type TestParticipant, untilFlowing } from '../browser/harness.js';

describe('a socket dropped mid mesh call, in real browsers', { timeout: 180_000 }, () => {
  let stack: BrowserStack;
  let proxy: TcpProxy;
  const open: TestParticipant[] = [];

  beforeAll(async () => {
    // With an SFU at hand and the default thresholds (the SFU from five in the call), as a deployment runs.
    stack = await startStack({ sfu: true, windows: true });
    proxy = await TcpProxy.start(stack.server.port);
  });

  afterAll(async () => {
    for (const participant of open) await participant.close();
    await proxy?.close();
    await stack?.stop();
  });

  it('resumes the session: no leave or join seen, four in the call, still mesh, media flowing', async () => {
    const room = 'dropped-socket';
    for (const user of ['alice', 'bob', 'carol']) open.push(await join(stack, { user, room, topology: 'auto' }));
    // Dave reaches the server through the proxy, which can cut his connections as a network would.
    const dave = await join(
      { ...stack, url: `http://localhost:${proxy.port}/` },
      { user: 'dave', room, topology: 'auto' },
    );
    open.push(dave);
    const [alice, bob, carol] = open as [TestParticipant, TestParticipant, TestParticipant];
    for (const viewer of open)
      await untilFlowing(
        viewer,
        open.filter((other) => other !== viewer),
      );
    const before = await alice.snapshot();
    expect(before.topology).toBe('mesh');

    expect(proxy.killAll()).toBeGreaterThan(0);
    // Dave's client notices, reconnects and is welcomed back.
    const deadline = Date.now() + 30_000;
    let states: string[] = [];
    while (Date.now() < deadline) {
      states = (await dave.call('timeline')).map((event) => event.what).filter((what) => what.startsWith('connection'));
      const dropped = states.indexOf('connection reconnecting');
      if (dropped >= 0 && states.slice(dropped).includes('connection connected')) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(states.slice(states.indexOf('connection reconnecting'))).toContain('connection connected');
    const after = await dave.snapshot();
    // The same session, resumed: not a new one that the others would meet as a fifth participant.
    expect(after.localSessionId).toBe(dave.sessionId);
    for (const viewer of [alice, bob, carol]) {
      const seen = await untilFlowing(viewer, [dave]);
      const remote = seen.remotes.find((r) => r.sessionId === dave.sessionId)!;
      expect(remote.sameObject).toBe(true);
      expect(seen.remotes.map((r) => r.sessionId).sort()).toEqual(
        open
          .filter((p) => p !== viewer)
          .map((p) => p.sessionId)
          .sort(),
      );
      expect(seen.topology).toBe('mesh');
      expect(seen.events.filter((e) => e.startsWith('switch'))).toEqual([]);
    }
    await untilFlowing(dave, [alice, bob, carol]);
  });
});
