import { AGENT_TOKEN_ENV } from '../agent/protocol.js';
import { parseAgentList } from '../coordinator/spread.js';
import { isShaped, type NetworkShaping, shapingRefusal } from '../network/shaping.js';
import type { RequestedTopology } from '../page-api.js';
import { type BrowserName, LIMITS } from '../run/call-run.js';
import { isLoopbackUrl } from '../stack/loopback.js';

/** What `npm run loadtest -- …` was asked to do. */
export interface LoadtestArgs {
  /** Every n to run, in order. */
  participants: number[];
  /** Every topology to run each n in. */
  topologies: RequestedTopology[];
  durationSeconds: number;
  warmupSeconds: number;
  bitrateKbps: number;
  video: { width: number; height: number; fps: number; noise?: number };
  tabsPerBrowser: number;
  /** The participants' browser. */
  browser: BrowserName;
  /** Whether participants also send and play audio (off: a video-only call). */
  audio: boolean;
  url?: string;
  json?: string;
  html?: string;
  /** Merge the runs into this existing JSON file instead of starting a new one. */
  append: boolean;
  /** How each participant's link is shaped, when any of --uplink, --delay, --loss is given. */
  shaping?: NetworkShaping;
  /** livekit-server nodes on one Redis for sfu and auto runs. */
  sfuNodes: number;
  /** Runs the participants on these harness agents (`host:port`) instead of this machine. */
  agents?: string[];
  /** With agents: the address the Talk server listens on, where the agents' browsers reach it. */
  serverHost?: string;
  /** With agents: the shared secret, from the environment. */
  agentToken?: string;
  /** With agents: seconds an agent keeps its browsers without hearing from this coordinator. */
  leaseSeconds?: number;
}

/** The usage text. */
export const USAGE = `npm run loadtest -- [options]
  --participants 2..8     one n, a range a..b, or a list 2,4,6 (at most ${LIMITS.participants})
  --topology mesh|sfu|auto  one or a comma list; sfu and auto start livekit-server
  --sfu-nodes 1           livekit-server nodes on one Redis (LiveKit's multi-node mode); the server sends
                          participants to each node's URL in turn, and the report says where they went
  --duration 30           seconds measured per run, after the warm-up
  --warmup 10             seconds after everyone sees everyone, before measuring
  --bitrate 1000          per-stream video cap, kbit/s
  --resolution 320x240    size of the generated noise clip the fake camera plays
  --fps 15                its frame rate
  --noise 128             how far its samples stray from grey, 1–128 (full range); weaker noise lets a larger
                          picture fit the bitrate unscaled, so an upload cap shows as qualityLimitationReason
  --tabs 1                participants per browser, a window each (1 = a browser each)
  --browser chromium      chromium, or firefox (Debian's ESR; its fake camera plays its own pattern, not the clip)
  --audio on              off: a video-only call (no microphone sent, no remote audio played)
  --url http://localhost:8787  a running server (loopback only) that serves dist-page
  --json out.json         write every run (and keep k6 results already in the file)
  --append                add to the runs already in --json instead of replacing them
  --html out.html         write the self-contained report
Network shaping (root; mesh only, --tabs 1): each participant's browser runs in a network namespace of its own,
joined to a bridge on 198.18.x.0/24 where the server listens, shaped on its way out with tc:
  --uplink 2500           upload cap per participant, kbit/s (tbf)
  --delay 20              ms added to every packet a participant sends (needs the kernel's netem)
  --loss 1                % of the packets a participant sends that are dropped (needs netem)
Across hosts: participants run on harness agents (talk-loadtest agent --listen HOST:PORT), spread
round robin; the server (and livekit-server for sfu and auto) starts here, on --server-host. The shared secret comes from $${AGENT_TOKEN_ENV}.
  --agents a:7700,b:7700  the agents' control addresses
  --server-host 10.0.0.5  the address of this host the agents reach; the servers listen on it
  --lease 15              seconds an agent keeps its browsers without hearing from this coordinator
Subcommands: agent (see agent --help); local-agents (agents on this machine in namespaces of their own, root).`;

/** Parses `2..8`, `2,4,6` or `3`. */
export function parseParticipants(text: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(text);
  const values = range
    ? Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i)
    : text.split(',').map(Number);
  if (values.length === 0 || values.some((n) => !Number.isInteger(n) || n < 2 || n > LIMITS.participants)) {
    throw new Error(`--participants ${text}: expected integers from 2 to ${LIMITS.participants}`);
  }
  return values;
}

/** Parses the command line; throws with a message that names the bad option. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): LoadtestArgs {
  const options = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'append' || name === 'help') {
      flags.add(name);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    options.set(name, value);
  }
  if (flags.has('help')) throw new Error(USAGE);
  const known = [
    'participants',
    'topology',
    'duration',
    'warmup',
    'bitrate',
    'resolution',
    'fps',
    'tabs',
    'browser',
    'audio',
    'url',
    'json',
    'html',
    'noise',
    'uplink',
    'delay',
    'loss',
    'sfu-nodes',
    'agents',
    'server-host',
    'lease',
  ];
  for (const name of options.keys()) if (!known.includes(name)) throw new Error(`unknown option --${name}\n${USAGE}`);
  const optional = (name: string, min: number, max: number) => {
    const raw = options.get(name);
    if (raw === undefined) return undefined;
    const value = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(value) || value < min || value > max)
      throw new Error(`--${name} ${raw}: expected ${min}–${max}`);
    return value;
  };
  const number = (name: string, fallback: number, min: number, max: number) => optional(name, min, max) ?? fallback;
  const topologies = (options.get('topology') ?? 'mesh').split(',') as RequestedTopology[];
  for (const topology of topologies) {
    if (!['mesh', 'sfu', 'auto'].includes(topology))
      throw new Error(`--topology ${topology}: expected mesh, sfu or auto`);
  }
  const resolution = /^(\d+)x(\d+)$/.exec(options.get('resolution') ?? '320x240');
  if (!resolution) throw new Error('--resolution: expected WIDTHxHEIGHT');
  const url = options.get('url');
  if (url !== undefined && !isLoopbackUrl(url)) throw new Error(`--url ${url}: only loopback addresses are allowed`);
  const shaping: NetworkShaping = {
    uplinkKbps: optional('uplink', 50, 1_000_000),
    delayMs: optional('delay', 0, 5_000),
    lossPercent: optional('loss', 0, 100),
  };
  const noise = optional('noise', 1, 128);
  if (noise !== undefined && !Number.isInteger(noise)) throw new Error(`--noise ${noise}: expected a whole number`);
  const tabsPerBrowser = number('tabs', 1, 1, LIMITS.participants);
  const audio = options.get('audio') ?? 'on';
  if (audio !== 'on' && audio !== 'off') throw new Error(`--audio ${audio}: expected on or off`);
  const browser = options.get('browser') ?? 'chromium';
  if (browser !== 'chromium' && browser !== 'firefox') {
    throw new Error(`--browser ${browser}: expected chromium or firefox`);
  }
  // Puppeteer reaches Firefox over a WebSocket on the browser's loopback, which a namespace would hide from it.
  if (browser === 'firefox' && isShaped(shaping)) throw new Error('--browser firefox cannot be shaped: use chromium');
  if (isShaped(shaping)) {
    for (const topology of topologies) {
      const refusal = shapingRefusal({ topology, tabsPerBrowser, url });
      if (refusal) throw new Error(refusal);
    }
  }
  const agents = options.has('agents') ? parseAgentList(options.get('agents')!) : undefined;
  const serverHost = options.get('server-host');
  const agentToken = env[AGENT_TOKEN_ENV]?.trim();
  if (agents) {
    if (serverHost === undefined) throw new Error('--agents needs --server-host: the address the agents reach');
    if (!agentToken || agentToken.length < 16) {
      throw new Error(`--agents needs the agents' shared secret in $${AGENT_TOKEN_ENV} (at least 16 characters)`);
    }
    if (url !== undefined) throw new Error('--agents starts its own server on --server-host, so it cannot use --url');
    // Each agent shapes its own host; a cap here would be on namespaces of this machine the agents never use.
    if (isShaped(shaping)) throw new Error('--agents cannot be combined with --uplink, --delay or --loss');
    if (options.has('sfu-nodes')) throw new Error('--agents runs one livekit-server on --server-host: no --sfu-nodes');
  } else if (serverHost !== undefined || options.has('lease')) {
    throw new Error('--server-host and --lease go with --agents');
  }
  return {
    participants: parseParticipants(options.get('participants') ?? '2..4'),
    topologies,
    durationSeconds: number('duration', 30, 3, LIMITS.durationSeconds),
    warmupSeconds: number('warmup', 10, 0, 120),
    bitrateKbps: number('bitrate', 1000, 50, 10_000),
    video: {
      width: Number(resolution[1]),
      height: Number(resolution[2]),
      fps: number('fps', 15, 1, 60),
      noise,
    },
    tabsPerBrowser,
    browser,
    audio: audio === 'on',
    url,
    json: options.get('json'),
    html: options.get('html'),
    append: flags.has('append'),
    shaping: isShaped(shaping) ? shaping : undefined,
    sfuNodes: number('sfu-nodes', 1, 1, 4),
    ...(agents && { agents, serverHost, agentToken, leaseSeconds: number('lease', 15, 3, 300) }),
  };
}
