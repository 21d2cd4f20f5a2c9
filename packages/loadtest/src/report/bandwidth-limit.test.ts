import { describe, expect, it } from 'vitest';
import type { NetworkShaping } from '../network/shaping.js';
import type { RunResult } from '../run/types.js';
import { bandwidthLimits } from './bandwidth-limit.js';
import { mergeRuns } from './document.js';
import { bandwidthLimitTable, runsTable } from './markdown.js';

function run(participants: number, bandwidthLimited: number, shaping?: NetworkShaping): RunResult {
  const rates = { upVideoMbps: participants - 1, downVideoMbps: participants - 1, upAudioMbps: 0, downAudioMbps: 0 };
  return {
    topology: 'mesh',
    effectiveTopology: 'mesh',
    participants,
    bitrateKbps: 1000,
    shaping,
    durationSeconds: 20,
    warmupSeconds: 10,
    video: { width: 640, height: 480, fps: 15, noise: 28 },
    tabsPerBrowser: 1,
    mean: { ...rates, modelUpMbps: participants - 1, modelDownMbps: participants - 1, cpuPercent: 20, memoryMiB: 300 },
    ratio: { up: 1, down: 1 },
    uplinkSpread: 1,
    bandwidthLimited,
    cpuLimited: 0,
    machineCpuPercent: 50,
    perParticipant: [],
    timeline: [],
  };
}

describe('where an upload cap starts to limit', () => {
  it('names the first n whose video was limited by bandwidth most of the time, per cap', () => {
    const runs = [
      run(2, 0, { uplinkKbps: 2500 }),
      run(3, 0.1, { uplinkKbps: 2500 }),
      run(4, 0.8, { uplinkKbps: 2500 }),
      run(5, 1, { uplinkKbps: 2500 }),
      run(2, 1, { uplinkKbps: 400 }),
      run(4, 0),
    ];
    const limits = bandwidthLimits(runs);
    expect(limits.map((limit) => [limit.uplinkKbps, limit.modelFrom, limit.measuredFrom])).toEqual([
      [2500, 4, 4],
      [400, 2, 2],
    ]);
    expect(limits[0]!.byParticipants.map((p) => p.bandwidthLimited)).toEqual([0, 0.1, 0.8, 1]);
    const table = bandwidthLimitTable(runs);
    expect(table).toContain(
      '| mesh | up ≤ 2500 kbit/s | 1000 | 640×480 15 fps noise 28 | 4 | 4 | 2: 0 %, 3: 10 %, 4: 80 %, 5: 100 % |',
    );
  });

  it('says so when no n measured was limited', () => {
    const table = bandwidthLimitTable([run(2, 0, { uplinkKbps: 9000 }), run(3, 0.2, { uplinkKbps: 9000 })]);
    expect(table).toContain('| 11 | none up to 3 |');
  });

  it('keeps runs under different caps side by side, and replaces a re-run of the same cell', () => {
    const first = [run(4, 0), run(4, 0.9, { uplinkKbps: 2500 })];
    const merged = mergeRuns(first, [run(4, 1, { uplinkKbps: 2500 }), run(4, 0.5, { uplinkKbps: 1200 })]);
    expect(merged.map((r) => [r.shaping?.uplinkKbps, r.bandwidthLimited])).toEqual([
      [undefined, 0],
      [1200, 0.5],
      [2500, 1],
    ]);
    expect(runsTable(merged).split('\n')[2]).toMatch(/^\| mesh \| none \| 4 \|/);
  });

  it('keeps a video-only run beside the same cell with audio, and labels it', () => {
    const merged = mergeRuns([run(4, 0)], [{ ...run(4, 0), audio: false, bandwidthLimited: 0.25 }]);
    expect(merged.map((r) => [r.audio, r.bandwidthLimited])).toEqual([
      [undefined, 0],
      [false, 0.25],
    ]);
    expect(runsTable(merged).split('\n')[3]).toMatch(/^\| mesh, video only \| none \| 4 \|/);
  });
});
