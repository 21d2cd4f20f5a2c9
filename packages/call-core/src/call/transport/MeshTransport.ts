import type { SignalPayload } from '@talk/protocol';
import { TypedEmitter } from '../../emitter.js';
import { readInbound, readOutbound } from '../../stats/CallStats.js';
import { CallTrack, sourceOfKind } from '../track.js';
import {
  type CallTransport,
  type TransportContext,
  TransportEvent,
  type TransportEventCallbacks,
  type TransportStats,
} from './CallTransport.js';
import { MeshPeer } from './MeshPeer.js';

/** Media peer to peer: one RTCPeerConnection per remote session in the call. */
export class MeshTransport extends TypedEmitter<TransportEventCallbacks> implements CallTransport {
  readonly topology = 'mesh' as const;
  readonly #context: TransportContext;
  readonly #peers = new Map<string, MeshPeer>();
  readonly #stream = new MediaStream();
  #closed = false;

  constructor(context: TransportContext) {
    super();
    this.#context = context;
  }

  async connect(tracks: readonly CallTrack[]): Promise<void> {
    for (const track of tracks) this.#stream.addTrack(track.mediaStreamTrack);
  }

  async publishTrack(track: CallTrack): Promise<void> {
    this.#stream.addTrack(track.mediaStreamTrack);
    // Each peer renegotiates on its own through negotiationneeded.
    for (const peer of this.#peers.values()) peer.addTrack(track.mediaStreamTrack, this.#stream);
  }

  async setTrackEnabled(track: CallTrack, enabled: boolean): Promise<void> {
    // A disabled track sends black frames or silence at a trickle of bits, and resumes without renegotiation.
    track.mediaStreamTrack.enabled = enabled;
  }

  addPeer(sessionId: string): void {
    this.#peer(sessionId);
  }

  removePeer(sessionId: string): void {
    const peer = this.#peers.get(sessionId);
    if (!peer) return;
    peer.close();
    this.#peers.delete(sessionId);
    for (const receiver of peer.pc.getReceivers()) {
      this.emit(TransportEvent.TrackRemoved, sessionId, sourceOfKind(receiver.track.kind));
    }
  }

  handleSignal(from: string, payload: SignalPayload): void {
    // An offer can arrive before the session-updated that says its sender joined the call; anything else from an
    // unknown session is a leftover of a peer already closed.
    const isOffer = payload.kind === 'description' && payload.description.type === 'offer';
    const peer = isOffer ? this.#peer(from) : this.#peers.get(from);
    peer?.handle(payload);
  }

  async getStats(): Promise<TransportStats> {
    const peers = [...this.#peers];
    const reports = await Promise.all(peers.map(([, peer]) => peer.pc.getStats()));
    return {
      local: readOutbound(reports),
      remote: new Map(peers.map(([sessionId], i) => [sessionId, readInbound(reports[i])])),
    };
  }

  close(): void {
    this.#closed = true;
    for (const sessionId of [...this.#peers.keys()]) this.removePeer(sessionId);
    this.removeAllListeners();
  }

  #peer(remoteSessionId: string): MeshPeer | undefined {
    if (this.#closed || remoteSessionId === this.#context.sessionId) return undefined;
    let peer = this.#peers.get(remoteSessionId);
    if (peer) return peer;
    const { settings, sessionId } = this.#context;
    peer = new MeshPeer({
      remoteSessionId,
      // Both ends compute the same order, so exactly one of them is polite.
      polite: sessionId < remoteSessionId,
      iceServers: settings.iceServers,
      maxVideoBitrate: settings.maxVideoBitrate,
      stream: this.#stream,
      send: (payload) => this.#context.sendSignal(remoteSessionId, payload),
      onTrack: (track) =>
        this.emit(TransportEvent.TrackAdded, remoteSessionId, new CallTrack(track, sourceOfKind(track.kind))),
      onStateChange: (state) => this.emit(TransportEvent.PeerStateChanged, remoteSessionId, state),
    });
    this.#peers.set(remoteSessionId, peer);
    return peer;
  }
}
