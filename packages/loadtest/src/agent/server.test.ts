import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentClient } from '../coordinator/client.js';
import { PAGE_DIR } from '../stack/server.js';
import type { SessionRequest } from './protocol.js';
import { type RunningAgent, startAgent } from './server.js';

const TOKEN = 'the-agent-test-shared-secret';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/**
 * Serves the built harness page and nothing else: the agent's session loads it and waits for window.loadtest, and
 * nobody joins a call here, so no Talk server (whose start-up is slow on a loaded machine) is needed.
 */
async function servePage(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = normalize(new URL(request.url ?? '/', 'http://page').pathname);
    readFile(join(PAGE_DIR, path === '/' ? 'index.html' : path)).then(
      (body) =>
        response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://localhost:${(server.address() as AddressInfo).port}`, server };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the harness agent', () => {
  let page: { url: string; server: Server };
  let agent: RunningAgent;

  beforeAll(async () => {
    if (!existsSync(`${PAGE_DIR}/index.html`)) {
      await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)) });
    }
    page = await servePage();
    agent = await startAgent({ host: '127.0.0.1', port: 0, token: TOKEN, name: 'test-agent' });
  }, 120_000);
  afterAll(async () => {
    await agent?.close();
    page?.server.close();
  });

  const session = (leaseSeconds: number): SessionRequest => ({
    serverUrl: page.url,
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
