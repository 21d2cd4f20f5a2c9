import { describe, expect, it } from 'vitest';
import { measureTrees, parseStat } from './process.js';

describe('process trees from /proc', () => {
  it('reads parent and CPU ticks from a stat line whose name holds spaces and parentheses', () => {
    const line = '4242 (Web Content (x)) S 4200 4242 4200 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 1 2 3';
    expect(parseStat(line)).toEqual({ pid: 4242, ppid: 4200, ticks: 300 });
  });

  it('measures this process as a tree with memory and CPU time', async () => {
    const [tree] = await measureTrees([process.pid]);
    expect(tree!.processes).toBeGreaterThanOrEqual(1);
    expect(tree!.memoryMiB).toBeGreaterThan(1);
    expect(tree!.cpuSeconds).toBeGreaterThan(0);
  });
});
