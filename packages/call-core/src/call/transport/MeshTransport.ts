import type { SignalPayload } from '@talk/protocol';
import { TypedEmitter } from '../../emitter.js';
import { readInbound, readOutbound } from '../../stats/CallStats.js';
import { CallTrack, isScreenSource, sourceOf, TrackSource } from '../track.js';
import {
  type CallTransport,
  type TransportContext,
  TransportEvent,
  type TransportEventCallbacks,
  type TransportStats,
} from './CallTransport.js';
import { type LocalSender, MeshPeer } from './MeshPeer.js';

/** How many signals of a session not yet known to be in the call are held, and for how many such sessions. */
const HELD_SIGNALS = 64;
const HELD_SESSIONS = 16;

/** What a peer connection negotiates with: a description or a candidate. */
type NegotiationPayload = Exclude<SignalPayload, { kind: 'switched' }>;

/** Media peer to peer: one RTCPeerConnection per remote session in the call. */
export class MeshTransport extends TypedEmitter<TransportEventCallbacks> implements CallTransport {
  readonly topology = 'mesh' as const;
  readonly #context: TransportContext;
  readonly #peers = new Map<string, MeshPeer>();
  /** Remote tracks as reported, per peer, so that removal hands back the same CallTrack. */
  readonly #remoteTracks = new Map<string, Map<MediaStreamTrack, CallTrack>>();
  /** Camera and microphone travel in this stream; screen tracks travel without one. */
  readonly #stream = new MediaStream();
  readonly #senders: LocalSender[] = [];
  /** Signals from sessions not (yet) announced in the call, by sender, until addPeer says they are in it. */
  readonly #held = new Map<string, NegotiationPayload[]>();
  #closed = false;

  constructor(context: TransportContext) {
    super();
    this.#context = context;
  }

  async connect(tracks: readonly CallTrack[]): Promise<void> {
    for (const track of tracks) this.#senders.push(this.#sender(track));
  }

  async publishTrack(track: CallTrack): Promise<void> {
    const sender = this.#sender(track);
    this.#senders.push(sender);
    // Each peer renegotiates on its own through negotiationneeded.
    for (const peer of this.#peers.values()) peer.addTrack(sender);
  }

  async unpublishTrack(track: CallTrack): Promise<void> {
    const index = this.#senders.findIndex((sender) => sender.track === track.mediaStreamTrack);
    if (index < 0) return;
    this.#senders.splice(index, 1);
    if (!isScreenSource(track.source)) this.#stream.removeTrack(track.mediaStreamTrack);
    for (const peer of this.#peers.values()) peer.removeTrack(track.mediaStreamTrack);
  }

  async replaceTrack(previous: CallTrack, next: CallTrack): Promise<void> {
    const sender = this.#senders.find((candidate) => candidate.track === previous.mediaStreamTrack);
    if (!sender) return;
    sender.track = next.mediaStreamTrack;
    if (sender.stream) {
      sender.stream.removeTrack(previous.mediaStreamTrack);
      sender.stream.addTrack(next.mediaStreamTrack);
    }
    await Promise.all(
      [...this.#peers.values()].map((peer) => peer.replaceTrack(previous.mediaStreamTrack, next.mediaStreamTrack)),
    );
  }

  async setTrackEnabled(track: CallTrack, enabled: boolean): Promise<void> {
    // A disabled track sends black frames or silence at a trickle of bits, and resumes without renegotiation.
    track.mediaStreamTrack.enabled = enabled;
  }

  addPeer(sessionId: string): void {
    const peer = this.#peer(sessionId);
    const held = this.#held.get(sessionId) ?? [];
    this.#held.delete(sessionId);
    for (const payload of held) peer?.handle(payload);
  }

  removePeer(sessionId: string): void {
    this.#held.delete(sessionId);
    const peer = this.#peers.get(sessionId);
    if (!peer) return;
    peer.close();
    this.#peers.delete(sessionId);
    const tracks = this.#remoteTracks.get(sessionId);
    this.#remoteTracks.delete(sessionId);
    for (const track of tracks?.values() ?? []) this.emit(TransportEvent.TrackRemoved, sessionId, track);
  }

  handleSignal(from: string, payload: SignalPayload): void {
    if (payload.kind === 'switched') return; // the call's business, not the connection's
    const peer = this.#peers.get(from);
    if (peer) {
      peer.handle(payload);
      return;
    }
    // Answering an offer sends our camera, microphone and addresses, so only sessions known to be in the call get
    // an answer. An offer can arrive before the session-updated that says its sender joined, so it waits for that
    // (with what follows it); anything else from an unknown session is a leftover of a peer already closed.
    const held = this.#held.get(from);
    if (held) {
      if (held.length < HELD_SIGNALS) held.push(payload);
      return;
    }
    if (this.#closed || payload.kind !== 'description' || payload.description.type !== 'offer') return;
    if (this.#held.size >= HELD_SESSIONS) this.#held.delete(this.#held.keys().next().value!);
    this.#held.set(from, [payload]);
  }

  sendData(data: string): void {
    for (const peer of this.#peers.values()) peer.sendData(data);
  }

  audioLevels(): ReadonlyMap<string, number> {
    // The receivers' synchronization sources carry the level of the last packets, without a getStats round.
    const levels = new Map<string, number>();
    for (const [sessionId, peer] of this.#peers) {
      const tracks = this.#remoteTracks.get(sessionId);
      let level = 0;
      for (const receiver of peer.pc.getReceivers()) {
        // Only the microphone: a shared tab's sound does not make its sharer the speaker.
        if (tracks?.get(receiver.track)?.source !== TrackSource.Microphone) continue;
        for (const source of receiver.getSynchronizationSources()) level = Math.max(level, source.audioLevel ?? 0);
      }
      levels.set(sessionId, level);
    }
    return levels;
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
    this.#held.clear();
    for (const sessionId of [...this.#peers.keys()]) this.removePeer(sessionId);
    this.removeAllListeners();
  }

  #sender(track: CallTrack): LocalSender {
    if (isScreenSource(track.source)) return { track: track.mediaStreamTrack };
    this.#stream.addTrack(track.mediaStreamTrack);
    return { track: track.mediaStreamTrack, stream: this.#stream };
  }

  #peer(remoteSessionId: string): MeshPeer | undefined {
    if (this.#closed || remoteSessionId === this.#context.sessionId) return undefined;
    let peer = this.#peers.get(remoteSessionId);
    if (peer) return peer;
    const { settings, sessionId } = this.#context;
    const tracks = new Map<MediaStreamTrack, CallTrack>();
    this.#remoteTracks.set(remoteSessionId, tracks);
    const created: MeshPeer = new MeshPeer({
      remoteSessionId,
      // Both ends compute the same order, so exactly one of them is polite.
      polite: sessionId < remoteSessionId,
      iceServers: settings.iceServers,
      maxVideoBitrate: settings.maxVideoBitrate,
      senders: this.#senders,
      send: (payload) => this.#context.sendSignal(remoteSessionId, payload),
      onTrack: (track, screen) => {
        // A renegotiation fires ontrack again for a track that never stopped; the call already has it.
        if (tracks.has(track)) return;
        const callTrack = new CallTrack(track, sourceOf(track.kind, screen), {
          attach: (element) => {
            element.srcObject = new MediaStream([track]);
          },
          detach: (element) => {
            const stream = element.srcObject;
            if (stream instanceof MediaStream && stream.getTracks().includes(track)) element.srcObject = null;
          },
          getStats: () => created.pc.getStats(track),
        });
        tracks.set(track, callTrack);
        this.emit(TransportEvent.TrackAdded, remoteSessionId, callTrack);
      },
      onTrackEnded: (track) => {
        const callTrack = tracks.get(track);
        if (!callTrack) return;
        tracks.delete(track);
        this.emit(TransportEvent.TrackRemoved, remoteSessionId, callTrack);
      },
      onStateChange: (state) => this.emit(TransportEvent.PeerStateChanged, remoteSessionId, state),
      onData: (data) => this.emit(TransportEvent.DataReceived, remoteSessionId, data),
    });
    peer = created;
    this.#peers.set(remoteSessionId, peer);
    return peer;
  }
}
