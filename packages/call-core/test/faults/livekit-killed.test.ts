// livekit-server SIGKILLed in the middle of an SFU call in real browsers: the server re-decides the call onto the
// mesh, and each page must decode the others peer to peer again within a few seconds of hearing that decision.
import { livekitAvailable } from '@talk/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserStack, join, startStack, type TestParticipant, untilFlowing } from '../browser/harness.js';

// The SFU as soon as two are in the call, and no going back to the mesh by size: only the SFU's death does that.
const topology = { sfuFrom: 2, meshAtMost: 1, downgradeDelayMs: 60_000 };
/** The bound on decision → first mesh frame: loose enough for a loaded machine, far below "the call is lost". */
const BACK_ON_MESH_MS = 15_000;

describe.runIf(livekitAvailable())('livekit-server killed mid SFU call, in real browsers', { timeout: 180_000 }, () => {
  let stack: BrowserStack;
  const pages: TestParticipant[] = [];

  beforeAll(async () => {
    stack = await startStack({ sfu: true, topology });
  });

  afterAll(async () => {
    for (const page of pages) await page.close();
    await stack?.stop();
  });

  it('returns the call to the mesh, each page decoding the others peer to peer within seconds', async () => {
    for (const user of ['alice', 'bob']) pages.push(await join(stack, { user, room: 'sfu-dies', topology: 'auto' }));
    const others = (page: TestParticipant) => pages.filter((other) => other !== page);
    for (const page of pages) {
      await page.until((s) => s.topology === 'sfu' && s.switchingTo === null, `the SFU for ${page.user}`, 45_000);
      await untilFlowing(page, others(page), 'cameraFrames', 45_000);
    }

    const killedAt = Date.now();
    stack.livekit!.process.kill('SIGKILL');
    const figures: string[] = [];
    for (const page of pages) {
      await page.until((s) => s.topology === 'mesh' && s.switchingTo === null, `the mesh for ${page.user}`, 45_000);
      const snapshot = await untilFlowing(page, others(page), 'cameraFrames', 45_000);
      expect(snapshot.events).toContain('switch sfu->mesh');
      expect(snapshot.reason).toBe('no-sfu');
      expect(snapshot.remotes.map((remote) => remote.sessionId).sort()).toEqual(
        others(page)
          .map((other) => other.sessionId)
          .sort(),
      );
      expect(snapshot.remotes.every((remote) => remote.sameObject)).toBe(true);

      // The decision is when the page heard the move start; the first mesh frame, when call-core showed the mesh
      // camera of the other (it shows a track once it decodes).
      const timeline = await page.call('timeline');
      const decidedAt = timeline.find((e) => e.at >= killedAt && e.what === 'switch sfu->mesh')?.at;
      expect(decidedAt).toBeDefined();
      for (const other of others(page)) {
        const shownAt = timeline.find((e) => e.at >= decidedAt! && e.what === `shown ${other.sessionId} camera`)?.at;
        expect(shownAt).toBeDefined();
        const ms = shownAt! - decidedAt!;
        figures.push(
          `${page.user} saw ${other.user}: kill→decision ${decidedAt! - killedAt} ms, decision→first mesh frame ${ms} ms`,
        );
        expect(ms).toBeLessThan(BACK_ON_MESH_MS);
      }
    }
    console.info(`livekit-server killed mid SFU call: ${figures.join('; ')}`);
  });
});
