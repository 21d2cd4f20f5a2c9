import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TOPOLOGY_POLICY,
  decideTopology,
  initialTopology,
  type TopologyPolicy,
  type TopologyState,
} from './topology-policy.js';

const policy: TopologyPolicy = { ...DEFAULT_TOPOLOGY_POLICY, sfuAvailable: true };

/** Feeds a sequence of (in-call count, time) into the policy and returns the topology after each. */
function run(steps: Array<[inCall: number, at: number]>, rules = policy): string[] {
  let state: TopologyState = initialTopology();
  return steps.map(([inCall, at]) => {
    state = decideTopology(state, inCall, at, rules).state;
    return `${state.topology}/${state.reason}`;
  });
}

describe('topology policy', () => {
  it('keeps a call of up to 4 sessions mesh and moves it to the SFU at 5', () => {
    expect(
      run([
        [1, 0],
        [4, 1],
        [5, 2],
      ]),
    ).toEqual(['mesh/call-started', 'mesh/call-started', 'sfu/grew']);
  });

  it('announces only real changes', () => {
    const grown = decideTopology(initialTopology(), 5, 0, policy);
    expect(grown.changed).toBe(true);
    expect(decideTopology(grown.state, 6, 1, policy).changed).toBe(false);
    expect(decideTopology(initialTopology(), 3, 0, policy).changed).toBe(false);
  });

  it('stays on the SFU at 4 sessions, and at 3 until the delay has passed', () => {
    const delay = policy.downgradeDelayMs;
    expect(
      run([
        [5, 0],
        [4, 1],
        [3, 2],
        [3, 2 + delay - 1],
        [3, 2 + delay],
      ]),
    ).toEqual(['sfu/grew', 'sfu/grew', 'sfu/grew', 'sfu/grew', 'mesh/shrank']);
  });

  it('asks to be asked again when the downgrade delay will have run out', () => {
    const sfu = decideTopology(initialTopology(), 5, 0, policy).state;
    const small = decideTopology(sfu, 2, 1_000, policy);
    expect(small).toMatchObject({ changed: false, recheckInMs: policy.downgradeDelayMs });
    const later = decideTopology(small.state, 2, 4_000, policy);
    expect(later.recheckInMs).toBe(policy.downgradeDelayMs - 3_000);
  });

  it('restarts the delay when the call grows past the mesh threshold in between', () => {
    const delay = policy.downgradeDelayMs;
    expect(
      run([
        [5, 0],
        [3, 1],
        [4, 2],
        [3, 3],
        [3, 1 + delay],
        [3, 3 + delay],
      ]),
    ).toEqual(['sfu/grew', 'sfu/grew', 'sfu/grew', 'sfu/grew', 'sfu/grew', 'mesh/shrank']);
  });

  it('goes back to the SFU when a shrunk call grows again', () => {
    const delay = policy.downgradeDelayMs;
    expect(
      run([
        [5, 0],
        [3, 1],
        [3, 1 + delay],
        [5, 2 + delay],
      ]).at(-1),
    ).toBe('sfu/grew');
  });

  it('keeps a big call mesh with reason no-sfu when no SFU is configured', () => {
    const noSfu = { ...policy, sfuAvailable: false };
    const decision = decideTopology(initialTopology(), 8, 0, noSfu);
    expect(decision).toMatchObject({ changed: true, state: { topology: 'mesh', reason: 'no-sfu' } });
    expect(decideTopology(decision.state, 9, 1, noSfu).changed).toBe(false);
  });

  it('follows thresholds a conversation sets for itself', () => {
    const small = { ...policy, sfuFrom: 3, meshAtMost: 1, downgradeDelayMs: 0 };
    expect(
      run(
        [
          [2, 0],
          [3, 1],
          [2, 2],
          [1, 3],
        ],
        small,
      ),
    ).toEqual(['mesh/call-started', 'sfu/grew', 'sfu/grew', 'mesh/shrank']);
  });
});
