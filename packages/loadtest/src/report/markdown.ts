import type { RunResult } from '../run/types.js';
import type { K6Result } from './document.js';

const fixed = (value: number | null | undefined, digits = 2) => (value == null ? '–' : value.toFixed(digits));
const percent = (value: number) => `${Math.round(value * 100)} %`;

/** One row per run: the per-participant means against the model. */
export function runsTable(runs: readonly RunResult[]): string {
  const lines = [
    '| topology | n | up Mbit/s | model | up ratio | down Mbit/s | model | down ratio | up max/min | audio up/down | CPU %/participant | MiB/participant | limited bw/cpu | machine CPU % | server CPU % | livekit CPU % |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const run of runs) {
    const topology =
      run.topology === run.effectiveTopology ? run.topology : `${run.topology} (${run.effectiveTopology})`;
    lines.push(
      `| ${topology} | ${run.participants} | ${fixed(run.mean.upVideoMbps)} | ${fixed(run.mean.modelUpMbps)} | ${fixed(run.ratio.up)} | ${fixed(run.mean.downVideoMbps)} | ${fixed(run.mean.modelDownMbps)} | ${fixed(run.ratio.down)} | ${fixed(run.uplinkSpread)} | ${fixed(run.mean.upAudioMbps, 3)}/${fixed(run.mean.downAudioMbps, 3)} | ${fixed(run.mean.cpuPercent, 0)} | ${fixed(run.mean.memoryMiB, 0)} | ${percent(run.bandwidthLimited)}/${percent(run.cpuLimited)} | ${fixed(run.machineCpuPercent, 0)} | ${fixed(run.server?.cpuPercent, 1)} | ${fixed(run.livekit?.cpuPercent, 1)} |`,
    );
  }
  return lines.join('\n');
}

/** One row per k6 run. */
export function k6Table(results: readonly K6Result[]): string {
  const lines = [
    '| sessions | room size | msg/s | joined | connect p50/p95/p99 ms | fan-out p50/p95/p99 ms | deliveries | error rate | server CPU % | server MiB | thresholds |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.sessions} | ${r.roomSize} | ${r.messagesPerSecond} | ${r.sessionsJoined} | ${fixed(r.connectMs.p50, 0)}/${fixed(r.connectMs.p95, 0)}/${fixed(r.connectMs.p99, 0)} | ${fixed(r.fanoutMs.p50, 1)}/${fixed(r.fanoutMs.p95, 1)}/${fixed(r.fanoutMs.p99, 1)} | ${r.deliveries} | ${(r.errorRate * 100).toFixed(2)} % | ${fixed(r.server?.cpuPercent, 0)} | ${fixed(r.server?.memoryMiB, 0)} | ${r.passed ? 'pass' : `fail: ${r.failedThresholds.join(', ')}`} |`,
    );
  }
  return lines.join('\n');
}
