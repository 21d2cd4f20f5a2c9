import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentClient } from '../coordinator/client.js';
import { Cleanup } from '../stack/cleanup.js';
import { PAGE_DIR, type Stack, startStack } from '../stack/server.js';
import type { SessionRequest } from './protocol.js';
import { type RunningAgent, startAgent } from './server.js';

const TOKEN = 'the-agent-test-shared-secret';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the harness agent', () => {
  const cleanup = new Cleanup();
  let stack: Stack;
  let agent: RunningAgent;

  beforeAll(async () => {
    if (!existsSync(`${PAGE_DIR}/index.html`)) {
      await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)) });
    }
    stack = await startStack(
      { sfu: false, maxVideoBitrate: 1e6, serverDecidesTopology: false, servePage: true },
      cleanup,
    );
    agent = await startAgent({ host: '127.0.0.1', port: 0, token: TOKEN, name: 'test-agent' });
    cleanup.add('agent', () => agent.close());
  }, 120_000);
  afterAll(() => cleanup.run());

  const session = (leaseSeconds: number): SessionRequest => ({
    serverUrl: stack.url,
    runId: 'agent-test',
    participants: [{ index: 0, userId: 'p0' }],
    callSize: 2,
    topology: 'mesh',
    audio: false,
    video: { width: 320, height: 240, fps: 5 },
    tabsPerBrowser: 1,
    browser: 'chromium',
    leaseSeconds,
  });

  it('answers only requests that carry its token', async () => {
    const base = `http://${agent.address}/v1/status`;
    expect((await fetch(base)).status).toBe(401);
    expect((await fetch(base, { headers: { authorization: 'Bearer not-the-token-at-all' } })).status).toBe(401);
    await expect(new AgentClient(agent.address, 'wrong-token-of-some-length').status()).rejects.toThrow(/401/);
    expect(await new AgentClient(agent.address, TOKEN).status()).toMatchObject({ agent: 'test-agent', busy: false });
  });

  it('refuses a malformed session before starting any browser', async () => {
    const client = new AgentClient(agent.address, TOKEN);
    await expect(client.startSession({ ...session(5), serverUrl: 'file:///etc' })).rejects.toThrow(/400: serverUrl/);
    await expect(client.startSession({ ...session(0) })).rejects.toThrow(/400: leaseSeconds/);
    expect((await client.status()).busy).toBe(false);
  });

  it('keeps its browser while the coordinator asks, and closes it by itself once the coordinator goes away', async () => {
    const client = new AgentClient(agent.address, TOKEN);
    const started = await client.startSession(session(2));
    expect(started).toEqual({ agent: 'test-agent', participants: [0] });
    const [pid] = (await client.status()).browserPids;
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid!)).toBe(true);
    await expect(client.startSession(session(2))).rejects.toThrow(/409/);
    // Asking more often than the lease for twice its length keeps the session.
    const keepUntil = Date.now() + 4_000;
    while (Date.now() < keepUntil) {
      expect((await client.sample()).participants.map((entry) => entry.index)).toEqual([0]);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(alive(pid!)).toBe(true);
    // Silence: nothing is asked (a status request would renew the lease), the browser must go by itself.
    await vi.waitFor(() => expect(alive(pid!)).toBe(false), { timeout: 20_000, interval: 250 });
    expect(await client.status()).toMatchObject({ busy: false, browserPids: [], lastEnded: 'lease expired' });
    await expect(client.sample()).rejects.toThrow(/404/);
  }, 60_000);
});
