import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { networkLeftovers, shapingUnavailable } from '../network/namespaces.js';
import { PAGE_DIR } from '../stack/server.js';
import { runCall } from './call-run.js';

const unshapeable = shapingUnavailable();

describe('the browser harness, end to end', () => {
  beforeAll(async () => {
    // turbo builds dependencies before tests, not this package's own page; build it when it is missing.
    if (!existsSync(`${PAGE_DIR}/index.html`)) {
      await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)) });
    }
  }, 120_000);

  it('measures a three-person mesh at 1 Mbit/s per stream within 25 % of 2 Mbit/s each way', async () => {
    const result = await runCall({
      participants: 3,
      topology: 'mesh',
      durationSeconds: 10,
      warmupSeconds: 6,
      bitrateKbps: 1000,
      // As the committed report runs: one browser, a window per participant, the clip at the rate its noise is sent.
      video: { width: 320, height: 240, fps: 5 },
      tabsPerBrowser: 3,
      audio: true,
    });
    expect(result.effectiveTopology).toBe('mesh');
    expect(result.mean.modelUpMbps).toBeCloseTo(2, 5);
    expect(result.ratio.up).toBeGreaterThan(0.75);
    expect(result.ratio.up).toBeLessThan(1.25);
    expect(result.ratio.down).toBeGreaterThan(0.75);
    expect(result.ratio.down).toBeLessThan(1.25);
    for (const participant of result.perParticipant) {
      expect(participant.framesDecodedPerSecond).toBeGreaterThan(0);
      expect(participant.cpuPercent).toBeGreaterThan(0);
    }
    expect(result.server?.memoryMiB).toBeGreaterThan(0);
  }, 150_000);

  // Firefox's fake camera plays a pattern of its own, not the noise clip, and it compresses to a fraction of the cap
  // (0.15 Mbit/s measured): this checks the harness measures Firefox, not the mesh model.
  it('measures a two-person mesh of Firefox participants: media both ways, decoded frames, CPU', async () => {
    const result = await runCall({
      participants: 2,
      topology: 'mesh',
      durationSeconds: 5,
      warmupSeconds: 3,
      bitrateKbps: 1000,
      video: { width: 320, height: 240, fps: 5 },
      tabsPerBrowser: 2,
      browser: 'firefox',
      audio: true,
    });
    expect(result.browser).toBe('firefox');
    expect(result.effectiveTopology).toBe('mesh');
    for (const participant of result.perParticipant) {
      expect(participant.upVideoMbps).toBeGreaterThan(0.02);
      expect(participant.downVideoMbps).toBeGreaterThan(0.02);
      expect(participant.upAudioMbps).toBeGreaterThan(0);
      expect(participant.framesDecodedPerSecond).toBeGreaterThan(0);
      expect(participant.cpuPercent).toBeGreaterThan(0);
    }
  }, 120_000);

  // 640×480 with noise of amplitude 28: 1 Mbit/s carries it unscaled (measured: 480p at 15 fps, no limitation), so
  // a scaled-down picture under the cap is the cap's doing. 320×240 cannot show it: VP8 never scales below 320×180.
  it.skipIf(unshapeable)(
    `keeps a two-person mesh under a 400 kbit/s upload cap, reports bandwidth as the limit, and leaves no namespace behind${unshapeable ? ` (skipped: ${unshapeable})` : ''}`,
    async () => {
      const result = await runCall({
        participants: 2,
        topology: 'mesh',
        durationSeconds: 10,
        warmupSeconds: 6,
        bitrateKbps: 1000,
        video: { width: 640, height: 480, fps: 15, noise: 28 },
        tabsPerBrowser: 1,
        audio: true,
        shaping: { uplinkKbps: 400 },
      });
      expect(result.shaping).toEqual({ uplinkKbps: 400 });
      expect(result.effectiveTopology).toBe('mesh');
      for (const participant of result.perParticipant) {
        // Payload only, so under the cap, which also carries headers; and well above nothing.
        expect(participant.upVideoMbps + participant.upAudioMbps).toBeLessThan(0.4);
        expect(participant.upVideoMbps).toBeGreaterThan(0.1);
        expect(participant.framesDecodedPerSecond).toBeGreaterThan(0);
        expect(participant.cpuPercent).toBeGreaterThan(0);
      }
      expect(result.timeline.some((row) => row.qualityLimitationReason === 'bandwidth')).toBe(true);
      expect(Math.min(...result.timeline.map((row) => row.sentFrameHeight ?? 480))).toBeLessThan(480);
      expect(await networkLeftovers()).toEqual([]);
    },
    120_000,
  );
});
