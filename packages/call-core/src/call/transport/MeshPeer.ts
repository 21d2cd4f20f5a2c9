import { Mutex } from '@livekit/mutex';
import type { SignalPayload } from '@talk/protocol';

/** How long the polite side waits for the impolite side's first offer before making its own. */
const POLITE_FIRST_OFFER_DELAY_MS = 1_500;

/** A local track and the stream it is sent in; screen tracks go without one, which tells them apart remotely. */
export interface LocalSender {
  track: MediaStreamTrack;
  stream?: MediaStream;
}

/** Options of one mesh peer connection. */
export interface MeshPeerOptions {
  /** The remote session. */
  remoteSessionId: string;
  /** Whether this side yields on offer collisions. */
  polite: boolean;
  /** ICE servers from the call settings. */
  iceServers: RTCIceServer[];
  /** Cap per video sender in bits per second; 0 leaves the browser's choice. */
  maxVideoBitrate: number;
  /** The local tracks to send: camera and microphone with their stream, screen tracks without one. */
  senders: readonly LocalSender[];
  /** Relays a payload to the remote session. */
  send(payload: SignalPayload): void;
  /** A remote track arrived; `screen` when the remote sent it without a stream, as screen tracks are. */
  onTrack(track: MediaStreamTrack, screen: boolean): void;
  /** The remote stopped sending a track (a screen share ended). */
  onTrackEnded(track: MediaStreamTrack): void;
  /** The connection changed state. */
  onStateChange(state: RTCPeerConnectionState): void;
  /** The remote sent a text over the data channel. */
  onData(data: string): void;
}

/**
 * One RTCPeerConnection to one remote session, negotiated the "perfect negotiation" way: both sides offer whenever
 * they need to, and on a collision the polite side rolls back and answers while the impolite side ignores the offer.
 *
 * Two changes to the textbook version, both against one Chromium failure: when the polite side rolled back an offer
 * whose ICE gathering had not started, the connection never gathered candidates again (about one in five two-tab
 * calls). Making offers and handling signals in one queue keeps a remote offer from landing mid-setLocalDescription,
 * and the polite side holds back its first offer briefly, since the impolite side is offering at the same moment.
 */
export class MeshPeer {
  /** The underlying connection, exposed for statistics. */
  readonly pc: RTCPeerConnection;
  readonly #options: MeshPeerOptions;
  #ignoreOffer = false;
  #heldFirstOffer = false;
  #closed = false;
  /** Offers and remote signals, one at a time in arrival order (the lock is first come, first served). */
  readonly #negotiation = new Mutex();
  /** Both ends create it with the same id, so it needs no in-band announcement and opens with the connection. */
  readonly #channel: RTCDataChannel;
  /** Remote tracks reported to onTrack and not yet ended. */
  readonly #receiving = new Set<MediaStreamTrack>();

  constructor(options: MeshPeerOptions) {
    this.#options = options;
    this.pc = new RTCPeerConnection({ iceServers: options.iceServers });
    this.pc.onnegotiationneeded = () => this.#enqueue(() => this.#offer());
    this.pc.onicecandidate = ({ candidate }) =>
      options.send({ kind: 'candidate', candidate: candidate?.toJSON() ?? null });
    this.pc.ontrack = ({ track, streams }) => {
      this.#receiving.add(track);
      options.onTrack(track, streams.length === 0);
    };
    this.pc.onconnectionstatechange = () => options.onStateChange(this.pc.connectionState);
    this.pc.oniceconnectionstatechange = () => {
      // A network change (Wi-Fi to cable, NAT rebinding) fails ICE; a restart finds new paths without a new call.
      if (this.pc.iceConnectionState === 'failed') this.pc.restartIce();
    };
    for (const sender of options.senders) this.addTrack(sender);
    // Without a track of a kind nothing would be negotiated for it, and a camera-less participant would see nobody.
    for (const kind of ['audio', 'video'] as const) {
      if (!options.senders.some(({ track }) => track.kind === kind)) {
        this.pc.addTransceiver(kind, { direction: 'recvonly' });
      }
    }
    this.#channel = this.pc.createDataChannel('talk', { negotiated: true, id: 0 });
    this.#channel.onmessage = ({ data }) => {
      if (typeof data === 'string') options.onData(data);
    };
  }

  /** Sends a text over the data channel; dropped while the connection is not up, as a reaction may be. */
  sendData(data: string): void {
    if (this.#channel.readyState === 'open') this.#channel.send(data);
  }

  /** Sends another local track to this peer, which renegotiates. */
  addTrack({ track, stream }: LocalSender): void {
    if (stream) this.pc.addTrack(track, stream);
    else this.pc.addTrack(track);
  }

  /** Stops sending a local track to this peer, which renegotiates. */
  removeTrack(track: MediaStreamTrack): void {
    const sender = this.pc.getSenders().find((candidate) => candidate.track === track);
    if (sender) this.pc.removeTrack(sender);
  }

  /** Sends `next` in place of `previous` without renegotiating, e.g. after a device change. */
  async replaceTrack(previous: MediaStreamTrack, next: MediaStreamTrack): Promise<void> {
    await this.pc
      .getSenders()
      .find((sender) => sender.track === previous)
      ?.replaceTrack(next);
  }

  /** Handles a description or candidate from the remote session. */
  handle(payload: Exclude<SignalPayload, { kind: 'switched' }>): void {
    this.#enqueue(() => this.#handle(payload));
  }

  /** Closes the connection. */
  close(): void {
    this.#closed = true;
    this.pc.onnegotiationneeded = this.pc.onicecandidate = this.pc.ontrack = null;
    this.pc.onconnectionstatechange = this.pc.oniceconnectionstatechange = null;
    this.#channel.onmessage = null;
    this.pc.close();
  }

  #enqueue(task: () => Promise<void>): void {
    void this.#negotiation.lock().then(async (unlock) => {
      try {
        await task();
      } catch (error) {
        console.warn('mesh negotiation', error);
      } finally {
        unlock();
      }
    });
  }

  async #offer(heldFirst = false): Promise<void> {
    // Mid-negotiation the browser fires negotiationneeded again on return to stable if it is still needed.
    if (this.#closed || this.pc.signalingState !== 'stable') return;
    if (this.#options.polite && !this.#heldFirstOffer) {
      this.#heldFirstOffer = true;
      setTimeout(() => this.#enqueue(() => this.#offer(true)), POLITE_FIRST_OFFER_DELAY_MS);
      return;
    }
    // The impolite side offered meanwhile; should anything of ours still be unsent, the browser fires
    // negotiationneeded again once stable, and that offer goes out at once.
    if (heldFirst && this.pc.remoteDescription) return;
    await this.pc.setLocalDescription();
    this.#sendDescription();
  }

  /** After a negotiation: a transceiver the remote no longer sends on ended its track (removeTrack does this). */
  #checkEnded(): void {
    for (const transceiver of this.pc.getTransceivers()) {
      const track = transceiver.receiver.track;
      const direction = transceiver.currentDirection;
      if (!this.#receiving.has(track) || (direction !== 'inactive' && direction !== 'sendonly')) continue;
      this.#receiving.delete(track);
      this.#options.onTrackEnded(track);
    }
  }

  async #handle(payload: Exclude<SignalPayload, { kind: 'switched' }>): Promise<void> {
    // Queued before the peer closed (the call left, or the remote went): nothing is left to apply it to.
    if (this.#closed) return;
    if (payload.kind === 'candidate') {
      try {
        await this.pc.addIceCandidate(payload.candidate ?? undefined);
      } catch (error) {
        // Candidates of an offer we ignored fail to apply; that is expected, anything else is not.
        if (!this.#ignoreOffer) throw error;
      }
      return;
    }
    const description = payload.description as RTCSessionDescriptionInit;
    // Offers are made inside the queue, so "making an offer" shows as have-local-offer here.
    const collision = description.type === 'offer' && this.pc.signalingState !== 'stable';
    this.#ignoreOffer = !this.#options.polite && collision;
    if (this.#ignoreOffer) return;
    await this.pc.setRemoteDescription(description);
    if (description.type === 'offer') {
      await this.pc.setLocalDescription();
      this.#sendDescription();
    }
    this.#checkEnded();
    await this.#capVideoBitrate();
  }

  #sendDescription(): void {
    const description = this.pc.localDescription;
    if (!description) return;
    this.#options.send({ kind: 'description', description: { type: description.type, sdp: description.sdp } });
  }

  /** Encodings exist only once a description is set, so the cap is applied after each negotiation. */
  async #capVideoBitrate(): Promise<void> {
    const { maxVideoBitrate } = this.#options;
    if (!maxVideoBitrate) return;
    for (const sender of this.pc.getSenders()) {
      if (sender.track?.kind !== 'video') continue;
      const parameters = sender.getParameters();
      if (!parameters.encodings?.length || parameters.encodings.every((e) => e.maxBitrate === maxVideoBitrate))
        continue;
      for (const encoding of parameters.encodings) encoding.maxBitrate = maxVideoBitrate;
      await sender.setParameters(parameters);
    }
  }
}
