// Fakes for unit tests of the engine and the switch: transports that record what the engine asks of them and
// deliver what a test tells them to, and tracks whose statistics a test decides.
import type { CallSettings, SignalPayload } from '@talk/protocol';
import { RemoteParticipant } from '../../src/call/participant/RemoteParticipant.js';
import { CallTrack, TrackSource } from '../../src/call/track.js';
import {
  type CallTransport,
  type Topology,
  type TransportContext,
  TransportEvent,
  type TransportEventCallbacks,
  type TransportStats,
} from '../../src/call/transport/CallTransport.js';
import { TypedEmitter } from '../../src/emitter.js';

/** Call settings with nothing configured. */
export const SETTINGS: CallSettings = { iceServers: [], sfuUrl: null, maxVideoBitrate: 0 };

/** A track the tests can decode or not: `decoding` is what its inbound-rtp statistics say. */
export class FakeTrack extends CallTrack {
  /** Whether the receiver decodes frames (video) or receives packets (audio): one more at each look. */
  decoding = false;
  #count = 0;

  constructor(source: TrackSource, kind: 'audio' | 'video' = source === TrackSource.Microphone ? 'audio' : 'video') {
    // The part of MediaStreamTrack a CallTrack reads in these tests.
    const mediaStreamTrack = {
      kind,
      enabled: true,
      readyState: 'live',
      stop() {},
      addEventListener() {},
    } as unknown as MediaStreamTrack;
    super(mediaStreamTrack, source, {
      attach() {},
      detach() {},
      getStats: async () =>
        new Map([
          ['in', { type: 'inbound-rtp', framesDecoded: this.#look(), packetsReceived: this.#count }],
        ]) as unknown as RTCStatsReport,
    });
  }

  /** The count at this look: while decoding, one more than at the last. */
  #look(): number {
    if (this.decoding) this.#count++;
    return this.#count;
  }
}

/** A remote participant who announced camera and microphone. */
export function remoteParticipant(sessionId: string): RemoteParticipant {
  return new RemoteParticipant(sessionId, `user-${sessionId}`, sessionId, { audio: true, video: true });
}

/** A transport that records what it is asked and connects when the test says. */
export class FakeTransport extends TypedEmitter<TransportEventCallbacks> implements CallTransport {
  readonly topology: Topology;
  readonly context: TransportContext;
  /** Everything the engine asked, in order, e.g. `publish:camera` or `removePeer:b`. */
  readonly log: string[] = [];
  /** The tracks handed to `connect`. */
  connectedWith: readonly CallTrack[] = [];
  closed = false;
  /** The remote tracks this transport delivered. */
  readonly delivered = new Set<CallTrack>();
  readonly #connect: Promise<void>;
  #settle: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(topology: Topology, context: TransportContext) {
    super();
    this.topology = topology;
    this.context = context;
    this.#connect = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
  }

  /** Lets `connect` resolve. */
  connected(): void {
    this.#settle?.resolve();
  }

  /** Makes `connect` reject, as a transport that cannot reach its SFU. */
  fail(error: Error): void {
    this.#settle?.reject(error);
  }

  /** Delivers a remote track as the browser would. */
  deliver(sessionId: string, track: CallTrack): void {
    this.delivered.add(track);
    this.emit(TransportEvent.TrackAdded, sessionId, track);
  }

  /** Loses a remote track. */
  lose(sessionId: string, track: CallTrack): void {
    this.emit(TransportEvent.TrackRemoved, sessionId, track);
  }

  connect(tracks: readonly CallTrack[]): Promise<void> {
    this.connectedWith = tracks;
    return this.#connect;
  }
  async publishTrack(track: CallTrack): Promise<void> {
    this.log.push(`publish:${track.source}`);
  }
  async unpublishTrack(track: CallTrack): Promise<void> {
    this.log.push(`unpublish:${track.source}`);
  }
  async replaceTrack(previous: CallTrack, next: CallTrack): Promise<void> {
    this.log.push(`replace:${previous.source}->${next.source}`);
  }
  async setTrackEnabled(track: CallTrack, enabled: boolean): Promise<void> {
    this.log.push(`enable:${track.source}:${enabled}`);
  }
  addPeer(sessionId: string): void {
    this.log.push(`addPeer:${sessionId}`);
  }
  removePeer(sessionId: string): void {
    this.log.push(`removePeer:${sessionId}`);
  }
  handleSignal(from: string, payload: SignalPayload): void {
    this.log.push(`signal:${from}:${payload.kind}`);
  }
  sendData(data: string): void {
    this.log.push(`data:${data}`);
  }
  async getStats(): Promise<TransportStats> {
    return { local: [], remote: new Map() };
  }
  close(): void {
    this.closed = true;
  }
}
