import type { ServerMessage } from '@talk/protocol';
import { KeyedSerialQueue } from '../async/serial-queue.js';
import { postSystemMessage } from '../chat/system-messages.js';
import type { CallRecord } from '../store/calls.js';
import type { Actor, Store } from '../store/store.js';
import {
  decideTopology,
  initialTopology,
  type Topology,
  type TopologyPolicy,
  type TopologyReason,
  type TopologyState,
} from './topology-policy.js';

/** What the coordinator needs. */
export interface CallCoordinatorDeps {
  store: Store;
  broadcast: (conversation: string, message: ServerMessage) => unknown;
  /** The server-wide policy; a conversation's own thresholds override it. */
  policy: TopologyPolicy;
  /** Errors of timer-driven rechecks, which have no caller to fail. */
  onError: (error: unknown) => void;
}

/**
 * Keeps each conversation's call true after every change of who is in it: starts and ends the call (with
 * system messages and `call-started`/`call-ended`), and decides the topology with the policy, announcing it as
 * `call-topology`. The state lives in the database so that any instance can take the next decision.
 */
export class CallCoordinator {
  /** Decisions about one call never interleave on this instance. */
  readonly #queues = new KeyedSerialQueue();
  readonly #timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: CallCoordinatorDeps) {}

  /** Re-decides a conversation's call; `actor` caused the change. */
  update(conversation: string, actor: Actor, sessionId = ''): Promise<void> {
    return this.#queues.run(conversation, () => this.#decide(conversation, actor, sessionId));
  }

  /** The policy that applies to a conversation with these thresholds. */
  policyFor(sfuFrom: number | null, meshAtMost: number | null): TopologyPolicy {
    const from = sfuFrom ?? this.deps.policy.sfuFrom;
    const mesh = Math.min(meshAtMost ?? this.deps.policy.meshAtMost, from - 1);
    return { ...this.deps.policy, sfuFrom: from, meshAtMost: mesh };
  }

  /** The topology a conversation's call will be on once one more session joins it. */
  async topologyOnJoin(conversation: string): Promise<Topology> {
    const { store } = this.deps;
    const [call, inCall] = await Promise.all([store.calls.get(conversation), store.presence.countInCall(conversation)]);
    const state: TopologyState = call?.startedAt
      ? {
          topology: call.topology,
          reason: call.reason,
          smallSince: call.smallSince?.getTime() ?? null,
        }
      : initialTopology();
    const policy = this.policyFor(call?.sfuFrom ?? null, call?.meshAtMost ?? null);
    return decideTopology(state, inCall + 1, Date.now(), policy).state.topology;
  }

  /**
   * The SFU went down or came back: every running call is decided again, so that calls on a dead SFU return to
   * the mesh (reason `no-sfu`) and big calls move to it once it is back.
   */
  async setSfuAvailable(available: boolean): Promise<void> {
    if (this.deps.policy.sfuAvailable === available) return;
    this.deps.policy = { ...this.deps.policy, sfuAvailable: available };
    const server = { userId: 'server', displayName: 'Server' };
    const calls = await this.deps.store.calls.active();
    await Promise.all(calls.map((conversation) => this.update(conversation, server)));
  }

  /** Stops pending rechecks, for shutdown. */
  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  async #decide(conversation: string, actor: Actor, sessionId: string): Promise<void> {
    const { store, broadcast } = this.deps;
    const [call, inCall] = await Promise.all([store.calls.get(conversation), store.presence.countInCall(conversation)]);
    if (!call) return; // deleted meanwhile
    clearTimeout(this.#timers.get(conversation));
    this.#timers.delete(conversation);
    const announce = (topology: 'mesh' | 'sfu', reason: TopologyReason) =>
      broadcast(conversation, { type: 'call-topology', conversation, topology, reason, inCall });

    if (inCall === 0) {
      if (!call.startedAt) return;
      await store.calls.set(conversation, {
        startedAt: null,
        topology: 'mesh',
        reason: 'call-started',
        smallSince: null,
        sfuSince: null,
      });
      await postSystemMessage(
        store,
        broadcast,
        conversation,
        actor,
        'call-ended',
        `${actor.displayName} ended the call`,
      );
      broadcast(conversation, { type: 'call-ended', conversation });
      return;
    }
    let state: TopologyState = {
      topology: call.topology,
      reason: call.reason,
      smallSince: call.smallSince?.getTime() ?? null,
    };
    const started = !call.startedAt;
    if (started) {
      state = { topology: 'mesh', reason: 'call-started', smallSince: null };
      await postSystemMessage(
        store,
        broadcast,
        conversation,
        actor,
        'call-started',
        `${actor.displayName} started a call`,
      );
      broadcast(conversation, { type: 'call-started', conversation, sessionId });
    }
    const policy = this.policyFor(call.sfuFrom, call.meshAtMost);
    const decision = decideTopology(state, inCall, Date.now(), policy);
    await store.calls.set(conversation, {
      startedAt: call.startedAt ?? new Date(),
      topology: decision.state.topology,
      reason: decision.state.reason,
      smallSince: decision.state.smallSince === null ? null : new Date(decision.state.smallSince),
      ...sfuEpochAfter(started ? 'mesh' : call.topology, decision.state.topology, call.sfuEpoch),
    });
    if (started || decision.changed) announce(decision.state.topology, decision.state.reason);
    if (decision.recheckInMs !== undefined) {
      const timer = setTimeout(() => {
        this.#timers.delete(conversation);
        this.update(conversation, actor).catch(this.deps.onError);
      }, decision.recheckInMs);
      timer.unref();
      this.#timers.set(conversation, timer);
    }
  }
}

/** The SFU epoch after a decision: a new one each time the call moves onto the SFU, none while it is on the mesh. */
function sfuEpochAfter(
  before: Topology,
  after: Topology,
  epoch: number,
): { sfuEpoch?: number; sfuSince?: Date | null } {
  if (after === 'mesh') return { sfuSince: null };
  return before === 'sfu' ? {} : { sfuEpoch: epoch + 1, sfuSince: new Date() };
}

/** The SFU epoch a LiveKit token minted now is for: the current one on the SFU, else the next one. */
export function sfuEpochFor(call: Pick<CallRecord, 'startedAt' | 'topology' | 'sfuEpoch'> | undefined): number {
  if (!call) return 1;
  return call.startedAt && call.topology === 'sfu' ? call.sfuEpoch : call.sfuEpoch + 1;
}
