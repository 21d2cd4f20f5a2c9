import { AGENT_TOKEN_ENV } from '../agent/protocol.js';
import type { NetworkShaping } from '../network/shaping.js';
import { Cleanup } from '../stack/cleanup.js';
import { startLocalAgents } from './local-agents.js';

/** The usage text of `local-agents`. */
export const LOCAL_AGENTS_USAGE = `npm run loadtest -- local-agents [--count 2] [--uplink KBIT] [--delay MS] [--loss PERCENT]
Starts harness agents on this machine (root), each a process in a network namespace of its own with its egress
shaped, prints the coordinator's --agents and --server-host, and keeps them until SIGINT or SIGTERM. The shared
secret comes from $${AGENT_TOKEN_ENV}.`;

/** Runs `local-agents` until interrupted. */
export async function localAgentsMain(argv: readonly string[]): Promise<void> {
  const options = new Map<string, number>();
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '') ?? '';
    const value = Number(argv[i + 1]);
    if (!['count', 'uplink', 'delay', 'loss'].includes(name) || !Number.isFinite(value) || value < 0) {
      throw new Error(LOCAL_AGENTS_USAGE);
    }
    options.set(name, value);
  }
  const count = options.get('count') ?? 2;
  if (!Number.isInteger(count) || count < 1 || count > 8) throw new Error('--count: expected 1–8');
  const token = process.env[AGENT_TOKEN_ENV]?.trim() ?? '';
  if (token.length < 16) throw new Error(`local-agents needs a shared secret of 16+ characters in $${AGENT_TOKEN_ENV}`);
  const shaping: NetworkShaping = {
    uplinkKbps: options.get('uplink'),
    delayMs: options.get('delay'),
    lossPercent: options.get('loss'),
  };
  // Its signal handler removes the agents and the network, then exits.
  const cleanup = new Cleanup();
  const local = await startLocalAgents(count, { token, shaping, cleanup });
  process.stdout.write(`--agents ${local.agents.join(',')} --server-host ${local.serverHost}\n`);
  await new Promise(() => {});
}
