import type { ActiveSpeakerOptions } from './ActiveSpeaker.js';
import type { TopologyMode } from './engine/join-topology.js';
import type { SwitchTimings } from './topology/TopologySwitch.js';
import type { CallTransport, Topology, TransportContext } from './transport/CallTransport.js';

/** Options of a Call. */
export interface CallOptions {
  /**
   * `auto` (the default) follows the server's `call-topology` announcements and switches transports
   * make-before-break as the call grows and shrinks; `mesh` or `sfu` fix the topology for the call's lifetime.
   */
  topology?: TopologyMode;
  /** Builds the transport; tests and embedders can substitute their own. */
  createTransport?: (topology: Topology, context: TransportContext) => CallTransport;
  /** Gets camera and microphone; defaults to navigator.mediaDevices.getUserMedia. */
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  /** Gets a screen to share; defaults to navigator.mediaDevices.getDisplayMedia. */
  getDisplayMedia?: (options: DisplayMediaStreamOptions) => Promise<MediaStream>;
  /** Timeouts of a topology switch. */
  switchTimings?: Partial<SwitchTimings>;
  /**
   * In `auto` mode, connect to the SFU beside the mesh while the call is one participant short of the server's
   * SFU threshold, sending there but receiving nothing, so that the switch, when it comes, only subscribes; true by
   * default. Off, the switch connects and publishes after the decision, seconds later on a busy machine.
   */
  prepareSfu?: boolean;
  /** Tuning of active speaker detection (`CallEvent.ActiveSpeakerChanged`). */
  activeSpeaker?: Partial<ActiveSpeakerOptions>;
  /** How often `CallEvent.StatsUpdated` fires while joined, in milliseconds; 1000 by default, 0 for never. */
  statsIntervalMs?: number;
}
