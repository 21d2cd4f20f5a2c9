import { readFileSync } from 'node:fs';
import { AGENT_TOKEN_ENV } from './protocol.js';
import { startAgent } from './server.js';

/** What `talk-loadtest agent …` was asked to do. */
export interface AgentArgs {
  host: string;
  port: number;
  /** The shared secret, from the environment or a file: never from the command line, which `ps` shows. */
  token: string;
  name?: string;
  /** What reports say of this host's link. */
  network?: string;
}

/** The agent's usage text. */
export const AGENT_USAGE = `talk-loadtest agent --listen HOST:PORT [--name NAME] [--token-file PATH]
  --listen 0.0.0.0:7700   where the control API listens (port 0: a free one, printed on start)
  --name lab-1            how reports name this agent (default: its listen address)
  --network "1 Gbit/s LAN"  how reports describe this host's link (e.g. its shaping)
  --token-file PATH       a file holding the shared secret; otherwise $${AGENT_TOKEN_ENV} (at least 16 characters)
Launches browsers on this host when a coordinator (npm run loadtest -- --agents …) asks, and stops them by itself
when the coordinator stops asking for longer than the lease it gave.`;

/** Parses `agent` and what follows it; throws with a message that names the bad option. */
export function parseAgentArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): AgentArgs {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help') throw new Error(AGENT_USAGE);
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n${AGENT_USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (!['listen', 'name', 'network', 'token-file'].includes(name))
      throw new Error(`unknown option --${name}\n${AGENT_USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    options.set(name, value);
  }
  const listen = options.get('listen');
  const match = listen === undefined ? null : /^(.+):(\d+)$/.exec(listen);
  if (!match || Number(match[2]) > 65_535) throw new Error(`--listen: expected HOST:PORT\n${AGENT_USAGE}`);
  const file = options.get('token-file');
  const token = (file === undefined ? env[AGENT_TOKEN_ENV] : readFileSync(file, 'utf8'))?.trim() ?? '';
  if (token.length < 16) {
    throw new Error(`the agent needs a shared secret of at least 16 characters in $${AGENT_TOKEN_ENV} or --token-file`);
  }
  return {
    host: match[1]!.replace(/^\[|\]$/g, ''),
    port: Number(match[2]),
    token,
    name: options.get('name'),
    network: options.get('network'),
  };
}

/** Runs the agent until SIGINT or SIGTERM; prints `listening on HOST:PORT` once it accepts requests. */
export async function agentMain(argv: readonly string[]): Promise<void> {
  const args = parseAgentArgs(argv);
  const agent = await startAgent(args);
  process.stdout.write(`talk-loadtest agent listening on ${agent.address}\n`);
  const stop = () => {
    void agent.close().finally(() => process.exit(0));
  };
  // A session's own clean-up also listens for these; whichever runs first, the browsers are closed before exit.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.once('SIGHUP', stop);
}
