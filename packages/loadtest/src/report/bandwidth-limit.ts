import { FULL_NOISE } from '../media/noise-clip.js';
import { meshExceedsCapFrom, shapingLabel } from '../network/shaping.js';
import type { RunResult } from '../run/types.js';

/**
 * A run counts as limited by bandwidth when most of its measured participant-seconds were: a mesh is symmetric, so
 * its participants hit the cap together, and a stray second of ramp-up must not count.
 */
export const LIMITED_SHARE = 0.5;

/** Where one upload cap begins to hold back a topology's video. */
export interface BandwidthLimit {
  topology: string;
  /** The shaping of these runs, as reports label it. */
  network: string;
  uplinkKbps: number;
  bitrateKbps: number;
  /** The fake camera's clip, e.g. `640×480 15 fps noise 28`: whether a budget is tight depends on the picture. */
  clip: string;
  /** The n from which b × (n − 1) exceeds the cap in a mesh. */
  modelFrom: number | undefined;
  /** The first n measured whose share of bandwidth-limited participant-seconds reached {@link LIMITED_SHARE}. */
  measuredFrom: number | undefined;
  /** Every n measured, in order, with that share and the mean uplink. */
  byParticipants: { participants: number; bandwidthLimited: number; upVideoMbps: number }[];
}

/** One entry per topology, shaping and bitrate among the runs with an upload cap. */
export function bandwidthLimits(runs: readonly RunResult[]): BandwidthLimit[] {
  const groups = new Map<string, RunResult[]>();
  for (const run of runs) {
    if (run.shaping?.uplinkKbps === undefined) continue;
    const key = `${run.topology}|${shapingLabel(run.shaping)}|${run.bitrateKbps}|${clipLabel(run.video)}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => a.participants - b.participants);
    const first = sorted[0]!;
    const uplinkKbps = first.shaping!.uplinkKbps!;
    return {
      topology: first.topology,
      network: shapingLabel(first.shaping),
      uplinkKbps,
      bitrateKbps: first.bitrateKbps,
      clip: clipLabel(first.video),
      modelFrom: first.topology === 'mesh' ? meshExceedsCapFrom(first.bitrateKbps, uplinkKbps) : undefined,
      measuredFrom: sorted.find((run) => run.bandwidthLimited >= LIMITED_SHARE)?.participants,
      byParticipants: sorted.map((run) => ({
        participants: run.participants,
        bandwidthLimited: run.bandwidthLimited,
        upVideoMbps: run.mean.upVideoMbps,
      })),
    };
  });
}

/** `640×480 15 fps noise 28`; full-range noise is not named. */
export function clipLabel(video: RunResult['video']): string {
  return `${video.width}×${video.height} ${video.fps} fps${video.noise !== undefined && video.noise < FULL_NOISE ? ` noise ${video.noise}` : ''}`;
}
