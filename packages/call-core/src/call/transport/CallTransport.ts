import type { CallSettings, SignalPayload } from '@talk/protocol';
import type { TalkClientLike } from '../../client/TalkClientLike.js';
import type { TypedEmitter } from '../../emitter.js';
import type { InboundTrackStats, OutboundTrackStats } from '../../stats/CallStats.js';
import type { CallTrack } from '../track.js';

/** How media flows: peer to peer between every pair, or through a LiveKit SFU. */
export type Topology = 'mesh' | 'sfu';

/** What a transport needs from its call. */
export interface TransportContext {
  /** The client, for REST (SFU tokens) and signaling. */
  client: TalkClientLike;
  /** The conversation whose call this is. */
  conversation: string;
  /** This browser's signaling session id, which is its identity in either topology. */
  sessionId: string;
  /** ICE servers, SFU URL and bitrate cap from GET call. */
  settings: CallSettings;
  /** Relays a negotiation payload to another session through signaling. */
  sendSignal(to: string, payload: SignalPayload): void;
  /**
   * True when the transport comes in by a topology switch: remote video must flow before any element shows it,
   * so that the call can wait for its first frames before swapping it in.
   */
  switching?: boolean;
  /**
   * True for a transport made ready ahead of a switch the call may soon make: it connects and sends, but receives
   * only the sessions `addPeer` names, which the switch does once the server decides.
   */
  ahead?: boolean;
}

/** Events a transport reports to its call. */
export enum TransportEvent {
  /** A remote track can be played. */
  TrackAdded = 'trackAdded',
  /** A remote track went away. */
  TrackRemoved = 'trackRemoved',
  /** A remote participant's media connection changed state. */
  PeerStateChanged = 'peerStateChanged',
  /** A remote session sent a message alongside its media (`sendData`), e.g. a reaction. */
  DataReceived = 'dataReceived',
  /**
   * The transport reached its server (the SFU room is joined) and starts sending; optional, and mesh, which
   * connects per remote, says it with `PeerStateChanged` instead.
   */
  Connected = 'connected',
}

/** Listener signatures of TransportEvent. */
export type TransportEventCallbacks = {
  [TransportEvent.TrackAdded]: (sessionId: string, track: CallTrack) => void;
  [TransportEvent.TrackRemoved]: (sessionId: string, track: CallTrack) => void;
  [TransportEvent.PeerStateChanged]: (sessionId: string, state: RTCPeerConnectionState) => void;
  [TransportEvent.DataReceived]: (sessionId: string, data: string) => void;
  [TransportEvent.Connected]: () => void;
};

/** Statistics as a transport gathers them; Call adds the topology and the time. */
export interface TransportStats {
  local: OutboundTrackStats[];
  remote: Map<string, InboundTrackStats[]>;
}

/**
 * Moves media between this browser and the other participants. Call owns participants and signaling; a transport
 * only sends local tracks and reports remote ones keyed by session id, so topologies can be swapped under a call.
 */
export interface CallTransport extends Pick<TypedEmitter<TransportEventCallbacks>, 'on' | 'off'> {
  /** Which topology this is. */
  readonly topology: Topology;
  /** Gets ready to exchange media and starts sending `tracks`, which it takes before its first await. */
  connect(tracks: readonly CallTrack[]): Promise<void>;
  /** Starts sending another local track. */
  publishTrack(track: CallTrack): Promise<void>;
  /** Stops sending a local track (a screen share that ended). */
  unpublishTrack(track: CallTrack): Promise<void>;
  /** Sends `next` where `previous` was sent, e.g. another camera. */
  replaceTrack(previous: CallTrack, next: CallTrack): Promise<void>;
  /** Pauses or resumes sending a local track without renegotiating. */
  setTrackEnabled(track: CallTrack, enabled: boolean): Promise<void>;
  /** A remote session is in the call (mesh connects to it; the SFU learns this from LiveKit). */
  addPeer(sessionId: string): void;
  /** A remote session left the call, or its media comes another way now: stop receiving it here. */
  removePeer(sessionId: string): void;
  /** A negotiation payload arrived from another session. */
  handleSignal(from: string, payload: SignalPayload): void;
  /**
   * How loud each remote session's microphone arrives now (0–1, WebRTC's `audioLevel` scale), for active speaker
   * detection, which reads it a few times a second; optional for transports of embedders.
   */
  audioLevels?(): ReadonlyMap<string, number>;
  /**
   * Sends a short text to every remote session alongside the media (a data channel per peer in mesh, LiveKit's
   * data messages on the SFU), so in-call chatter such as reactions needs no signaling round per receiver.
   */
  sendData?(data: string): void;
  /** RTP statistics of every sent and received track. */
  getStats(): Promise<TransportStats>;
  /** Stops all media and connections. */
  close(): void;
}
