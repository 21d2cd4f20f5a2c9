import { randomBytes } from 'node:crypto';
import type { AgentSample, SessionStarted } from '../agent/protocol.js';
import { machineBusyPercent } from '../metrics/machine.js';
import { cpuPercent } from '../metrics/process.js';
import { mean, trafficBetween } from '../metrics/rates.js';
import type { PageSample } from '../page-api.js';
import { type CallRunOptions, modelFor, summarize } from '../run/call-run.js';
import {
  checkRunLength,
  LIMITS,
  type Reading,
  readProcesses,
  runDeadline,
  sampleSeconds,
  waitUntilEveryoneSees,
} from '../run/sampling.js';
import type { AgentShare, ParticipantSecond, RunResult } from '../run/types.js';
import { Cleanup } from '../stack/cleanup.js';
import { startStack } from '../stack/server.js';
import { AgentClient } from './client.js';
import { spreadParticipants } from './spread.js';

/** Options of a call whose participants run on harness agents; the server and livekit-server run here. */
export interface DistributedRunOptions extends Omit<CallRunOptions, 'url' | 'shaping'> {
  /** Each agent's `host:port`. */
  agents: string[];
  /** The shared secret the agents were started with. */
  token: string;
  /**
   * The address the Talk server listens on, which every agent's browsers reach it at: this host's address on the
   * network the agents share with it (a test network's bridge, or a LAN address).
   */
  serverHost: string;
  /** Seconds an agent keeps its browsers without hearing from this coordinator; 15 when absent. */
  leaseSeconds?: number;
}

/** One reading of every agent, put back in participant order, with the server's trees read here. */
interface AgentsReading extends Reading {
  agents: AgentSample[];
  /** Each participant's page sample, by index. */
  pages: PageSample[];
}

/**
 * Runs one call spread over harness agents: starts the server here (on `serverHost`), has each agent launch its
 * share of the participants, joins them, samples every agent each second, and merges one result in the local
 * harness's format with each participant's agent. Everything is stopped on success, failure and interrupt; an agent
 * that loses this coordinator stops its browsers by itself when the lease runs out.
 */
export async function runDistributedCall(options: DistributedRunOptions): Promise<RunResult> {
  const { participants: n, topology } = options;
  checkRunLength(options);
  const leaseSeconds = options.leaseSeconds ?? 15;
  const shares = spreadParticipants(n, options.agents.length);
  const clients = options.agents.map((address) => new AgentClient(address, options.token));
  const cleanup = new Cleanup();
  const deadline = runDeadline(options, cleanup);
  let heartbeat: NodeJS.Timeout | undefined;
  try {
    options.onProgress?.({ phase: 'starting', elapsed: 0, total: 0 });
    const busy = (await Promise.all(clients.map((client) => client.status()))).filter((status) => status.busy);
    if (busy.length) throw new Error(`agents already running a session: ${busy.map((s) => s.agent).join(', ')}`);
    const stack = await startStack(
      {
        sfu: topology !== 'mesh',
        maxVideoBitrate: options.bitrateKbps * 1000,
        serverDecidesTopology: topology === 'auto',
        servePage: true,
        logFile: options.logFile,
        listenAddress: options.serverHost,
      },
      cleanup,
    );
    const runId = randomBytes(6).toString('hex');
    const used = clients.map((client, a) => ({ client, share: shares[a]! })).filter(({ share }) => share.length);
    // Any request renews an agent's lease; this keeps the ones that are ready alive while a slower one still
    // launches its browsers, while another joins, and between samples.
    heartbeat = setInterval(
      () => {
        for (const { client } of used) void client.status().catch(() => {});
      },
      (leaseSeconds * 1000) / 3,
    );
    const started = await Promise.allSettled(
      used.map(({ client, share }) =>
        client.startSession({
          serverUrl: stack.url,
          runId,
          participants: share.map((index) => ({ index, userId: `p${index}` })),
          callSize: n,
          topology,
          audio: options.audio,
          video: options.video,
          tabsPerBrowser: options.tabsPerBrowser,
          browser: options.browser ?? 'chromium',
          leaseSeconds,
        }),
      ),
    );
    for (const [a, outcome] of started.entries()) {
      if (outcome.status === 'fulfilled')
        cleanup.add(`agent ${used[a]!.client.address}`, () => stopAgent(used[a]!.client));
    }
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    const answers = started.map((outcome) => (outcome as PromiseFulfilledResult<SessionStarted>).value);
    const names = answers.map((answer) => answer.agent);
    const agentOf = new Map(used.flatMap(({ share }, a) => share.map((index) => [index, a] as const)));

    const joinStart = Date.now();
    options.onProgress?.({ phase: 'joining', elapsed: 0, total: n });
    // The first participant creates the conversation; the others then join it, each agent's in parallel.
    await used[0]!.client.join({ participants: [0] });
    await Promise.all(
      used.map(({ client, share }) => client.join({ participants: share.filter((index) => index !== 0) })),
    );
    const serverRoots = [stack.serverPid ?? -1, stack.livekit?.process.pid ?? -1];
    const read = async (): Promise<AgentsReading> => {
      const at = Date.now();
      const [agents, processes] = await Promise.all([
        Promise.all(used.map(({ client }) => client.sample())),
        readProcesses(serverRoots),
      ]);
      const pages: PageSample[] = [];
      for (const sample of agents) for (const entry of sample.participants) pages[entry.index] = entry.sample;
      return { at, agents, pages, ...processes };
    };
    await waitUntilEveryoneSees(async () => (await read()).pages, n - 1, joinStart + LIMITS.joinTimeoutMs);

    const agentMachine: number[][] = used.map(() => []);
    const sampled = await sampleSeconds(options, read, (previous, current, t) => {
      if (t > 0) {
        for (const [a, list] of agentMachine.entries()) {
          list.push(machineBusyPercent(previous.agents[a]!.machine, current.agents[a]!.machine));
        }
      }
      return Array.from({ length: n }, (_, index) => {
        const a = agentOf.get(index)!;
        const [before, after] = [previous.agents[a]!, current.agents[a]!];
        const browser = after.participants.find((entry) => entry.index === index)!.browser;
        // Each agent's CPU time is divided by the time between its own /proc readings, by its own clock.
        const seconds = (after.measuredAt - before.measuredAt) / 1000;
        const tabs = after.tabsPerBrowser[browser]!;
        const model = modelFor(index, current.pages, options.bitrateKbps / 1000);
        return {
          t,
          participant: index,
          agent: names[a],
          topology: current.pages[index]!.topology,
          peerConnections: current.pages[index]!.peerConnections,
          ...trafficBetween(previous.pages[index]!, current.pages[index]!),
          cpuPercent: cpuPercent(before.browsers[browser]!, after.browsers[browser]!, seconds) / tabs,
          memoryMiB: after.browsers[browser]!.memoryMiB / tabs,
          modelUpMbps: model.upMbps,
          modelDownMbps: model.downMbps,
        } satisfies ParticipantSecond;
      });
    });
    const result = summarize(
      options,
      sampled.timeline,
      sampled.serverSeconds,
      sampled.machine,
      stack.serverPid !== undefined,
      !!stack.livekit,
    );
    const agents: AgentShare[] = used.map(({ share }, a) => ({
      agent: names[a]!,
      participants: share,
      ...(answers[a]!.network ? { network: answers[a]!.network } : {}),
      machineCpuPercent: mean(agentMachine[a]!),
    }));
    return {
      ...result,
      agents,
      perParticipant: result.perParticipant.map((p) => ({ ...p, agent: names[agentOf.get(p.participant)!] })),
    };
  } finally {
    clearInterval(heartbeat);
    clearTimeout(deadline);
    await cleanup.run();
  }
}

/** Stops an agent's session; one that already ended (its lease ran out) is no error. */
async function stopAgent(client: AgentClient): Promise<void> {
  await client.stop().catch((error: unknown) => {
    if (!String(error).includes('answered 404')) throw error;
  });
}
