import type { SignalPayload } from '@talk/protocol';

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
  /** Relays a payload to the remote session. */
  send(payload: SignalPayload): void;
  /** A remote track arrived. */
  onTrack(track: MediaStreamTrack): void;
  /** The connection changed state. */
  onStateChange(state: RTCPeerConnectionState): void;
}

/**
 * One RTCPeerConnection to one remote session, negotiated the "perfect negotiation" way: both sides offer whenever
 * they need to, and on a collision the polite side rolls back and answers while the impolite side ignores the offer.
 */
export class MeshPeer {
  /** The underlying connection, exposed for statistics. */
  readonly pc: RTCPeerConnection;
  readonly #options: MeshPeerOptions;
  #makingOffer = false;
  #ignoreOffer = false;
  // Signals are handled one at a time: an answer racing a candidate would otherwise hit a half-set description.
  #queue: Promise<void> = Promise.resolve();

  constructor(options: MeshPeerOptions) {
    this.#options = options;
    this.pc = new RTCPeerConnection({ iceServers: options.iceServers });
    this.pc.onnegotiationneeded = () => void this.#offer();
    this.pc.onicecandidate = ({ candidate }) =>
      options.send({ kind: 'candidate', candidate: candidate?.toJSON() ?? null });
    this.pc.ontrack = ({ track }) => options.onTrack(track);
    this.pc.onconnectionstatechange = () => options.onStateChange(this.pc.connectionState);
    this.pc.oniceconnectionstatechange = () => {
      // A network change (Wi-Fi to cable, NAT rebinding) fails ICE; a restart finds new paths without a new call.
      if (this.pc.iceConnectionState === 'failed') this.pc.restartIce();
    };
  }

  /** Sends a local track to this peer. */
  addTrack(track: MediaStreamTrack, stream: MediaStream): void {
    this.pc.addTrack(track, stream);
  }

  /** Handles a payload from the remote session. */
  handle(payload: SignalPayload): void {
    this.#queue = this.#queue.then(() => this.#handle(payload)).catch((error) => console.warn('mesh signal', error));
  }

  /** Closes the connection. */
  close(): void {
    this.pc.onnegotiationneeded = this.pc.onicecandidate = this.pc.ontrack = null;
    this.pc.onconnectionstatechange = this.pc.oniceconnectionstatechange = null;
    this.pc.close();
  }

  async #offer(): Promise<void> {
    try {
      this.#makingOffer = true;
      await this.pc.setLocalDescription();
      this.#sendDescription();
    } catch (error) {
      console.warn('mesh offer', error);
    } finally {
      this.#makingOffer = false;
    }
  }

  async #handle(payload: SignalPayload): Promise<void> {
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
    const collision = description.type === 'offer' && (this.#makingOffer || this.pc.signalingState !== 'stable');
    this.#ignoreOffer = !this.#options.polite && collision;
    if (this.#ignoreOffer) return;
    await this.pc.setRemoteDescription(description);
    if (description.type === 'offer') {
      await this.pc.setLocalDescription();
      this.#sendDescription();
    }
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
