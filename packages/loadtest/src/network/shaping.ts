// What a shaped run does to each participant's link, as pure functions: the label reports use, the tc commands
// that apply it, and the private subnet the harness's bridge takes. The side effects live in namespaces.ts.

/** How each participant's link is shaped, on the way out of its namespace; an absent field is not shaped. */
export interface NetworkShaping {
  /** Upload cap per participant, kbit/s, as a token bucket (tbf). */
  uplinkKbps?: number;
  /** Delay added to every packet a participant sends, ms (netem). */
  delayMs?: number;
  /** Share of the packets a participant sends that are dropped, % (netem). */
  lossPercent?: number;
}

/** Whether anything is shaped, which puts every participant in a network namespace of its own. */
export function isShaped(shaping: NetworkShaping | undefined): shaping is NetworkShaping {
  return shaping?.uplinkKbps !== undefined || shaping?.delayMs !== undefined || shaping?.lossPercent !== undefined;
}

/** A short description for tables and charts: `up ≤ 2500 kbit/s, +20 ms, 1 % loss`, or `none`. */
export function shapingLabel(shaping: NetworkShaping | undefined): string {
  if (!isShaped(shaping)) return 'none';
  return [
    shaping.uplinkKbps === undefined ? '' : `up ≤ ${shaping.uplinkKbps} kbit/s`,
    shaping.delayMs === undefined ? '' : `+${shaping.delayMs} ms`,
    shaping.lossPercent === undefined ? '' : `${shaping.lossPercent} % loss`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** The largest queue the token bucket keeps before dropping, as time at its rate. */
const TBF_LATENCY_MS = 100;

/**
 * The `tc` argument lists that shape one interface's egress. The cap alone is a tbf; delay and loss need netem,
 * with the tbf beneath it when both are asked for (the arrangement tc-netem(8) gives for a rate limit).
 */
export function qdiscCommands(device: string, shaping: NetworkShaping): string[][] {
  const tbf = (where: string[]) =>
    shaping.uplinkKbps === undefined
      ? []
      : [
          [
            'qdisc',
            'add',
            'dev',
            device,
            ...where,
            'tbf',
            'rate',
            `${shaping.uplinkKbps}kbit`,
            // At least two full-size packets, and 10 ms at the rate: a smaller bucket cannot pass one packet.
            'burst',
            String(Math.max(3200, Math.ceil((shaping.uplinkKbps * 1000) / 8 / 100))),
            'latency',
            `${TBF_LATENCY_MS}ms`,
          ],
        ];
  if (shaping.delayMs === undefined && shaping.lossPercent === undefined) return tbf(['root', 'handle', '1:']);
  const netem = [
    'qdisc',
    'add',
    'dev',
    device,
    'root',
    'handle',
    '1:',
    'netem',
    ...(shaping.delayMs === undefined ? [] : ['delay', `${shaping.delayMs}ms`]),
    ...(shaping.lossPercent === undefined ? [] : ['loss', `${shaping.lossPercent}%`]),
  ];
  return [netem, ...tbf(['parent', '1:1', 'handle', '10:'])];
}

/**
 * The smallest n whose mesh uplink, b × (n − 1) of video alone, exceeds the cap; the n at which bandwidth should
 * start to limit. Undefined without a cap.
 */
export function meshExceedsCapFrom(bitrateKbps: number, uplinkKbps: number | undefined): number | undefined {
  if (uplinkKbps === undefined) return undefined;
  return Math.floor(uplinkKbps / bitrateKbps) + 2;
}

/** 198.18.0.0/15 is set aside for benchmarking network devices (RFC 2544), so it rarely clashes with a real one. */
const BENCHMARK_PREFIX = '198.18';

/**
 * The first /24 of 198.18.0.0/16, from `seed` on, that overlaps none of the given addresses and routes (`a.b.c.d`
 * or `a.b.c.d/len`; default routes are ignored, since every subnet is inside them). Returns its first three octets.
 */
export function pickSubnet(taken: readonly string[], seed: number): string {
  const ranges = taken.filter((cidr) => cidr !== 'default' && !cidr.endsWith('/0')).map(cidrRange);
  for (let step = 0; step < 256; step += 1) {
    const base = `${BENCHMARK_PREFIX}.${(seed + step) % 256}`;
    const [start, end] = cidrRange(`${base}.0/24`);
    if (!ranges.some(([from, to]) => from <= end && start <= to)) return base;
  }
  throw new Error(`every /24 in ${BENCHMARK_PREFIX}.0.0/16 is in use on this machine`);
}

/** The first and last address of an IPv4 CIDR (or a single address), as 32-bit numbers. */
function cidrRange(cidr: string): [number, number] {
  const [address = '', length = '32'] = cidr.split('/');
  const value = address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(length));
  const start = Math.floor(value / size) * size;
  return [start, start + size - 1];
}

/**
 * Why a run cannot be shaped as asked, or undefined. Shaping is per participant, so each needs a browser (and a
 * namespace) of its own; the server must be one this run starts on its bridge; and livekit-server binds 127.0.0.1,
 * which the namespaces cannot reach, so only mesh calls can be shaped.
 */
export function shapingRefusal(run: { topology: string; tabsPerBrowser: number; url?: string }): string | undefined {
  if (run.topology !== 'mesh') {
    return `network shaping runs mesh calls only: livekit-server listens on 127.0.0.1, which the participants' namespaces cannot reach (asked for ${run.topology})`;
  }
  if (run.tabsPerBrowser !== 1) return 'network shaping caps each participant, so it needs --tabs 1 (a browser each)';
  if (run.url !== undefined) return 'network shaping starts its own server on its bridge, so it cannot use --url';
  return undefined;
}
