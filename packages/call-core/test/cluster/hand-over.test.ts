// A rolling restart as clients behind haproxy see it: the instance one of them is on is stopped with SIGTERM, and
// hands its sessions over to the other instead of ending them.
import { haproxyAvailable } from '@talk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverBuilt } from '../faults/server-process.js';
import { type ClusterStack, handOverRound, startClusterStack } from './stack.js';

describe.runIf(serverBuilt() && haproxyAvailable())('an instance stopped with SIGTERM', { timeout: 120_000 }, () => {
  let stack: ClusterStack;
  beforeAll(async () => {
    stack = await startClusterStack(2);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("hands its session over: no leave, the chat and the call's signals sent meanwhile once, in order; it exits 0", async () => {
    const proxy = await stack.proxy();
    const round = await handOverRound(stack, proxy, 0);
    // Least connections: Alice and Bob were on different instances, so Alice's moved.
    expect(new Set(round.homes).size).toBe(2);
    expect(round.resumed).toBe(true);
    expect(round.sessionIds[1]).toBe(round.sessionIds[0]);
    for (const ids of [round.receivedByAlice, round.receivedByBob]) {
      expect(round.acknowledged.filter((id) => !ids.includes(id))).toEqual([]); // none lost
      expect(new Set(ids).size).toBe(ids.length); // none doubled
      expect([...ids].sort((x, y) => x - y)).toEqual(ids); // in order
    }
    expect(round.signalsReceived).toEqual(round.signalsSent);
    expect(round.answeredAfter).toBe(true);
    // Bob saw Alice neither leave nor join again, and she is still in the call for him.
    expect(round.leftSeenByBob).toEqual([]);
    expect(round.joinedSeenByBob).toEqual([]);
    expect(round.aliceInCallForBob).toBe(true);
    // Its force-exit (after 10 s) would have exited 1.
    expect(round.exitCode).toBe(0);
    console.log(`hand-over: resumed ${round.handOverMs} ms after SIGTERM; exited after ${round.exitMs} ms`);
  });
});
