import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { networkLeftovers, shapingUnavailable } from '../network/namespaces.js';
import { Cleanup } from '../stack/cleanup.js';
import { PAGE_DIR } from '../stack/server.js';
import { AgentClient } from './client.js';
import { runDistributedCall } from './distributed-run.js';
import { startLocalAgents } from './local-agents.js';

const exec = promisify(execFile);
const unavailable = shapingUnavailable();
const TOKEN = 'the-coordinator-test-shared-secret';
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

describe('the harness across hosts', () => {
  beforeAll(async () => {
    if (unavailable) return;
    if (!existsSync(`${PAGE_DIR}/index.html`)) {
      await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)) });
    }
    // The agents run the built command line, as a real host would: build it from these sources first.
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    await exec(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: PACKAGE_DIR });
  }, 180_000);

  it.skipIf(unavailable)(
    `merges one report from two agents, each a process in a shaped namespace of its own, within 25 % of the mesh model${unavailable ? ` (skipped: ${unavailable})` : ''}`,
    async () => {
      const cleanup = new Cleanup();
      try {
        const local = await startLocalAgents(2, { token: TOKEN, shaping: { uplinkKbps: 8000 }, cleanup });
        // Separate processes, each inside its own namespace, each namespace with its own token bucket.
        for (const [i, namespace] of local.namespaces.entries()) {
          const { stdout: pids } = await exec('ip', ['netns', 'pids', namespace]);
          expect(pids.split('\n')).toContain(String(local.processes[i]!.pid));
          const { stdout: qdiscs } = await exec('tc', ['-n', namespace, '-j', 'qdisc', 'show', 'dev', 'eth0']);
          expect(JSON.parse(qdiscs)).toContainEqual(expect.objectContaining({ kind: 'tbf' }));
        }
        const result = await runDistributedCall({
          participants: 3,
          topology: 'mesh',
          durationSeconds: 10,
          warmupSeconds: 6,
          bitrateKbps: 1000,
          video: { width: 320, height: 240, fps: 5 },
          tabsPerBrowser: 2,
          audio: true,
          agents: local.agents,
          token: TOKEN,
          serverHost: local.serverHost,
        });
        expect(result.agents?.map(({ agent, participants, network }) => ({ agent, participants, network }))).toEqual([
          { agent: 'agent-0', participants: [0, 2], network: 'up ≤ 8000 kbit/s' },
          { agent: 'agent-1', participants: [1], network: 'up ≤ 8000 kbit/s' },
        ]);
        const agentOf = ['agent-0', 'agent-1', 'agent-0'];
        for (const participant of result.perParticipant) {
          expect(participant.agent).toBe(agentOf[participant.participant]);
          const seconds = result.timeline.filter((row) => row.participant === participant.participant && row.t > 0);
          expect(seconds).toHaveLength(10);
          expect(new Set(seconds.map((row) => row.agent))).toEqual(new Set([agentOf[participant.participant]]));
          expect(participant.framesDecodedPerSecond).toBeGreaterThan(0);
          expect(participant.cpuPercent).toBeGreaterThan(0);
        }
        expect(result.effectiveTopology).toBe('mesh');
        expect(result.mean.modelUpMbps).toBeCloseTo(2, 5);
        expect(result.ratio.up).toBeGreaterThan(0.75);
        expect(result.ratio.up).toBeLessThan(1.25);
        expect(result.ratio.down).toBeGreaterThan(0.75);
        expect(result.ratio.down).toBeLessThan(1.25);
        // The coordinator stopped both sessions: the agents are idle, with no browser left.
        for (const address of local.agents) {
          expect(await new AgentClient(address, TOKEN).status()).toMatchObject({ busy: false, browserPids: [] });
        }
      } finally {
        await cleanup.run();
      }
      expect(await networkLeftovers()).toEqual([]);
    },
    240_000,
  );
});
