import { shapingLabel } from '../network/shaping.js';
import { mediaLabel, type RunResult } from '../run/types.js';
import { bandwidthLimits, LIMITED_SHARE } from './bandwidth-limit.js';
import type { K6Result } from './document.js';

const fixed = (value: number | null | undefined, digits = 2) => (value == null ? '–' : value.toFixed(digits));
const percent = (value: number) => `${Math.round(value * 100)} %`;

/** One row per run: the per-participant means against the model. */
export function runsTable(runs: readonly RunResult[]): string {
  const lines = [
    '| topology | network | n | up Mbit/s | model | up ratio | down Mbit/s | model | down ratio | up max/min | audio up/down | CPU %/participant | MiB/participant | limited bw/cpu | machine CPU % | server CPU % | livekit CPU % |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const run of runs) {
    const asked = [run.topology, mediaLabel(run)].filter(Boolean).join(', ');
    const topology = run.topology === run.effectiveTopology ? asked : `${asked} (${run.effectiveTopology})`;
    lines.push(
      `| ${topology} | ${shapingLabel(run.shaping)} | ${run.participants} | ${fixed(run.mean.upVideoMbps)} | ${fixed(run.mean.modelUpMbps)} | ${fixed(run.ratio.up)} | ${fixed(run.mean.downVideoMbps)} | ${fixed(run.mean.modelDownMbps)} | ${fixed(run.ratio.down)} | ${fixed(run.uplinkSpread)} | ${fixed(run.mean.upAudioMbps, 3)}/${fixed(run.mean.downAudioMbps, 3)} | ${fixed(run.mean.cpuPercent, 0)} | ${fixed(run.mean.memoryMiB, 0)} | ${percent(run.bandwidthLimited)}/${percent(run.cpuLimited)} | ${fixed(run.machineCpuPercent, 0)} | ${fixed(run.server?.cpuPercent, 1)} | ${fixed(run.livekit?.cpuPercent, 1)} |`,
    );
  }
  return lines.join('\n');
}

/**
 * One row per upload cap (and topology and bitrate): the n from which the mesh model exceeds the cap, the first n
 * measured whose outbound video was limited by bandwidth, and each n's share of limited participant-seconds.
 */
export function bandwidthLimitTable(runs: readonly RunResult[]): string {
  const lines = [
    `| topology | network | b kbit/s | clip | model exceeds cap from n | bandwidth-limited from n (≥ ${percent(LIMITED_SHARE)} of participant-seconds) | limited share by n | up Mbit/s by n |`,
    '|---|---|--:|---|--:|--:|---|---|',
  ];
  for (const limit of bandwidthLimits(runs)) {
    const measured = limit.byParticipants.at(-1)?.participants;
    lines.push(
      `| ${limit.topology} | ${limit.network} | ${limit.bitrateKbps} | ${limit.clip} | ${limit.modelFrom ?? '–'} | ${limit.measuredFrom ?? `none up to ${measured}`} | ${limit.byParticipants.map((p) => `${p.participants}: ${percent(p.bandwidthLimited)}`).join(', ')} | ${limit.byParticipants.map((p) => `${p.participants}: ${fixed(p.upVideoMbps)}`).join(', ')} |`,
    );
  }
  return lines.join('\n');
}

/** One row per k6 run. */
export function k6Table(results: readonly K6Result[]): string {
  const lines = [
    '| sessions | storage | room size | msg/s | held s | joined | connect p50/p95/p99 ms | fan-out p50/p95/p99 ms | deliveries | error rate | errors by kind | server CPU % | server MiB | KiB/session (RSS, heap) | memory growth | thresholds |',
    '|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|---|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.sessions} | ${r.storage ?? 'pglite'}${r.provision === 'setup' ? ' (provisioned)' : ''} | ${r.roomSize} | ${r.messagesPerSecond} | ${r.durationSeconds} | ${r.sessionsJoined} | ${fixed(r.connectMs.p50, 0)}/${fixed(r.connectMs.p95, 0)}/${fixed(r.connectMs.p99, 0)} | ${fixed(r.fanoutMs.p50, 1)}/${fixed(r.fanoutMs.p95, 1)}/${fixed(r.fanoutMs.p99, 1)} | ${r.deliveries} | ${(r.errorRate * 100).toFixed(2)} % | ${errorKinds(r)} | ${fixed(r.server?.cpuPercent, 0)} | ${fixed(r.server?.memoryMiB, 0)} | ${r.memory ? `${fixed(r.memory.perSessionKiB, 1)}, ${fixed(r.memory.heapPerSessionKiB, 1)}` : '–'} | ${r.memory ? `${(r.memory.growth * 100).toFixed(1)} %` : '–'} | ${r.passed ? 'pass' : `fail: ${r.failedThresholds.join(', ')}`} |`,
    );
  }
  return lines.join('\n');
}

/** The errors of a k6 run by kind, the ones that occurred: "lost 12, post 3"; "none", or "–" for older runs. */
function errorKinds(r: K6Result): string {
  if (!r.errorsByKind) return '–';
  const kinds = Object.entries(r.errorsByKind).filter(([, count]) => count > 0);
  const retried = r.postRetries ? ` (${r.postRetries} posts retried)` : '';
  const closing = r.socketErrorsClosing ? `; ${r.socketErrorsClosing} socket errors while closing at the end` : '';
  return `${kinds.length ? kinds.map(([kind, count]) => `${kind} ${count}`).join(', ') : 'none'}${retried}${closing}`;
}

/** One row per agent of each run spread over agents: its participants' means against the model, and its machine. */
export function agentsTable(runs: readonly RunResult[]): string {
  const lines = [
    '| topology | n | agent | its network | participants | up Mbit/s | down Mbit/s | model up/down | CPU %/participant | agent machine CPU % |',
    '|---|--:|---|---|---|--:|--:|--:|--:|--:|',
  ];
  for (const run of runs) {
    for (const share of run.agents ?? []) {
      const mine = run.perParticipant.filter((p) => p.agent === share.agent);
      const avg = (pick: (p: (typeof mine)[number]) => number) =>
        mine.reduce((s, p) => s + pick(p), 0) / (mine.length || 1);
      lines.push(
        `| ${run.topology} | ${run.participants} | ${share.agent} | ${share.network ?? '–'} | ${share.participants.join(', ')} | ${fixed(avg((p) => p.upVideoMbps))} | ${fixed(avg((p) => p.downVideoMbps))} | ${fixed(avg((p) => p.modelUpMbps))}/${fixed(avg((p) => p.modelDownMbps))} | ${fixed(
          avg((p) => p.cpuPercent),
          0,
        )} | ${fixed(share.machineCpuPercent, 0)} |`,
      );
    }
  }
  return lines.join('\n');
}
