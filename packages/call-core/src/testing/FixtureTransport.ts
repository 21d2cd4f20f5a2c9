import type { SignalPayload } from '@talk/protocol';
import { CallTrack, TrackKind, type TrackSource } from '../call/track.js';
import type {
  CallTransport,
  Topology,
  TransportEventCallbacks,
  TransportStats,
} from '../call/transport/CallTransport.js';
import { TransportEvent } from '../call/transport/CallTransport.js';
import { TypedEmitter } from '../emitter.js';
import type { InboundTrackStats } from '../stats/CallStats.js';

/** A remote person's media as the fixture's room holds it. */
export interface FixtureFeed {
  /** The track's source: camera or screen. */
  source: TrackSource;
  /** The synthetic track. */
  track: MediaStreamTrack;
}

/** What a fixture transport needs from the room of its conversation. */
export interface FixtureRoomView {
  /** The feeds a session in the call sends now. */
  feedsOf(sessionId: string): FixtureFeed[];
  /** How loud a session speaks now (0–1). */
  levelOf(sessionId: string): number;
  /** How a session's media arrives: round trip in milliseconds and the share of packets lost. */
  networkOf(sessionId: string): { roundTripMs: number; loss: number };
  /** Registers a transport for feed changes; returns the unregister. */
  attach(transport: FixtureTransport): () => void;
}

/**
 * A CallTransport that moves no media: the remote feeds are the room's synthetic tracks, handed to the call as a
 * real transport hands received ones, and statistics are counters that grow as a healthy (or lossy) link's would.
 */
export class FixtureTransport extends TypedEmitter<TransportEventCallbacks> implements CallTransport {
  /** The topology the call asked for; media "flows" the same either way. */
  readonly topology: Topology;
  readonly #room: FixtureRoomView;
  /** Remote sessions met, with when, for the statistics' counters. */
  readonly #peers = new Map<string, number>();
  /** The CallTrack handed to the call for each remote feed, so a removal names the same object. */
  readonly #tracks = new Map<MediaStreamTrack, CallTrack>();
  #detach: (() => void) | null = null;

  constructor(room: FixtureRoomView, topology: Topology) {
    super();
    this.#room = room;
    this.topology = topology;
  }

  async connect(): Promise<void> {
    this.#detach = this.#room.attach(this);
  }

  async publishTrack(): Promise<void> {}

  async unpublishTrack(): Promise<void> {}

  async replaceTrack(): Promise<void> {}

  async setTrackEnabled(track: CallTrack, enabled: boolean): Promise<void> {
    // As the real transports do: a muted local track keeps its sender but sends nothing.
    track.mediaStreamTrack.enabled = enabled;
  }

  addPeer(sessionId: string): void {
    if (this.#peers.has(sessionId)) return;
    this.#peers.set(sessionId, performance.now());
    // Asynchronously, as media arrives after the peer is known.
    queueMicrotask(() => {
      if (!this.#peers.has(sessionId)) return;
      this.emit(TransportEvent.PeerStateChanged, sessionId, 'connected');
      for (const feed of this.#room.feedsOf(sessionId)) this.feedStarted(sessionId, feed);
    });
  }

  removePeer(sessionId: string): void {
    if (!this.#peers.delete(sessionId)) return;
    for (const feed of this.#room.feedsOf(sessionId)) this.feedEnded(sessionId, feed.track);
  }

  handleSignal(_from: string, _payload: SignalPayload): void {
    // Nothing to negotiate: the fixture's media is already here.
  }

  audioLevels(): ReadonlyMap<string, number> {
    return new Map([...this.#peers.keys()].map((sessionId) => [sessionId, this.#room.levelOf(sessionId)]));
  }

  sendData(): void {
    // The fixture's people see reactions but do not answer them.
  }

  async getStats(): Promise<TransportStats> {
    const now = performance.now();
    const remote = new Map<string, InboundTrackStats[]>();
    for (const [sessionId, since] of this.#peers) {
      const seconds = (now - since) / 1000;
      const { roundTripMs, loss } = this.#room.networkOf(sessionId);
      // A muted microphone still sends (silence), as WebRTC's disabled tracks do, so everyone gets a badge.
      const stats = [counters(TrackKind.Audio, seconds, 4_000, 50, loss, roundTripMs)];
      const video = this.#room.feedsOf(sessionId).length > 0;
      if (video) stats.push(counters(TrackKind.Video, seconds, 60_000, 90, loss, roundTripMs));
      remote.set(sessionId, stats);
    }
    return { local: [], remote };
  }

  close(): void {
    this.#detach?.();
    this.#detach = null;
    this.#peers.clear();
    this.#tracks.clear();
  }

  /** @internal The room: a session in the call started sending a feed. */
  feedStarted(sessionId: string, feed: FixtureFeed): void {
    if (!this.#peers.has(sessionId) || this.#tracks.has(feed.track)) return;
    const track = new CallTrack(feed.track, feed.source);
    this.#tracks.set(feed.track, track);
    this.emit(TransportEvent.TrackAdded, sessionId, track);
  }

  /** @internal The room: a session stopped sending a feed. */
  feedEnded(sessionId: string, mediaStreamTrack: MediaStreamTrack): void {
    const track = this.#tracks.get(mediaStreamTrack);
    if (!track) return;
    this.#tracks.delete(mediaStreamTrack);
    this.emit(TransportEvent.TrackRemoved, sessionId, track);
  }

  /** @internal The room: a session in the call sent a message beside its media. */
  dataFrom(sessionId: string, data: string): void {
    if (this.#peers.has(sessionId)) this.emit(TransportEvent.DataReceived, sessionId, data);
  }
}

/** Receive counters after `seconds` of a stream of `bytesPerSecond` in `packetsPerSecond`, losing `loss` of them. */
function counters(
  kind: TrackKind,
  seconds: number,
  bytesPerSecond: number,
  packetsPerSecond: number,
  loss: number,
  roundTripMs: number,
): InboundTrackStats {
  const packetsReceived = Math.floor(seconds * packetsPerSecond);
  const video = kind === TrackKind.Video;
  return {
    kind,
    bytesReceived: Math.floor(seconds * bytesPerSecond),
    packetsReceived,
    packetsLost: Math.floor((packetsReceived * loss) / (1 - loss)),
    framesDecoded: video ? Math.floor(seconds * 15) : 0,
    frameWidth: video ? 320 : 0,
    frameHeight: video ? 240 : 0,
    framesDropped: 0,
    freezeCount: 0,
    totalFreezesDuration: 0,
    totalAudioEnergy: 0,
    totalSamplesDuration: video ? 0 : seconds,
    roundTripTime: roundTripMs / 1000,
  };
}
