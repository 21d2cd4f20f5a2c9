import type { TrackSource } from '../track.js';
import type { Topology } from '../transport/CallTransport.js';

/** A step of a topology switch, as `CallEvent.TopologySwitchProgress` reports it. */
export enum SwitchPhase {
  /** The server's decision arrived: the new transport starts connecting beside the old one. */
  Decided = 'decided',
  /** The new transport is up: the SFU room joined, or the new mesh connection to one remote connected. */
  Connected = 'connected',
  /** Every local track is sent on the new transport. */
  Published = 'published',
  /** A remote track arrived over the new transport. */
  Subscribed = 'subscribed',
  /** A remote track on the new transport decoded its first frame (audio: received its first packet). */
  FirstFrame = 'firstFrame',
  /** A remote track on the new transport took the old one's place. */
  Swapped = 'swapped',
  /** This browser told a remote that it receives all of that remote's media the new way. */
  SwitchedSent = 'switchedSent',
  /** A remote said it receives all of this browser's media the new way. */
  SwitchedReceived = 'switchedReceived',
  /** The old path to a remote was closed. */
  PeerClosed = 'peerClosed',
  /** The switch is over and the old transport closed. */
  Finished = 'finished',
}

/** One step of a switch, with when it happened, for hosts that time switches (and the switch benchmark). */
export interface SwitchMark {
  /** Which step. */
  phase: SwitchPhase;
  /** When, as `Date.now()`. */
  at: number;
  /** The topology the switch moves to. */
  to: Topology;
  /** The remote session the step concerns, for per-remote steps. */
  sessionId?: string;
  /** The track source the step concerns, for per-track steps. */
  source?: TrackSource;
}
