/**
 * Which participants each agent runs: round robin, so that n participants over k agents differ by at most one
 * per agent and participant 0 (who creates the conversation) is on the first agent.
 */
export function spreadParticipants(participants: number, agents: number): number[][] {
  if (agents < 1) throw new Error('at least one agent is needed');
  const shares: number[][] = Array.from({ length: agents }, () => []);
  for (let index = 0; index < participants; index += 1) shares[index % agents]!.push(index);
  return shares;
}

/** Parses `--agents a:7700,b:7700` into `host:port` addresses; throws naming the bad entry. */
export function parseAgentList(text: string): string[] {
  const agents = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (agents.length === 0) throw new Error('--agents: expected HOST:PORT[,HOST:PORT…]');
  for (const agent of agents) {
    const port = /^(?:\[[0-9a-fA-F:]+\]|[\w.-]+):(\d+)$/.exec(agent)?.[1];
    if (!port || Number(port) < 1 || Number(port) > 65_535) throw new Error(`--agents ${agent}: expected HOST:PORT`);
  }
  if (new Set(agents).size !== agents.length) throw new Error('--agents: each agent once');
  return agents;
}
