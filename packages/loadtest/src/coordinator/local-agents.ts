import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AGENT_TOKEN_ENV } from '../agent/protocol.js';
import { createTestNetwork } from '../network/namespaces.js';
import { isShaped, type NetworkShaping, shapingLabel } from '../network/shaping.js';
import type { Cleanup } from '../stack/cleanup.js';
import { stopChild } from '../stack/server.js';

/**
 * The built command line, which the agents run as: the same program a real host would run. Named from the package
 * root, so that it is found from the sources (tests) and from dist alike.
 */
const CLI_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** The port each local agent listens on, inside its own namespace (so they never clash). */
export const LOCAL_AGENT_PORT = 7700;

/** Agents running on this machine, each in a network namespace of its own. */
export interface LocalAgents {
  /** Where the Talk server must listen for the agents to reach it: the test network's bridge. */
  serverHost: string;
  /** Each agent's `host:port`, for `--agents`. */
  agents: string[];
  /** Each agent's namespace. */
  namespaces: string[];
  /** Each agent's process. */
  processes: ChildProcess[];
}

/**
 * Starts `count` agents as separate processes, each inside a namespace of its own joined to a bridge in this
 * namespace by a veth pair, with the namespace's egress shaped (`shaping`: all its participants share the cap, as
 * they would share a host's uplink). Registers stopping the agents and removing the network. Needs root.
 */
export async function startLocalAgents(
  count: number,
  options: { token: string; shaping: NetworkShaping; cleanup: Cleanup; cliMain?: string },
): Promise<LocalAgents> {
  const network = await createTestNetwork(count, options.shaping, options.cleanup);
  const processes: ChildProcess[] = [];
  const agents: string[] = [];
  for (const [i, namespace] of network.namespaces.entries()) {
    const listen = `${network.addresses[i]}:${LOCAL_AGENT_PORT}`;
    const child = spawn(
      network.ip,
      [
        'netns',
        'exec',
        namespace,
        process.execPath,
        options.cliMain ?? CLI_MAIN,
        'agent',
        '--listen',
        listen,
        '--name',
        `agent-${i}`,
        ...(isShaped(options.shaping) ? ['--network', shapingLabel(options.shaping)] : []),
      ],
      { env: { ...process.env, [AGENT_TOKEN_ENV]: options.token }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Registered before it answers, so an agent that fails to start is stopped with the rest.
    options.cleanup.add(`agent ${i}`, () => stopChild(child));
    processes.push(child);
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[agent-${i}] ${chunk.toString()}`));
    await waitForListening(child, 30_000);
    agents.push(listen);
  }
  return { serverHost: network.hostAddress, agents, namespaces: network.namespaces, processes };
}

/** Resolves once the agent prints that it listens; rejects if it exits first or takes too long. */
function waitForListening(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`an agent did not start within ${timeoutMs} ms`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`an agent exited with ${code} before listening`));
    });
  });
}
