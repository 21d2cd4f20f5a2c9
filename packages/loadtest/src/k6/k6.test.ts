import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryPerSession, runK6 } from './main.js';

const K6 = join(process.env.TALK_TOOLS_BIN ?? fileURLToPath(new URL('../../../../.tools/bin', import.meta.url)), 'k6');
const thresholds = { fanoutP95Ms: 60_000, connectP95Ms: 60_000, maxErrorRate: 0.01 };

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
  });
});
