import type { CallSettings, ServerMessageOf } from '@talk/protocol';
import { joinTopology, type TopologyMode } from '../engine/join-topology.js';
import { EngineEvent, type MediaEngine } from '../engine/MediaEngine.js';
import { type CallEmit, CallEvent, type TopologyReason } from '../events.js';
import type { CallTrack } from '../track.js';
import type { Topology } from '../transport/CallTransport.js';

/** What a TopologyFollower needs from its call. */
export interface TopologyFollowerOptions {
  /** `auto` follows the server; a fixed topology ignores its announcements. */
  mode: TopologyMode;
  /** The engine that switches. */
  engine: Pick<MediaEngine, 'on' | 'topology' | 'switchingTo' | 'switchTo' | 'prepare' | 'unprepare'>;
  /** Whether to get the SFU path ready while the call is one short of the SFU threshold (see CallOptions). */
  prepareSfu: boolean;
  /** Whether the call is joined; before that an announcement is only remembered. */
  joined(): boolean;
  /** How many sessions are in the call, this one included. */
  inCall(): number;
  /** The local tracks a new transport starts sending. */
  tracks(): CallTrack[];
  /** Raises the call's events. */
  emit: CallEmit;
}

/**
 * The server's decisions about a call's topology as this browser follows them: which topology it wants and why,
 * which one a join starts on, when the engine has to switch, and the call's events as a switch begins and ends.
 */
export class TopologyFollower {
  readonly #options: TopologyFollowerOptions;
  /** The topology the server wants, in `auto` mode. */
  #wanted: Topology | null = null;
  #reason: TopologyReason | null = null;
  /** The SFU failed since the last announcement: the call stays on the mesh rather than trying again at once. */
  #sfuFailed = false;
  /** The settings of the current join: whether there is an SFU, and from how many in the call it is used. */
  #settings: CallSettings | null = null;

  constructor(options: TopologyFollowerOptions) {
    this.#options = options;
    const { engine, emit } = options;
    engine.on(EngineEvent.SwitchStarted, (from, to) => emit(CallEvent.TopologySwitchStarted, from, to));
    engine.on(EngineEvent.SwitchProgress, (mark) => emit(CallEvent.TopologySwitchProgress, mark));
    engine.on(EngineEvent.SwitchFinished, (topology) => {
      emit(CallEvent.TopologyChanged, topology, this.#reason ?? 'call-started');
      this.#prepare();
    });
    engine.on(EngineEvent.SfuUnreachable, (error) => {
      this.#sfuFailed = true;
      emit(CallEvent.SfuUnreachable, error);
    });
  }

  /** Whether the SFU the server asked for could not be reached, so media flows over the mesh meanwhile. */
  get sfuUnreachable(): boolean {
    return this.#sfuFailed;
  }

  /** How media flows now, or before joining how it would. */
  get topology(): Topology {
    const { engine, mode } = this.#options;
    return engine.topology ?? (mode === 'auto' ? (this.#wanted ?? 'mesh') : mode);
  }

  /** Why the server chose the topology, once it said. */
  get reason(): TopologyReason | null {
    return this.#reason;
  }

  /** The topology a join starts on, given the call's settings and what the conversation's `joined` announced. */
  joinTopology(settings: CallSettings, announced: Topology | undefined): Topology {
    this.#settings = settings;
    return joinTopology(this.#options.mode, { settings, wanted: this.#wanted, announced });
  }

  /** A `call-topology` of this call arrived. */
  announced(message: ServerMessageOf<'call-topology'>): void {
    if (this.#options.mode !== 'auto') return;
    const reasonChanged = message.reason !== this.#reason;
    this.#wanted = message.topology;
    this.#reason = message.reason;
    // A new decision is worth another try at the SFU.
    this.#sfuFailed = false;
    // `no-sfu` changes nothing but the reason, which hosts may show ("the call stays peer to peer").
    if (reasonChanged && message.topology === this.topology && !this.#options.engine.switchingTo) {
      this.#options.emit(CallEvent.TopologyChanged, this.topology, message.reason);
    }
    this.reconcile();
  }

  /** Starts a switch when the server wants another topology than the one media flows on (or moves to). */
  reconcile(): void {
    if (this.#options.mode === 'auto' && this.#options.joined() && this.#wanted) {
      if (this.#wanted !== 'sfu' || !this.#sfuFailed)
        this.#options.engine.switchTo(this.#wanted, this.#options.tracks());
    }
    this.#prepare();
  }

  /** Someone joined or left the call, which may bring it near the SFU threshold or away from it. */
  membershipChanged(): void {
    this.#prepare();
  }

  /** Forgets what the server said, when the call ends. */
  reset(): void {
    this.#wanted = null;
    this.#reason = null;
    this.#sfuFailed = false;
    this.#settings = null;
  }

  /**
   * Gets the SFU path ready while the call is on the mesh one participant short of the SFU threshold, so that a
   * switch the next joiner brings only has to subscribe; drops it when the call is further from it.
   */
  #prepare(): void {
    const { engine, mode, prepareSfu, joined, inCall } = this.#options;
    const sfuFrom = this.#settings?.sfuUrl ? this.#settings.sfuFrom : undefined;
    const near =
      prepareSfu &&
      mode === 'auto' &&
      joined() &&
      sfuFrom !== undefined &&
      !this.#sfuFailed &&
      engine.topology === 'mesh' &&
      !engine.switchingTo &&
      inCall() >= sfuFrom - 1;
    if (near) engine.prepare('sfu', this.#options.tracks());
    else if (!engine.switchingTo) engine.unprepare();
  }
}
