import { describe, expect, it } from 'vitest';
import { Cleanup } from '../stack/cleanup.js';
import { createTestNetwork, networkLeftovers, shapingUnavailable } from './namespaces.js';

const unavailable = shapingUnavailable();

describe.skipIf(unavailable)(`test networks${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('gives each participant a capped namespace on a bridge, and removes all of it again', async () => {
    const cleanup = new Cleanup();
    try {
      const network = await createTestNetwork(2, { uplinkKbps: 400 }, cleanup);
      expect(network.namespaces).toEqual([`talk-lt-${process.pid}-0`, `talk-lt-${process.pid}-1`]);
      expect(network.hostAddress).toMatch(/^198\.18\.\d+\.1$/);
      expect(await networkLeftovers()).toHaveLength(5);
    } finally {
      await cleanup.run();
    }
    expect(await networkLeftovers()).toEqual([]);
  });

  it('names netem when delay is asked of a kernel without it, and leaves nothing behind', async () => {
    const cleanup = new Cleanup();
    // Whether this kernel has netem is what is being found out: either the delay is applied, or the error says
    // which queueing discipline is missing instead of ignoring the option.
    const outcome = await createTestNetwork(1, { delayMs: 10, uplinkKbps: 1000 }, cleanup).then(
      () => 'applied',
      (error: Error) => error.message,
    );
    await cleanup.run();
    if (outcome !== 'applied') expect(outcome).toMatch(/--delay and --loss need the kernel's netem .*sch_netem/);
    expect(await networkLeftovers()).toEqual([]);
  });
});
