import type { CallSettings, SignalPayload } from '@talk/protocol';
import type { TalkClientLike } from '../../client/TalkClientLike.js';
import { TypedEmitter } from '../../emitter.js';
import { asTalkError, TalkError, TalkErrorCode } from '../../errors.js';
import type { CallStats } from '../../stats/CallStats.js';
import type { RemoteParticipant } from '../participant/RemoteParticipant.js';
import { type SwitchMark, SwitchPhase } from '../topology/SwitchMark.js';
import { DEFAULT_SWITCH_TIMINGS, type SwitchTimings, TopologySwitch } from '../topology/TopologySwitch.js';
import type { CallTrack, TrackSource } from '../track.js';
import {
  type CallTransport,
  type Topology,
  type TransportContext,
  TransportEvent,
} from '../transport/CallTransport.js';
import { MeshTransport } from '../transport/MeshTransport.js';
import { SfuTransport } from '../transport/SfuTransport.js';

/** Builds the built-in transport for a topology. */
export function createTransport(topology: Topology, context: TransportContext): CallTransport {
  return topology === 'sfu' ? new SfuTransport(context) : new MeshTransport(context);
}

/** Events of a MediaEngine, for the call above it. */
export enum EngineEvent {
  /** Show `track` for its participant and source, in place of what is shown there. */
  TrackReady = 'trackReady',
  /** A remote track went away (its transport lost it, or closed): stop showing it if it is shown. */
  TrackEnded = 'trackEnded',
  /** A remote participant's media connection on a live transport changed state. */
  PeerStateChanged = 'peerStateChanged',
  /** A remote session sent a text beside the media. */
  DataReceived = 'dataReceived',
  /** A switch began: media still flows over `from` until `SwitchFinished`. */
  SwitchStarted = 'switchStarted',
  /** Media flows over another topology now; the old transport is closed. */
  SwitchFinished = 'switchFinished',
  /** A step of the running switch happened (connected, a remote's first frame, its old path closed, …). */
  SwitchProgress = 'switchProgress',
  /**
   * The SFU the server asked for could not be reached: media flows (or goes on flowing) over the mesh instead,
   * until the server announces the topology again.
   */
  SfuUnreachable = 'sfuUnreachable',
  /** Something failed outside an awaited call, e.g. the new transport of a switch did not connect. */
  Error = 'error',
}

/** Listener signatures of EngineEvent. */
export type EngineEventCallbacks = {
  [EngineEvent.TrackReady]: (participant: RemoteParticipant, track: CallTrack) => void;
  [EngineEvent.TrackEnded]: (sessionId: string, track: CallTrack) => void;
  [EngineEvent.PeerStateChanged]: (sessionId: string, state: RTCPeerConnectionState) => void;
  [EngineEvent.DataReceived]: (sessionId: string, data: string) => void;
  [EngineEvent.SwitchStarted]: (from: Topology, to: Topology) => void;
  [EngineEvent.SwitchFinished]: (topology: Topology) => void;
  [EngineEvent.SwitchProgress]: (mark: SwitchMark) => void;
  [EngineEvent.SfuUnreachable]: (error: TalkError) => void;
  [EngineEvent.Error]: (error: TalkError) => void;
};

/** The remote participants an engine delivers tracks to; the call's roster. */
export interface ParticipantDirectory {
  /** The participant of a session, created on first sight (media may come before signaling announces it). */
  participant(sessionId: string): RemoteParticipant;
  /** Every remote participant now. */
  participants(): Iterable<RemoteParticipant>;
}

/** Options of a MediaEngine. */
export interface MediaEngineOptions {
  /** The client, which transports use for REST (SFU tokens). */
  client: TalkClientLike;
  /** The conversation whose call this is. */
  conversation: string;
  /** Who the remote tracks belong to. */
  directory: ParticipantDirectory;
  /** Relays a payload to another session through signaling; dropped while signaling is down. */
  sendSignal(to: string, payload: SignalPayload): void;
  /** Builds a transport; `createTransport` by default. */
  createTransport?: (topology: Topology, context: TransportContext) => CallTransport;
  /** Timeouts of a topology switch. */
  switchTimings?: Partial<SwitchTimings>;
}

/** Who this browser is on the current signaling session, and what GET call said. */
export interface EngineSession {
  /** This browser's signaling session id, its identity in either topology. */
  sessionId: string;
  /** ICE servers, SFU URL and bitrate cap. */
  settings: CallSettings;
}

/**
 * The transports under a call: the active one and, during a switch, the one it moves to, with the
 * `TopologySwitch` between them. Local tracks go out on every live transport; remote tracks come back as events,
 * with those of a transport on its way out told apart from those of the one coming in.
 */
export class MediaEngine extends TypedEmitter<EngineEventCallbacks> {
  readonly #options: MediaEngineOptions;
  readonly #timings: SwitchTimings;
  #session: EngineSession | null = null;
  #transport: CallTransport | null = null;
  #switch: TopologySwitch | null = null;
  /**
   * A transport connected ahead of a likely switch (see `prepare`): its connect, whether it got there, and the
   * changes of local media made meanwhile, applied in order once connected.
   */
  #ahead: {
    transport: CallTransport;
    connecting: Promise<void>;
    connected: boolean;
    ready: boolean;
    changes: Promise<void>;
  } | null = null;
  /** Which transport delivered each remote track, so late events of a replaced transport are told apart. */
  readonly #origin = new WeakMap<CallTrack, CallTransport>();

  constructor(options: MediaEngineOptions) {
    super();
    this.#options = options;
    this.#timings = { ...DEFAULT_SWITCH_TIMINGS, ...options.switchTimings };
  }

  /** The topology media flows on, or null before `start`. */
  get topology(): Topology | null {
    return this.#transport?.topology ?? null;
  }

  /** The topology a running switch moves to, or null. */
  get switchingTo(): Topology | null {
    return this.#switch?.to.topology ?? null;
  }

  /** Creates and connects the first transport of a session, sending `tracks` from the start. */
  async start(topology: Topology, session: EngineSession, tracks: readonly CallTrack[]): Promise<void> {
    this.close();
    this.#session = session;
    const transport = this.#create(topology, false);
    this.#transport = transport;
    try {
      await transport.connect(tracks);
    } catch (error) {
      // Closed meanwhile (the join was abandoned), or the mesh itself failed: nothing to fall back to.
      if (topology !== 'sfu' || this.#transport !== transport) throw error;
      this.#dropTracksOf(transport);
      transport.close();
      const mesh = this.#create('mesh', false);
      this.#transport = mesh;
      this.emit(EngineEvent.SfuUnreachable, asTalkError(error));
      await mesh.connect(tracks);
    }
  }

  /** The topology of a transport made ready ahead of a switch once it is connected and sending, or null. */
  get preparedFor(): Topology | null {
    return this.#ahead?.ready ? this.#ahead.transport.topology : null;
  }

  /**
   * Connects a transport to `topology` beside the active one ahead of a switch the server may soon decide, sending
   * `tracks` but receiving nothing, so that the switch, if it comes, only has to subscribe. It is dropped by
   * `unprepare`, by a switch elsewhere and by `close`; if it fails, a switch connects anew.
   */
  prepare(topology: Topology, tracks: readonly CallTrack[]): void {
    if (!this.#transport || this.#switch || this.#transport.topology === topology) return;
    if (this.#ahead?.transport.topology === topology) return;
    this.unprepare();
    const transport = this.#create(topology, true, true);
    const connecting = transport.connect(tracks);
    const ahead = { transport, connecting, connected: false, ready: false, changes: connecting };
    this.#ahead = ahead;
    transport.on(TransportEvent.Connected, () => {
      ahead.connected = true;
    });
    connecting.then(
      () => {
        ahead.ready = true;
      },
      () => {
        // Nothing depends on it yet; a switch that comes connects anew (and says so if that fails too).
        if (this.#ahead !== ahead) return;
        this.#ahead = null;
        transport.close();
      },
    );
  }

  /** Drops the transport made ready ahead of a switch, if any. */
  unprepare(): void {
    this.#ahead?.transport.close();
    this.#ahead = null;
  }

  /**
   * Moves to `topology` make-before-break unless media already flows (or moves) there; a switch the other way
   * still running ends at once, and the new one starts from where that one got. A transport prepared for
   * `topology` is taken over, connected or on its way.
   */
  switchTo(topology: Topology, tracks: readonly CallTrack[]): void {
    if (!this.#transport || topology === (this.switchingTo ?? this.#transport.topology)) return;
    this.#switch?.finish();
    const from = this.#transport;
    const ahead = this.#ahead?.transport.topology === topology ? this.#ahead : null;
    this.#ahead = null;
    if (!ahead) this.unprepare();
    const to = ahead?.transport ?? this.#create(topology, true);
    const directory = this.#options.directory;
    const running = new TopologySwitch(
      from,
      to,
      directory.participants(),
      {
        swap: (participant, track) => this.emit(EngineEvent.TrackReady, participant, track),
        sendSwitched: (sessionId, switchedTo) =>
          this.#options.sendSignal(sessionId, { kind: 'switched', topology: switchedTo }),
        finished: () => this.#switchFinished(running),
        mark: (phase, sessionId, source) => this.#mark(topology, phase, sessionId, source),
      },
      this.#timings,
    );
    this.#switch = running;
    this.emit(EngineEvent.SwitchStarted, from.topology, topology);
    this.#mark(topology, SwitchPhase.Decided);
    // A prepared transport that got there already is connected as of the decision.
    if (ahead?.connected) this.#mark(topology, SwitchPhase.Connected);
    to.on(TransportEvent.Connected, () => {
      if (this.#switch === running) this.#mark(topology, SwitchPhase.Connected);
    });
    // Mesh takes its senders synchronously in connect, so peers added right after already send.
    const connected = ahead?.connecting ?? to.connect(tracks);
    for (const participant of directory.participants()) to.addPeer(participant.sessionId);
    connected.then(
      () => {
        if (this.#switch !== running) return;
        this.#mark(topology, SwitchPhase.Published);
        running.start();
      },
      (error) => {
        if (this.#switch !== running) return;
        // The old transport still carries everything; stay on it and say why.
        running.cancel();
        this.#switch = null;
        this.#dropTracksOf(to);
        to.close();
        const failure = asTalkError(error);
        if (to.topology === 'sfu') this.emit(EngineEvent.SfuUnreachable, failure);
        this.emit(EngineEvent.Error, failure);
      },
    );
  }

  /** Starts sending another local track on every live transport. */
  publish(track: CallTrack): Promise<void> {
    return this.#each((transport) => transport.publishTrack(track));
  }

  /** Stops sending a local track on every live transport. */
  unpublish(track: CallTrack): Promise<void> {
    return this.#each((transport) => transport.unpublishTrack(track));
  }

  /** Sends `next` where `previous` was sent, on every live transport, without renegotiating. */
  replace(previous: CallTrack, next: CallTrack): Promise<void> {
    return this.#each((transport) => transport.replaceTrack(previous, next));
  }

  /** Pauses or resumes a local track on every live transport. */
  setEnabled(track: CallTrack, enabled: boolean): Promise<void> {
    return this.#each((transport) => transport.setTrackEnabled(track, enabled));
  }

  /**
   * Sends a text beside the media over every live transport: mid-switch a peer whose old path closed gets it over
   * the new one, and one reachable over both drops the second copy by its id.
   */
  sendData(data: string): void {
    for (const transport of this.#live()) transport.sendData?.(data);
  }

  /** A remote session is in the call; mid-switch it is met on the new transport only, as the old one is going. */
  addPeer(sessionId: string): void {
    (this.#switch?.to ?? this.#transport)?.addPeer(sessionId);
  }

  /** A remote session left the call: stop receiving it anywhere, and stop waiting for it in a switch. */
  removePeer(sessionId: string): void {
    for (const transport of this.#live()) transport.removePeer(sessionId);
    this.#switch?.participantLeft(sessionId);
  }

  /** A participant's announced media changed, which may be all a running switch waits for. */
  participantUpdated(sessionId: string): void {
    this.#switch?.participantUpdated(sessionId);
  }

  /** A signal from another session: `switched` goes to the running switch, the rest to a mesh transport. */
  handleSignal(from: string, payload: SignalPayload): void {
    if (payload.kind === 'switched') {
      this.#switch?.remoteSwitched(from, payload.topology);
      return;
    }
    // Only mesh negotiates over signaling; mid-switch the mesh may be either the old or the new transport.
    for (const transport of this.#live()) if (transport.topology === 'mesh') transport.handleSignal(from, payload);
  }

  /** How loud each remote session arrives now, the loudest reading over every live transport. */
  audioLevels(): Map<string, number> {
    const levels = new Map<string, number>();
    for (const transport of this.#live()) {
      for (const [sessionId, level] of transport.audioLevels?.() ?? []) {
        levels.set(sessionId, Math.max(level, levels.get(sessionId) ?? 0));
      }
    }
    return levels;
  }

  /** RTP statistics of every live transport, with a remote session's tracks gathered from all of them. */
  async getStats(): Promise<Pick<CallStats, 'local' | 'remote'>> {
    const gathered = await Promise.all(this.#live().map((transport) => transport.getStats()));
    const remote = new Map<string, CallStats['remote'][number]['tracks']>();
    for (const stats of gathered) {
      for (const [sessionId, tracks] of stats.remote) {
        remote.set(sessionId, [...(remote.get(sessionId) ?? []), ...tracks]);
      }
    }
    return {
      local: gathered.flatMap((stats) => stats.local),
      remote: [...remote]
        .filter(([, tracks]) => tracks.length > 0)
        .map(([sessionId, tracks]) => ({ sessionId, tracks })),
    };
  }

  /** Closes every transport and abandons a running switch; remote tracks are the caller's to drop. */
  close(): void {
    this.unprepare();
    this.#switch?.cancel();
    this.#switch?.to.close();
    this.#switch = null;
    this.#transport?.close();
    this.#transport = null;
  }

  /** The transports in use: the active one, and during a switch the one it moves to. */
  #live(): CallTransport[] {
    return [this.#transport, this.#switch?.to].filter((transport): transport is CallTransport => !!transport);
  }

  /**
   * Applies a change of local media to every live transport, and to a prepared one, which must send the same when
   * a switch takes it over; a prepared transport that cannot is dropped rather than failing the change.
   */
  async #each(action: (transport: CallTransport) => Promise<void>): Promise<void> {
    const ahead = this.#ahead;
    if (ahead) {
      // Not awaited: a change must not wait for a connection that nothing uses yet.
      ahead.changes = ahead.changes
        .then(() => action(ahead.transport))
        .catch(() => {
          if (this.#ahead === ahead) this.unprepare();
        });
    }
    await Promise.all(this.#live().map(action));
  }

  #create(topology: Topology, switching: boolean, ahead = false): CallTransport {
    const { client, conversation, sendSignal } = this.#options;
    const session = this.#session;
    if (!session) throw new TalkError(TalkErrorCode.InvalidState, 'The media engine was not started');
    const context: TransportContext = {
      client,
      conversation,
      ...session,
      sendSignal,
      switching,
      ...(ahead ? { ahead } : {}),
    };
    const transport = (this.#options.createTransport ?? createTransport)(topology, context);
    transport.on(TransportEvent.TrackAdded, (from, track) => this.#trackAdded(transport, from, track));
    transport.on(TransportEvent.TrackRemoved, (from, track) => this.#trackRemoved(transport, from, track));
    transport.on(TransportEvent.DataReceived, (from, data) => this.emit(EngineEvent.DataReceived, from, data));
    transport.on(TransportEvent.PeerStateChanged, (from, state) => {
      if (!this.#isLive(transport)) return;
      this.emit(EngineEvent.PeerStateChanged, from, state);
      if (state === 'connected' && transport === this.#switch?.to) {
        this.#mark(transport.topology, SwitchPhase.Connected, from);
      }
    });
    return transport;
  }

  /** Whether events of this transport still matter: it is the active one or the one a switch moves to. */
  #isLive(transport: CallTransport): boolean {
    return transport === this.#transport || transport === this.#switch?.to;
  }

  #trackAdded(transport: CallTransport, sessionId: string, track: CallTrack): void {
    if (!this.#isLive(transport)) return;
    const participant = this.#options.directory.participant(sessionId);
    this.#origin.set(track, transport);
    const running = this.#switch;
    if (running && transport === running.to) {
      this.#mark(transport.topology, SwitchPhase.Subscribed, sessionId, track.source);
      running.trackAdded(participant, track);
      return;
    }
    // The old transport may still deliver a track mid-switch (a share that started); never over a newer one.
    const shown = participant.tracks.get(track.source);
    if (running && shown && this.#origin.get(shown) === running.to) return;
    this.emit(EngineEvent.TrackReady, participant, track);
  }

  #trackRemoved(transport: CallTransport, sessionId: string, track: CallTrack): void {
    if (transport === this.#switch?.to) this.#switch.trackRemoved(track);
    this.emit(EngineEvent.TrackEnded, sessionId, track);
  }

  #switchFinished(running: TopologySwitch): void {
    if (this.#switch !== running) return;
    this.#switch = null;
    this.#transport = running.to;
    running.from.close();
    this.#dropTracksOf(running.from);
    this.#mark(running.to.topology, SwitchPhase.Finished);
    this.emit(EngineEvent.SwitchFinished, running.to.topology);
  }

  #mark(to: Topology, phase: SwitchPhase, sessionId?: string, source?: TrackSource): void {
    this.emit(EngineEvent.SwitchProgress, {
      phase,
      at: Date.now(),
      to,
      ...(sessionId ? { sessionId } : {}),
      ...(source ? { source } : {}),
    });
  }

  /** Ends every remote track a closed transport delivered that is still shown. */
  #dropTracksOf(transport: CallTransport): void {
    for (const participant of this.#options.directory.participants()) {
      for (const track of [...participant.tracks.values()]) {
        if (this.#origin.get(track) === transport) this.#trackRemoved(transport, participant.sessionId, track);
      }
    }
  }
}
