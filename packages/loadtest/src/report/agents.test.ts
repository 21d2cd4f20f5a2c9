import { describe, expect, it } from 'vitest';
import type { ParticipantSummary, RunResult } from '../run/types.js';
import { mergeRuns } from './document.js';
import { agentsTable, runsTable } from './markdown.js';

function participant(index: number, agent: string | undefined, upVideoMbps: number): ParticipantSummary {
  return {
    participant: index,
    agent,
    upVideoMbps,
    downVideoMbps: upVideoMbps,
    upAudioMbps: 0,
    downAudioMbps: 0,
    modelUpMbps: 2,
    modelDownMbps: 2,
    cpuPercent: 20,
    memoryMiB: 200,
    framesEncodedPerSecond: 10,
    framesDecodedPerSecond: 10,
    freezes: 0,
    bandwidthLimited: 0,
    cpuLimited: 0,
    rttMs: 1,
    loss: 0,
  };
}

function run(agents?: RunResult['agents']): RunResult {
  const rates = { upVideoMbps: 2, downVideoMbps: 2, upAudioMbps: 0, downAudioMbps: 0 };
  return {
    topology: 'mesh',
    effectiveTopology: 'mesh',
    participants: 3,
    bitrateKbps: 1000,
    durationSeconds: 20,
    warmupSeconds: 10,
    video: { width: 320, height: 240, fps: 5 },
    tabsPerBrowser: 8,
    mean: { ...rates, modelUpMbps: 2, modelDownMbps: 2, cpuPercent: 20, memoryMiB: 200 },
    ratio: { up: 1, down: 1 },
    uplinkSpread: 1,
    bandwidthLimited: 0,
    cpuLimited: 0,
    machineCpuPercent: 50,
    agents,
    perParticipant: agents
      ? [participant(0, 'lab-1', 1.9), participant(1, 'lab-2', 1.5), participant(2, 'lab-1', 2.1)]
      : [participant(0, undefined, 2), participant(1, undefined, 2), participant(2, undefined, 2)],
    timeline: [],
  };
}

describe('a report of runs over agents', () => {
  const spread = run([
    { agent: 'lab-1', participants: [0, 2], network: 'LAN', machineCpuPercent: 61 },
    { agent: 'lab-2', participants: [1], machineCpuPercent: 33 },
  ]);

  it('keeps a run over agents beside the local run of the same n, and labels it', () => {
    const merged = mergeRuns([run()], [spread]);
    expect(merged).toHaveLength(2);
    expect(runsTable(merged)).toContain('| mesh, 2 agents | none | 3 |');
    // Re-running the same cell over agents replaces it.
    expect(mergeRuns(merged, [spread])).toHaveLength(2);
  });

  it('gives each agent a row with its participants’ means and its own machine', () => {
    const rows = agentsTable([run(), spread]).split('\n').slice(2);
    expect(rows).toEqual([
      '| mesh | 3 | lab-1 | LAN | 0, 2 | 2.00 | 2.00 | 2.00/2.00 | 20 | 61 |',
      '| mesh | 3 | lab-2 | – | 1 | 1.50 | 1.50 | 2.00/2.00 | 20 | 33 |',
    ]);
  });
});
