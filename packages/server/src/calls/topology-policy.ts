/** How a call's media flows: peer to peer between every pair, or through the SFU. */
export type Topology = 'mesh' | 'sfu';

/** Why the topology is what it is; sent to clients in `call-topology`. */
export type TopologyReason =
  /** A call started; small calls are mesh. */
  | 'call-started'
  /** The call reached the SFU threshold. */
  | 'grew'
  /** The call stayed at or below the mesh threshold for the whole delay. */
  | 'shrank'
  /** The call is big enough for the SFU, but none is configured, so it stays mesh. */
  | 'no-sfu';

/** The thresholds of the policy; the server's defaults come from the environment, a conversation may override them. */
export interface TopologyPolicy {
  /** Move to the SFU when the call has this many in-call sessions or more. */
  sfuFrom: number;
  /** Move back to mesh only when the call has this many or fewer… */
  meshAtMost: number;
  /** …for this long, so that one flaky participant does not make everyone renegotiate twice. */
  downgradeDelayMs: number;
  /** Whether an SFU is configured at all. */
  sfuAvailable: boolean;
}

/** Default thresholds: mesh up to 4, SFU from 5, back to mesh at 3 or fewer after 10 s. */
export const DEFAULT_TOPOLOGY_POLICY: Omit<TopologyPolicy, 'sfuAvailable'> = {
  sfuFrom: 5,
  meshAtMost: 3,
  downgradeDelayMs: 10_000,
};

/** What the policy remembers about one call between decisions. */
export interface TopologyState {
  /** The topology announced last. */
  topology: Topology;
  /** The reason announced with it. */
  reason: TopologyReason;
  /** Since when (ms epoch) an SFU call has been small enough for mesh, or null. */
  smallSince: number | null;
}

/** The outcome of one decision. */
export interface TopologyDecision {
  /** The state to keep. */
  state: TopologyState;
  /** Whether clients must be told (the topology or its reason changed). */
  changed: boolean;
  /** When set, decide again after this many ms even if nobody joins or leaves: the downgrade delay runs. */
  recheckInMs?: number;
}

/** The state of a call that has just started. */
export function initialTopology(): TopologyState {
  return { topology: 'mesh', reason: 'call-started', smallSince: null };
}

/**
 * Decides a call's topology from how many sessions are in it now. Mesh while small; SFU from `sfuFrom`; back
 * to mesh only after the call has stayed at `meshAtMost` or fewer for `downgradeDelayMs` (hysteresis). Without
 * an SFU a call that would move stays mesh with reason `no-sfu`.
 */
export function decideTopology(
  state: TopologyState,
  inCall: number,
  now: number,
  policy: TopologyPolicy,
): TopologyDecision {
  const next = (topology: Topology, reason: TopologyReason, smallSince: number | null = null): TopologyDecision => ({
    state: { topology, reason, smallSince },
    changed: topology !== state.topology || reason !== state.reason,
  });
  if (state.topology === 'mesh') {
    if (inCall < policy.sfuFrom) return { state: { ...state, smallSince: null }, changed: false };
    return policy.sfuAvailable ? next('sfu', 'grew') : next('mesh', 'no-sfu');
  }
  if (!policy.sfuAvailable) return next('mesh', 'no-sfu');
  if (inCall > policy.meshAtMost) return { state: { ...state, smallSince: null }, changed: false };
  const smallSince = state.smallSince ?? now;
  const waited = now - smallSince;
  if (waited >= policy.downgradeDelayMs) return next('mesh', 'shrank');
  return { state: { ...state, smallSince }, changed: false, recheckInMs: policy.downgradeDelayMs - waited };
}
