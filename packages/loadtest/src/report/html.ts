import { isShaped, shapingLabel } from '../network/shaping.js';
import { mediaLabel, type RunResult } from '../run/types.js';
import { LIMITED_SHARE } from './bandwidth-limit.js';
import { type LoadtestDocument, roundDocument } from './document.js';
import { agentsTable, bandwidthLimitTable, k6Table, runsTable } from './markdown.js';

/** One line of a chart. */
interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: [number, number][];
}

const COLORS = { mesh: '#c2410c', sfu: '#1d4ed8', auto: '#15803d' } as Record<string, string>;
/** Shaped runs, one colour per topology and shaping, in the order they first appear. */
const SHAPED_COLORS = ['#7c3aed', '#db2777', '#0891b2', '#65a30d', '#a16207', '#475569'];

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** A line chart as inline SVG: no script, no library, so the report opens anywhere. */
export function lineChart(title: string, xLabel: string, yLabel: string, series: Series[]): string {
  const width = 560;
  const height = 300;
  const pad = { left: 56, right: 16, top: 28, bottom: 44 };
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<figure><figcaption>${escapeHtml(title)}: no data</figcaption></figure>`;
  const xs = all.map(([x]) => x);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs, xMin + 1);
  const yMax = niceCeiling(Math.max(...all.map(([, y]) => y), 0.001));
  const px = (x: number) => pad.left + ((x - xMin) / (xMax - xMin)) * (width - pad.left - pad.right);
  const py = (y: number) => height - pad.bottom - (y / yMax) * (height - pad.top - pad.bottom);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = py(yMax * f);
    return `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/><text x="${pad.left - 6}" y="${y + 4}" text-anchor="end">${round(yMax * f)}</text>`;
  });
  const ticks = [...new Set(xs)].map(
    (x) => `<text x="${px(x)}" y="${height - pad.bottom + 16}" text-anchor="middle">${round(x)}</text>`,
  );
  const lines = series.map((s) => {
    const sorted = [...s.points].sort((a, b) => a[0] - b[0]);
    const path = sorted.map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    const dots = s.dashed
      ? ''
      : sorted.map(([x, y]) => `<circle cx="${px(x)}" cy="${py(y)}" r="3" fill="${s.color}"/>`).join('');
    return `<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>${dots}`;
  });
  const legend = series.map(
    (s, i) =>
      `<g transform="translate(${pad.left + 8 + (i % 2) * 220},${pad.top + 4 + Math.floor(i / 2) * 16})"><line x1="0" x2="18" y1="0" y2="0" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/><text x="24" y="4">${escapeHtml(s.name)}</text></g>`,
  );
  return `<figure><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">
<text x="${width / 2}" y="16" text-anchor="middle" font-weight="bold">${escapeHtml(title)}</text>
${grid.join('')}${ticks.join('')}${lines.join('')}${legend.join('')}
<text x="${width / 2}" y="${height - 8}" text-anchor="middle">${escapeHtml(xLabel)}</text>
<text transform="translate(14,${height / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(yLabel)}</text>
</svg></figure>`;
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 2.5, 5, 10].find((step) => step * magnitude >= value) ?? 10) * magnitude;
}

function round(value: number): string {
  return Math.abs(value) >= 10 ? value.toFixed(0) : Number(value.toPrecision(2)).toString();
}

/** The line a run belongs on: its topology, and its shaping when it was shaped. */
function seriesOf(run: RunResult): string {
  return [run.topology, mediaLabel(run), isShaped(run.shaping) ? shapingLabel(run.shaping) : '']
    .filter(Boolean)
    .join(', ');
}

/** One series per topology and shaping; shaped ones take the next colour in the order they appear among `runs`. */
function byTopology(runs: readonly RunResult[], pick: (run: RunResult) => number, dashed = false): Series[] {
  const names = [...new Set(runs.map(seriesOf))];
  const shaped = names.filter((name) => !(name in COLORS));
  return names.map((name) => ({
    name: `${name}${dashed ? ' model' : ''}`,
    color: COLORS[name] ?? SHAPED_COLORS[shaped.indexOf(name) % SHAPED_COLORS.length] ?? '#444',
    dashed,
    points: runs.filter((run) => seriesOf(run) === name).map((run) => [run.participants, pick(run)]),
  }));
}

/** Renders a markdown table (as the CLI prints it) as an HTML table. */
function tableFromMarkdown(markdown: string): string {
  const [head, , ...body] = markdown.split('\n');
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => escapeHtml(cell.trim()));
  return `<table><thead><tr>${cells(head ?? '')
    .map((c) => `<th>${c}</th>`)
    .join('')}</tr></thead><tbody>${body
    .map(
      (line) =>
        `<tr>${cells(line)
          .map((c) => `<td>${c}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

/**
 * The whole report as one HTML file with inline SVG charts and styles: every report, the harness's and the one over
 * agents alike, and from the figures as its JSON file keeps them, so that the file can always be rendered again.
 */
export function renderHtml(measured: LoadtestDocument): string {
  const document = roundDocument(measured);
  const runs = document.runs;
  const charts = [
    lineChart('Uplink per participant: measured against model', 'participants n', 'video Mbit/s', [
      ...byTopology(runs, (run) => run.mean.upVideoMbps),
      ...byTopology(runs, (run) => run.mean.modelUpMbps, true),
      // The cap covers audio and packet headers too, so video payload stays somewhat below it.
      ...byTopology(
        runs.filter((run) => run.shaping?.uplinkKbps !== undefined),
        (run) => run.shaping!.uplinkKbps! / 1000,
        true,
      ).map((s) => ({ ...s, name: s.name.replace(/ model$/, ': cap') })),
    ]),
    lineChart('Downlink per participant: measured against model', 'participants n', 'video Mbit/s', [
      ...byTopology(runs, (run) => run.mean.downVideoMbps),
      ...byTopology(runs, (run) => run.mean.modelDownMbps, true),
    ]),
    lineChart('CPU per participant (its browser’s process tree)', 'participants n', '% of one core', [
      ...byTopology(runs, (run) => run.mean.cpuPercent),
    ]),
    lineChart('Whole machine (2 cores) and media server CPU', 'participants n', '%', [
      ...byTopology(runs, (run) => run.machineCpuPercent).map((s) => ({
        ...s,
        name: `${s.name}: machine, % of all cores`,
      })),
      ...byTopology(
        runs.filter((run) => run.livekit),
        (run) => run.livekit?.cpuPercent ?? 0,
        true,
      ).map((s) => ({ ...s, name: `${s.name.replace(' model', '')}: livekit-server, % of one core` })),
    ]),
    switchChart(runs),
  ];
  const capped = runs.filter((run) => run.shaping?.uplinkKbps !== undefined);
  const shapedSection = capped.length
    ? `<h2>Upload caps</h2>
<p>Each participant's browser ran in a network namespace of its own, its upload capped by a token bucket (tc tbf) on
the way out. A run counts as limited by bandwidth when at least ${Math.round(LIMITED_SHARE * 100)} % of its measured
participant-seconds reported <code>qualityLimitationReason</code> = <code>bandwidth</code> for an outbound video.</p>
${lineChart(
  'Outbound video limited by bandwidth',
  'participants n',
  '% of participant-seconds',
  byTopology(capped, (run) => run.bandwidthLimited * 100),
)}
${tableFromMarkdown(bandwidthLimitTable(runs))}`
    : '';
  const k6 = document.k6;
  const k6Charts = k6.length
    ? lineChart('Chat fan-out latency by sessions', 'signaling sessions', 'ms', [
        { name: 'p50', color: '#15803d', points: k6.map((r) => [r.sessions, r.fanoutMs.p50]) },
        { name: 'p95', color: '#c2410c', points: k6.map((r) => [r.sessions, r.fanoutMs.p95]) },
        { name: 'p99', color: '#7c3aed', points: k6.map((r) => [r.sessions, r.fanoutMs.p99]) },
      ])
    : '<p>No k6 runs in this file.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Talk load test</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#111;max-width:1200px}
figure{display:inline-block;margin:8px}svg{font-size:11px;background:#fff;border:1px solid #e5e7eb}
table{border-collapse:collapse;font-size:12px;margin:12px 0}th,td{border:1px solid #d1d5db;padding:3px 6px;text-align:right}
th{background:#f3f4f6}td:first-child,th:first-child{text-align:left}
</style></head><body>
<h1>Talk: bandwidth and CPU per call participant</h1>
<p>Generated ${escapeHtml(document.generatedAt)} on ${document.machine.cpus} × ${escapeHtml(document.machine.model)},
${document.machine.memoryGiB} GiB, ${escapeHtml(document.machine.chromium)}. Each participant is a headless Chromium whose
fake camera plays a noise clip; figures are means over participants and over the measured seconds, video payload
only unless marked audio. Model: mesh up = down = b × (n − 1); SFU up = the publisher's simulcast layers, down = the
top layer of each other participant.</p>
<h2>Calls</h2>${charts.join('\n')}
${tableFromMarkdown(runsTable(runs))}
${shapedSection}
${
  runs.some((run) => run.agents)
    ? `<h2>Harness agents</h2>
<p>Runs marked <i>k agents</i> ran their participants on harness agents, spread round robin; the server ran on the
coordinator's host. Per agent: its participants' means and its own machine's CPU.</p>
${tableFromMarkdown(agentsTable(runs))}`
    : ''
}
<h2>Signaling and chat (k6)</h2>${k6Charts}
${k6.length ? tableFromMarkdown(k6Table(k6)) : ''}
</body></html>
`;
}

/**
 * Where the switch pays: each participant's total traffic (up + down) and CPU in either topology, side by side.
 * With auto runs, their measured uplink is drawn too, so the jump at the server's threshold shows.
 */
function switchChart(runs: readonly RunResult[]): string {
  const series: Series[] = byTopology(runs, (run) => run.mean.upVideoMbps + run.mean.downVideoMbps).map((s) => ({
    ...s,
    name: `${s.name}: up + down Mbit/s`,
  }));
  return lineChart(
    'The switch: traffic per participant, mesh against SFU (and auto)',
    'participants n',
    'video Mbit/s',
    series,
  );
}
