import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { PAGE_DIR } from '../stack/server.js';
import { runCall } from './call-run.js';

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
      video: { width: 320, height: 240, fps: 15 },
      tabsPerBrowser: 1,
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
});
