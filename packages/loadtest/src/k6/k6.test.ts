import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { memoryPerSession, runK6 } from './main.js';

const K6 = join(process.env.TALK_TOOLS_BIN ?? fileURLToPath(new URL('../../../../.tools/bin', import.meta.url)), 'k6');
const thresholds = { fanoutP99Ms: 60_000, connectP95Ms: 60_000, maxErrorRate: 0.01 };

describe('memory per held session', () => {
  it('takes the medians before the first session and while all are held, over the sessions held', () => {
    const samples = [
      { t: 0, sessions: 0, rssMiB: 100, heapUsedMiB: 50 },
      { t: 2, sessions: 0, rssMiB: 102, heapUsedMiB: 52 },
      { t: 4, sessions: 500, rssMiB: 140, heapUsedMiB: 60 },
      { t: 6, sessions: 1000, rssMiB: 120, heapUsedMiB: 60 },
      { t: 8, sessions: 1000, rssMiB: 121, heapUsedMiB: 61 },
      { t: 10, sessions: 1000, rssMiB: 122, heapUsedMiB: 62 },
      { t: 12, sessions: 10, rssMiB: 130, heapUsedMiB: 70 },
    ];
    const memory = memoryPerSession(samples, 0.001)!;
    expect(memory.sessionsHeld).toBe(1000);
    expect(memory.baselineMiB).toBe(101);
    expect(memory.heldMiB).toBe(121);
    expect(memory.perSessionKiB).toBeCloseTo((20 * 1024) / 1000, 5);
    expect(memory.heapPerSessionKiB).toBeCloseTo((10 * 1024) / 1000, 5);
    expect(memory.holdSeconds).toBe(4);
    expect(memory.growth).toBeCloseTo(2 / 120, 5);
    expect(memory.growthFailed).toBe(true);
    expect(memoryPerSession(samples.slice(2))).toBeUndefined();
  });
});

// Smokes of the k6 paths the long runs take, a few sessions for a few seconds each. Each run is bounded by its own
// ramp, hold and k6's maxDuration; the time allowed covers a server (or a PostgreSQL cluster) starting and k6
// starting its VUs on a loaded machine, which alone can pass the 30 s default.
describe.skipIf(!existsSync(K6))('k6 against a fresh server', { timeout: 120_000 }, () => {
  it('holds idle sessions of users provisioned before the ramp and reports their memory', async () => {
    const result = await runK6({
      sessions: 20,
      roomSize: 10,
      messagesPerSecond: 0,
      durationSeconds: 6,
      rampSeconds: 1,
      provision: 'setup',
      thresholds,
    });
    expect(result.passed).toBe(true);
    expect(result.sessionsJoined).toBe(20);
    expect(result.messagesSent).toBe(0);
    expect(result.memory?.sessionsHeld).toBe(20);
    expect(result.memory?.baselineMiB).toBeGreaterThan(0);
  });

  it('runs chat on PostgreSQL', async () => {
    const result = await runK6({
      sessions: 10,
      roomSize: 5,
      messagesPerSecond: 10,
      durationSeconds: 4,
      rampSeconds: 2,
      storage: 'postgres',
      thresholds,
    });
    expect(result.storage).toBe('postgres');
    expect(result.sessionsJoined).toBe(10);
    expect(result.deliveries).toBeGreaterThan(0);
    expect(result.errorRate).toBe(0);
    expect(result.errorsByKind).toEqual({ connect: 0, lost: 0, socket: 0, frame: 0, post: 0 });
  });
});

/**
 * A server on loopback that answers every REST call (a token, a room) but never answers a WebSocket upgrade: the
 * signaling of a server too busy to accept sockets.
 */
async function unresponsiveSignaling(): Promise<{ url: string; stop: () => Promise<void>; upgrades: () => number }> {
  const held = new Set<Socket>();
  let upgrades = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(request.method === 'POST' ? 201 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ token: 'a-token' }));
    });
  });
  server.on('upgrade', (_request, socket: Socket) => {
    upgrades += 1;
    held.add(socket); // never answered, never closed by the server
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const stop = async () => {
    for (const socket of held) socket.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { url: `http://127.0.0.1:${address.port}`, stop, upgrades: () => upgrades };
}

describe.skipIf(!existsSync(K6))('k6 against a server that never answers a socket', { timeout: 120_000 }, () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(() => stop?.());

  it('ends, writes its summary and counts every session that never joined as an error', async () => {
    const endpoint = await unresponsiveSignaling();
    stop = endpoint.stop;
    const options = {
      url: endpoint.url,
      sessions: 5,
      roomSize: 5,
      messagesPerSecond: 0,
      durationSeconds: 2,
      rampSeconds: 1,
      connectTimeoutSeconds: 3,
      thresholds,
    };
    // The old script hung here for good: at its end it closed sockets still dialling, which blocks k6.
    const result = await runK6(options);
    expect(endpoint.upgrades()).toBe(5);
    expect(result.sessionsJoined).toBe(0);
    expect(result.errorRate).toBe(1);
    expect(result.passed).toBe(false);
    expect(result.failedThresholds).toContain('errors rate<0.01');
    expect(result.errorsByKind).toEqual({ connect: 5, lost: 0, socket: 0, frame: 0, post: 0 });
  });
});

/** A signaling endpoint that lets every session join, then closes its socket `afterMs` later: a server dropping them. */
async function droppingSignaling(afterMs: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(request.method === 'POST' ? 201 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ token: 'a-token' }));
    });
  });
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; id: string };
      if (message.type === 'hello') socket.send(JSON.stringify({ type: 'welcome', id: message.id }));
      if (message.type === 'join') {
        socket.send(JSON.stringify({ type: 'joined', id: message.id }));
        setTimeout(() => socket.close(1011, 'dropped'), afterMs);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const stop = async () => {
    for (const socket of sockets.clients) socket.terminate();
    await new Promise((resolve) => sockets.close(resolve));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { url: `http://127.0.0.1:${address.port}`, stop };
}

describe.skipIf(!existsSync(K6))('k6 against a server that drops joined sessions', { timeout: 120_000 }, () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(() => stop?.());

  it('counts each session closed before the end as lost, not as a failed connect', async () => {
    const endpoint = await droppingSignaling(500);
    stop = endpoint.stop;
    const result = await runK6({
      url: endpoint.url,
      sessions: 4,
      roomSize: 4,
      messagesPerSecond: 0,
      durationSeconds: 3,
      rampSeconds: 1,
      thresholds,
    });
    expect(result.sessionsJoined).toBe(4);
    // k6 reports the close with 1011 as a socket error as well; each session counts once towards the rate.
    expect(result.errorsByKind).toEqual({ connect: 0, lost: 4, socket: 4, frame: 0, post: 0 });
    expect(result.errorRate).toBe(0.5);
    expect(result.failedThresholds).toContain('errors rate<0.01');
  });
});
