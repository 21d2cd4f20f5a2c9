import type { CallMedia, CallSettings, ServerMessageOf, SessionInfo, SignalPayload } from '@talk/protocol';
import { ClientEvent } from '../client/events.js';
import type { TalkClient } from '../client/TalkClient.js';
import { TypedEmitter } from '../emitter.js';
import { asTalkError, TalkError, TalkErrorCode } from '../errors.js';
import type { CallStats } from '../stats/CallStats.js';
import { computeSample, type StatsSample } from '../stats/StatsSampler.js';
import { type ActiveSpeakerOptions, ActiveSpeakerSelector } from './ActiveSpeaker.js';
import {
  constraintKey,
  type DeviceChangeReason,
  type DeviceKind,
  deviceConstraint,
  deviceIdOf,
  listDevices,
  sourceOfDevice,
} from './devices.js';
import { CallEvent, type CallEventCallbacks, CallState, type TopologyReason } from './events.js';
import { LocalParticipant } from './participant/LocalParticipant.js';
import type { Participant } from './participant/Participant.js';
import { RemoteParticipant } from './participant/RemoteParticipant.js';
import { encodeReaction, MAX_REACTION_LENGTH, ReactionReader } from './reactions.js';
import { DEFAULT_SWITCH_TIMINGS, type SwitchTimings, TopologySwitch } from './topology/TopologySwitch.js';
import { CallTrack, isScreenSource, TrackSource } from './track.js';
import type { CallTransport, Topology, TransportContext } from './transport/CallTransport.js';
import { TransportEvent } from './transport/CallTransport.js';
import { MeshTransport } from './transport/MeshTransport.js';
import { SfuTransport } from './transport/SfuTransport.js';

/** How a call picks its topology: as the server announces it (`auto`), or fixed. */
export type TopologyMode = Topology | 'auto';

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
  /** Tuning of active speaker detection (`CallEvent.ActiveSpeakerChanged`). */
  activeSpeaker?: Partial<ActiveSpeakerOptions>;
  /** How often `CallEvent.StatsUpdated` fires while joined, in milliseconds; 1000 by default, 0 for never. */
  statsIntervalMs?: number;
}

/** Builds the built-in transport for a topology. */
export function createTransport(topology: Topology, context: TransportContext): CallTransport {
  return topology === 'sfu' ? new SfuTransport(context) : new MeshTransport(context);
}

/** How often audio levels are read for active speaker detection. */
const SPEAKER_POLL_MS = 250;

const mediaKey = { [TrackSource.Camera]: 'video', [TrackSource.Microphone]: 'audio' } as const;
const deviceOfSource = { [TrackSource.Camera]: 'camera', [TrackSource.Microphone]: 'microphone' } as const;

/** What `getUserMedia` is asked for: per kind, nothing, anything, or a device. */
type CaptureConstraints = { audio?: boolean | MediaTrackConstraints; video?: boolean | MediaTrackConstraints };

/**
 * The call of one conversation as this browser takes part in it: local media, the remote participants that
 * signaling announces, and a transport that moves the media between them. With `topology: 'auto'` the transport
 * changes under the call as the server decides, and participants keep their identity across the change.
 */
export class Call extends TypedEmitter<CallEventCallbacks> {
  /** The client the call signals through. */
  readonly client: TalkClient;
  /** The conversation's token. */
  readonly conversation: string;
  /** How the topology is chosen. */
  readonly topologyMode: TopologyMode;
  readonly #options: CallOptions;
  readonly #timings: SwitchTimings;
  #state = CallState.Idle;
  #media: CallMedia = { audio: true, video: true };
  #local: LocalParticipant | null = null;
  readonly #remotes = new Map<string, RemoteParticipant>();
  readonly #reactions = new ReactionReader();
  #transport: CallTransport | null = null;
  #switch: TopologySwitch | null = null;
  /** Which transport delivered each remote track, so late events of a replaced transport are told apart. */
  readonly #origin = new WeakMap<CallTrack, CallTransport>();
  #settings: CallSettings | null = null;
  /** The topology the server wants, in `auto` mode. */
  #wanted: Topology | null = null;
  #reason: TopologyReason | null = null;
  #unsubscribe: (() => void)[] = [];
  #holdsConversation = false;
  /** The devices `setDevice` chose; absent kinds capture from the browser's default. */
  readonly #deviceIds: Partial<Record<DeviceKind, string>> = {};
  #statsTimer: ReturnType<typeof setTimeout> | undefined;
  #speakerTimer: ReturnType<typeof setInterval> | undefined;
  readonly #speakers: ActiveSpeakerSelector;
  /** Each remote participant's mean audio level over the last stats interval. */
  #intervalLevels = new Map<string, number>();
  #lastStats: CallStats | undefined;
  #lastSample: StatsSample | null = null;
  /** Bumped by each join and leave, so a join that a leave overtook can tell and back out. */
  #generation = 0;

  constructor(client: TalkClient, conversation: string, options: CallOptions = {}) {
    super();
    this.client = client;
    this.conversation = conversation;
    this.topologyMode = options.topology ?? 'auto';
    this.#options = options;
    this.#timings = { ...DEFAULT_SWITCH_TIMINGS, ...options.switchTimings };
    this.#speakers = new ActiveSpeakerSelector(options.activeSpeaker);
  }

  /** Idle, joining or joined. */
  get state(): CallState {
    return this.#state;
  }

  /** How media flows now; in `auto` mode it changes when a switch completes. */
  get topology(): Topology {
    return this.#transport?.topology ?? (this.topologyMode === 'auto' ? (this.#wanted ?? 'mesh') : this.topologyMode);
  }

  /** The topology a running switch moves to, or null. */
  get switchingTo(): Topology | null {
    return this.#switch?.to.topology ?? null;
  }

  /** Why the server chose the topology (`no-sfu` when the call would be on the SFU but none is configured). */
  get topologyReason(): TopologyReason | null {
    return this.#reason;
  }

  /** The last per-interval statistics, or null before the first interval. */
  get lastStats(): StatsSample | null {
    return this.#lastSample;
  }

  /** The remote participant speaking (or who spoke last), or null before anyone spoke. */
  get activeSpeaker(): RemoteParticipant | null {
    return this.#remotes.get(this.#speakers.current ?? '') ?? null;
  }

  /** Whether camera, microphone and screen share are (or will be, on join) switched on. */
  get media(): CallMedia {
    return this.#media;
  }

  /** This browser's participant while in the call. */
  get localParticipant(): LocalParticipant | null {
    return this.#local;
  }

  /** The other participants, by session id. */
  get remoteParticipants(): ReadonlyMap<string, RemoteParticipant> {
    return this.#remotes;
  }

  /** Every participant, the local one first. */
  get participants(): Participant[] {
    return [...(this.#local ? [this.#local] : []), ...this.#remotes.values()];
  }

  /**
   * Joins the call: gets camera and microphone as asked (by default as `media` says), connects the transport and
   * announces this session on signaling.
   */
  async join(media: Partial<Omit<CallMedia, 'screen'>> = {}): Promise<void> {
    if (this.#state !== CallState.Idle) throw new TalkError(TalkErrorCode.InvalidState, `Cannot join: ${this.#state}`);
    const generation = ++this.#generation;
    this.#media = { ...this.#media, ...media, screen: false };
    this.#setState(CallState.Joining);
    try {
      await this.client.join(this.conversation);
      this.#holdsConversation = true;
      this.#checkCurrent(generation);
      const [settings, stream] = await Promise.all([
        this.client.getCallSettings(this.conversation),
        this.#getUserMedia({
          audio: this.#media.audio && deviceConstraint(this.#deviceIds.microphone, false),
          video: this.#media.video && deviceConstraint(this.#deviceIds.camera, false),
        }),
      ]);
      if (generation !== this.#generation) {
        for (const track of stream?.getTracks() ?? []) track.stop();
        this.#checkCurrent(generation);
      }
      this.#settings = settings;
      const local = new LocalParticipant('', this.client.userId ?? '', this.client.userId ?? '', { ...this.#media });
      for (const track of stream?.getTracks() ?? []) {
        const source = track.kind === 'video' ? TrackSource.Camera : TrackSource.Microphone;
        local.setTrack(source, this.#captureTrack(track, source));
      }
      this.#local = local;
      this.#listenToSignaling();
      this.#listenToDevices();
      await this.#startTransport(settings);
      this.#checkCurrent(generation);
      this.#setState(CallState.Joined);
      this.#reconcileTopology();
      this.#scheduleStats(generation);
      this.#speakerTimer = setInterval(() => this.#detectSpeaker(), SPEAKER_POLL_MS);
    } catch (error) {
      if (generation === this.#generation) this.#teardown();
      throw asTalkError(error);
    }
  }

  /** Leaves the call and stops camera, microphone and screen share; the call can be joined again. */
  async leave(): Promise<void> {
    if (this.#state === CallState.Idle) return;
    this.#generation++;
    this.#trySend({ type: 'call-leave', conversation: this.conversation });
    this.#teardown();
  }

  /** Switches the camera on or off; before joining this sets whether `join` starts with it. */
  setCameraEnabled(enabled: boolean): Promise<void> {
    return this.#setSourceEnabled(TrackSource.Camera, enabled);
  }

  /** Switches the microphone on or off; before joining this sets whether `join` starts with it. */
  setMicrophoneEnabled(enabled: boolean): Promise<void> {
    return this.#setSourceEnabled(TrackSource.Microphone, enabled);
  }

  /** The cameras or microphones the browser offers, to pick one for `setDevice`. */
  listDevices(kind: DeviceKind): Promise<MediaDeviceInfo[]> {
    return listDevices(kind);
  }

  /** The device a kind captures from now (or will on join); empty for the browser's default before joining. */
  deviceId(kind: DeviceKind): string {
    const track = this.#local?.tracks.get(sourceOfDevice[kind]);
    return track ? deviceIdOf(track.mediaStreamTrack) : (this.#deviceIds[kind] ?? '');
  }

  /**
   * Captures the camera or microphone from another device. In a call the new track is sent in place of the old
   * one on every transport without renegotiating, muted if the old one was; before joining this picks the device
   * `join` starts with.
   */
  async setDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    this.#deviceIds[kind] = deviceId;
    const track = this.#local?.tracks.get(sourceOfDevice[kind]);
    if (track && this.#state === CallState.Joined) await this.#swapDevice(kind, deviceId, 'selected');
  }

  /**
   * Starts sharing a screen, window or tab (the browser asks which), with its sound where the browser offers it;
   * the share stops by `setScreenShareEnabled(false)` or when the user ends it in the browser's own UI.
   */
  async setScreenShareEnabled(enabled: boolean): Promise<void> {
    const local = this.#local;
    if (!local || this.#state !== CallState.Joined) {
      throw new TalkError(TalkErrorCode.InvalidState, 'Join the call before sharing the screen');
    }
    if (enabled === (local.screenTrack !== undefined)) return;
    if (!enabled) {
      await this.#stopScreenShare();
      return;
    }
    const stream = await this.#getDisplayMedia();
    if (this.#local !== local) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    const tracks: CallTrack[] = [];
    for (const mediaStreamTrack of stream.getTracks()) {
      const source = mediaStreamTrack.kind === 'video' ? TrackSource.ScreenShare : TrackSource.ScreenShareAudio;
      const track = new CallTrack(mediaStreamTrack, source);
      local.setTrack(source, track);
      tracks.push(track);
      if (source === TrackSource.ScreenShare) {
        // The browser's own "Stop sharing" ends the track without asking the page.
        mediaStreamTrack.addEventListener('ended', () => {
          if (this.#local?.screenTrack === track) void this.#stopScreenShare();
        });
      }
    }
    for (const track of tracks) {
      await Promise.all(this.#transports().map((transport) => transport.publishTrack(track)));
      this.emit(CallEvent.LocalTrackPublished, track, local);
    }
    this.#announceMedia({ ...this.#media, screen: true });
  }

  /** Raises or lowers this participant's hand; everyone in the call sees it. */
  setHandRaised(raised: boolean): void {
    if (this.#state !== CallState.Joined) throw new TalkError(TalkErrorCode.InvalidState, 'Not in the call');
    this.client.send({ type: 'raise-hand', conversation: this.conversation, raised });
  }

  /**
   * Shows an emoji to everyone in the call, and to this browser as a `ReactionReceived` of the local participant.
   * It travels beside the media (data channels in mesh, LiveKit data on the SFU), so nobody who joins later sees it.
   */
  sendReaction(emoji: string): void {
    const local = this.#local;
    if (!local || this.#state !== CallState.Joined || !this.#transport) {
      throw new TalkError(TalkErrorCode.InvalidState, 'Join the call before reacting');
    }
    if (!emoji || emoji.length > MAX_REACTION_LENGTH) {
      throw new TalkError(TalkErrorCode.InvalidArgument, `A reaction is 1 to ${MAX_REACTION_LENGTH} characters`);
    }
    // Mid-switch over both topologies: a peer whose old path closed already gets it over the new one, and one
    // reachable over both drops the second copy by its id.
    const data = encodeReaction(emoji);
    for (const transport of this.#transports()) transport.sendData?.(data);
    this.emit(CallEvent.ReactionReceived, local, emoji);
  }

  /** RTP statistics per remote participant and for what this browser sends, over every transport in use. */
  async getStats(): Promise<CallStats> {
    const gathered = await Promise.all(this.#transports().map((transport) => transport.getStats()));
    const remote = new Map<string, CallStats['remote'][number]['tracks']>();
    for (const stats of gathered) {
      for (const [sessionId, tracks] of stats.remote)
        remote.set(sessionId, [...(remote.get(sessionId) ?? []), ...tracks]);
    }
    return {
      topology: this.topology,
      timestamp: Date.now(),
      local: gathered.flatMap((stats) => stats.local),
      remote: [...remote]
        .filter(([, tracks]) => tracks.length > 0)
        .map(([sessionId, tracks]) => ({ sessionId, tracks })),
    };
  }

  /** Feeds the remote microphones' levels to the selector; a leader that held on long enough becomes the speaker. */
  #detectSpeaker(): void {
    const levels = new Map<string, number>();
    for (const transport of this.#transports()) {
      for (const [sessionId, level] of transport.audioLevels?.() ?? []) {
        if (this.#remotes.has(sessionId)) levels.set(sessionId, Math.max(level, levels.get(sessionId) ?? 0));
      }
    }
    // The live level misses short sounds between readings, and LiveKit's detection reports seldom; the mean over
    // the last stats interval catches them. Participants without any level yet are silent, not absent.
    for (const sessionId of this.#remotes.keys()) {
      levels.set(sessionId, Math.max(levels.get(sessionId) ?? 0, this.#intervalLevels.get(sessionId) ?? 0));
    }
    const before = this.#speakers.current;
    const after = this.#speakers.update(levels, performance.now());
    if (after !== before) this.emit(CallEvent.ActiveSpeakerChanged, this.activeSpeaker);
  }

  /** Reads statistics every interval while this join lasts, and derives rates and connection quality. */
  #scheduleStats(generation: number): void {
    const intervalMs = this.#options.statsIntervalMs ?? 1_000;
    if (intervalMs <= 0) return;
    this.#statsTimer = setTimeout(async () => {
      try {
        const stats = await this.getStats();
        if (generation !== this.#generation) return;
        const sample = computeSample(this.#lastStats, stats);
        this.#lastStats = stats;
        this.#lastSample = sample;
        this.#intervalLevels = new Map(sample.remote.map((rates) => [rates.sessionId, rates.audioLevel]));
        for (const rates of sample.remote) {
          const participant = this.#remotes.get(rates.sessionId);
          if (!participant || participant.connectionQuality === rates.quality) continue;
          participant.connectionQuality = rates.quality;
          this.emit(CallEvent.ConnectionQualityChanged, participant, rates.quality);
        }
        this.emit(CallEvent.StatsUpdated, sample);
      } catch (error) {
        this.emit(CallEvent.Error, asTalkError(error));
      }
      if (generation === this.#generation) this.#scheduleStats(generation);
    }, intervalMs);
  }

  /** Leaves and drops every listener; for hosts that are done with the call. */
  close(): void {
    void this.leave();
    this.removeAllListeners();
  }

  /** The transports in use: the active one, and during a switch the one it moves to. */
  #transports(): CallTransport[] {
    return [this.#transport, this.#switch?.to].filter((transport): transport is CallTransport => !!transport);
  }

  /** Creates and connects a transport for the current session id, announces the call and meets its members. */
  async #startTransport(settings: CallSettings): Promise<void> {
    const local = this.#local;
    const sessionId = this.client.sessionId;
    if (!local || !sessionId) throw new TalkError(TalkErrorCode.SignalingClosed, 'Signaling has no session');
    local.sessionId = sessionId;
    const own = this.client.sessions(this.conversation).find((session) => session.sessionId === sessionId);
    if (own) local.displayName = own.participant.displayName;
    // Joining may take the call to the SFU; then media starts there, with no mesh to switch away from.
    const topology =
      this.topologyMode === 'auto'
        ? (settings.joinTopology ??
          this.#wanted ??
          this.client.callTopology(this.conversation) ??
          settings.topology ??
          'mesh')
        : this.topologyMode;
    const transport = this.#createTransport(topology, false);
    this.#transport = transport;
    const tracks = [...local.tracks.values()];
    await transport.connect(tracks);
    for (const track of tracks) this.emit(CallEvent.LocalTrackPublished, track, local);
    this.client.send({ type: 'call-join', conversation: this.conversation, media: { ...this.#media } });
    for (const session of this.client.sessions(this.conversation)) this.#sessionChanged(session);
  }

  #createTransport(topology: Topology, switching: boolean): CallTransport {
    const context: TransportContext = {
      client: this.client,
      conversation: this.conversation,
      sessionId: this.#local?.sessionId ?? '',
      settings: this.#settings!,
      sendSignal: (to, payload) => this.#trySend({ type: 'signal', conversation: this.conversation, to, payload }),
      switching,
    };
    const transport = (this.#options.createTransport ?? createTransport)(topology, context);
    transport.on(TransportEvent.TrackAdded, (from, track) => this.#trackAdded(transport, from, track));
    transport.on(TransportEvent.TrackRemoved, (from, track) => this.#trackRemoved(transport, from, track));
    transport.on(TransportEvent.DataReceived, (from, data) => this.#dataReceived(from, data));
    transport.on(TransportEvent.PeerStateChanged, (from, state) => {
      const participant = this.#remotes.get(from);
      if (participant && this.#isCurrent(transport)) this.emit(CallEvent.ConnectionStateChanged, participant, state);
    });
    return transport;
  }

  /** A message from beside the media; anything this version does not know, or malformed, is ignored. */
  #dataReceived(from: string, data: string): void {
    const participant = this.#remotes.get(from);
    const emoji = participant && this.#reactions.read(from, data);
    if (participant && emoji) this.emit(CallEvent.ReactionReceived, participant, emoji);
  }

  /** Whether events of this transport still matter: it is the active one or the one a switch moves to. */
  #isCurrent(transport: CallTransport): boolean {
    return transport === this.#transport || transport === this.#switch?.to;
  }

  #trackAdded(transport: CallTransport, sessionId: string, track: CallTrack): void {
    if (!this.#isCurrent(transport)) return;
    const participant = this.#remote(sessionId);
    this.#origin.set(track, transport);
    const running = this.#switch;
    if (running && transport === running.to) {
      running.trackAdded(participant, track);
      return;
    }
    // The old transport may still deliver a track mid-switch (a share that started); never over a newer one.
    const shown = participant.tracks.get(track.source);
    if (running && shown && this.#origin.get(shown) === running.to) return;
    this.#showTrack(participant, track);
  }

  #trackRemoved(transport: CallTransport, sessionId: string, track: CallTrack): void {
    if (transport === this.#switch?.to) this.#switch.trackRemoved(track);
    const participant = this.#remotes.get(sessionId);
    if (!participant || participant.tracks.get(track.source) !== track) return;
    participant.setTrack(track.source, undefined);
    this.emit(CallEvent.TrackUnsubscribed, track, participant);
  }

  /** Shows `track` for its source, replacing what was there: the new track is announced before the old one goes. */
  #showTrack(participant: RemoteParticipant, track: CallTrack): void {
    const previous = participant.tracks.get(track.source);
    if (previous === track) return;
    participant.setTrack(track.source, track);
    this.emit(CallEvent.TrackSubscribed, track, participant);
    if (previous) this.emit(CallEvent.TrackUnsubscribed, previous, participant);
  }

  #listenToSignaling(): void {
    const mine = (conversation: string) => conversation === this.conversation;
    this.#unsubscribe.push(
      this.client.on(ClientEvent.SessionJoined, (c, session) => mine(c) && this.#sessionChanged(session)),
      this.client.on(ClientEvent.SessionUpdated, (c, session) => mine(c) && this.#sessionChanged(session)),
      this.client.on(ClientEvent.SessionLeft, (c, sessionId) => mine(c) && this.#removeRemote(sessionId)),
      this.client.on(ClientEvent.Signal, ({ conversation, from, payload }) => {
        if (mine(conversation)) this.#handleSignal(from, payload);
      }),
      this.client.on(ClientEvent.CallTopology, (message) => {
        if (mine(message.conversation)) this.#topologyAnnounced(message);
      }),
      this.client.on(ClientEvent.ConversationJoined, (c, _sessions, { rejoined }) => {
        if (mine(c) && rejoined && this.#state === CallState.Joined) void this.#restartAfterReconnect();
      }),
    );
  }

  #handleSignal(from: string, payload: SignalPayload): void {
    if (payload.kind === 'switched') {
      this.#switch?.remoteSwitched(from, payload.topology);
      return;
    }
    // Only mesh negotiates over signaling; mid-switch the mesh may be either the old or the new transport.
    for (const transport of this.#transports())
      if (transport.topology === 'mesh') transport.handleSignal(from, payload);
  }

  #topologyAnnounced(message: ServerMessageOf<'call-topology'>): void {
    if (this.topologyMode !== 'auto') return;
    const reasonChanged = message.reason !== this.#reason;
    this.#wanted = message.topology;
    this.#reason = message.reason;
    // `no-sfu` changes nothing but the reason, which hosts may show ("the call stays peer to peer").
    if (reasonChanged && message.topology === this.topology && !this.#switch) {
      this.emit(CallEvent.TopologyChanged, this.topology, message.reason);
    }
    this.#reconcileTopology();
  }

  /** Starts a switch when the server wants another topology than the one media flows on (or moves to). */
  #reconcileTopology(): void {
    const transport = this.#transport;
    const wanted = this.#wanted;
    if (this.topologyMode !== 'auto' || this.#state !== CallState.Joined || !transport || !wanted) return;
    if (wanted === (this.#switch?.to.topology ?? transport.topology)) return;
    // Turned back mid-switch: end that switch at once, then switch back from where it got.
    this.#switch?.finish();
    this.#startSwitch(wanted);
  }

  #startSwitch(topology: Topology): void {
    const from = this.#transport;
    const local = this.#local;
    if (!from || !local) return;
    const to = this.#createTransport(topology, true);
    const running = new TopologySwitch(
      from,
      to,
      this.#remotes.values(),
      {
        swap: (participant, track) => {
          if (this.#remotes.get(participant.sessionId) === participant) this.#showTrack(participant, track);
        },
        sendSwitched: (sessionId, switchedTo) =>
          this.#trySend({
            type: 'signal',
            conversation: this.conversation,
            to: sessionId,
            payload: { kind: 'switched', topology: switchedTo },
          }),
        finished: () => this.#switchFinished(running),
      },
      this.#timings,
    );
    this.#switch = running;
    this.emit(CallEvent.TopologySwitchStarted, from.topology, topology);
    const generation = this.#generation;
    // Mesh takes its senders synchronously in connect, so peers added right after already send.
    const connected = to.connect([...local.tracks.values()]);
    for (const sessionId of this.#remotes.keys()) to.addPeer(sessionId);
    connected.then(
      () => {
        if (this.#switch === running && generation === this.#generation) running.start();
      },
      (error) => {
        if (this.#switch !== running) return;
        // The old transport still carries everything; stay on it and say why.
        running.cancel();
        this.#switch = null;
        this.#dropTracksOf(to);
        to.close();
        this.emit(CallEvent.Error, asTalkError(error));
      },
    );
  }

  #switchFinished(running: TopologySwitch): void {
    if (this.#switch !== running) return;
    this.#switch = null;
    this.#transport = running.to;
    running.from.close();
    this.#dropTracksOf(running.from);
    this.emit(CallEvent.TopologyChanged, running.to.topology, this.#reason ?? 'call-started');
  }

  /** Removes every remote track a closed transport delivered that is still shown. */
  #dropTracksOf(transport: CallTransport): void {
    for (const participant of this.#remotes.values()) {
      for (const track of [...participant.tracks.values()]) {
        if (this.#origin.get(track) === transport) this.#trackRemoved(transport, participant.sessionId, track);
      }
    }
  }

  /**
   * After a signaling reconnect this browser has a new session id, and everyone else saw the old one leave; the
   * media connections keyed to it are dead, so the transport starts over under the new id.
   */
  async #restartAfterReconnect(): Promise<void> {
    const generation = this.#generation;
    this.#closeTransports();
    for (const sessionId of [...this.#remotes.keys()]) this.#removeRemote(sessionId);
    try {
      const settings = await this.client.getCallSettings(this.conversation);
      if (generation !== this.#generation) return;
      this.#settings = settings;
      await this.#startTransport(settings);
      this.#reconcileTopology();
    } catch (error) {
      this.emit(CallEvent.Error, asTalkError(error));
    }
  }

  #closeTransports(): void {
    this.#switch?.cancel();
    this.#switch?.to.close();
    this.#switch = null;
    this.#transport?.close();
    this.#transport = null;
  }

  #sessionChanged(session: SessionInfo): void {
    if (session.sessionId === this.#local?.sessionId) {
      if (this.#local.handRaised !== (session.handRaised === true)) {
        this.#local.handRaised = session.handRaised === true;
        this.emit(CallEvent.ParticipantUpdated, this.#local);
      }
      return;
    }
    if (!session.inCall) {
      this.#removeRemote(session.sessionId);
      return;
    }
    const known = this.#remotes.get(session.sessionId);
    if (known) {
      if (known.update(session)) this.emit(CallEvent.ParticipantUpdated, known);
      if (!session.media.screen) this.#dropScreenOf(known);
      this.#switch?.participantUpdated(known.sessionId);
      return;
    }
    this.#remote(session.sessionId, session);
  }

  /** A participant announced the end of its share; its screen tracks go even if a transport is slow to say so. */
  #dropScreenOf(participant: RemoteParticipant): void {
    for (const track of [...participant.tracks.values()]) {
      if (!isScreenSource(track.source)) continue;
      participant.setTrack(track.source, undefined);
      this.emit(CallEvent.TrackUnsubscribed, track, participant);
    }
  }

  /** The remote participant of a session, created on first sight: from signaling, or from media that came first. */
  #remote(sessionId: string, session?: SessionInfo): RemoteParticipant {
    const known = this.#remotes.get(sessionId);
    if (known) return known;
    const info = session ?? this.client.sessions(this.conversation).find((s) => s.sessionId === sessionId);
    const participant = info
      ? RemoteParticipant.fromSession(info)
      : new RemoteParticipant(sessionId, '', '', { audio: true, video: true });
    this.#remotes.set(sessionId, participant);
    // Mid-switch a newcomer is met on the new transport only: the old one is on its way out.
    (this.#switch?.to ?? this.#transport)?.addPeer(sessionId);
    this.emit(CallEvent.ParticipantJoined, participant);
    return participant;
  }

  #removeRemote(sessionId: string): void {
    const participant = this.#remotes.get(sessionId);
    if (!participant) return;
    for (const transport of this.#transports()) transport.removePeer(sessionId);
    this.#switch?.participantLeft(sessionId);
    for (const [source, track] of participant.tracks) {
      participant.setTrack(source, undefined);
      this.emit(CallEvent.TrackUnsubscribed, track, participant);
    }
    this.#remotes.delete(sessionId);
    this.#reactions.forget(sessionId);
    this.emit(CallEvent.ParticipantLeft, participant);
  }

  async #setSourceEnabled(source: TrackSource.Camera | TrackSource.Microphone, enabled: boolean): Promise<void> {
    const media = { ...this.#media, [mediaKey[source]]: enabled };
    this.#media = media;
    const local = this.#local;
    if (local && this.#transport && this.#state === CallState.Joined) {
      const track = local.tracks.get(source);
      if (track) {
        await Promise.all(this.#transports().map((transport) => transport.setTrackEnabled(track, enabled)));
      } else if (enabled) {
        // Joined without this device: get it now and publish it, which renegotiates.
        const device = deviceOfSource[source];
        const stream = await this.#getUserMedia({
          [mediaKey[source]]: deviceConstraint(this.#deviceIds[device], false),
        });
        const added = stream?.getTracks()[0];
        if (added) {
          const callTrack = this.#captureTrack(added, source);
          local.setTrack(source, callTrack);
          await Promise.all(this.#transports().map((transport) => transport.publishTrack(callTrack)));
          this.emit(CallEvent.LocalTrackPublished, callTrack, local);
        }
      }
      this.#announceMedia({ ...this.#media });
      return;
    }
    this.emit(CallEvent.LocalMediaChanged, this.#media);
  }

  /** A camera or microphone track of this call; should it end by itself (device gone), the call falls back. */
  #captureTrack(mediaStreamTrack: MediaStreamTrack, source: TrackSource.Camera | TrackSource.Microphone): CallTrack {
    const track = new CallTrack(mediaStreamTrack, source);
    // The browser fires `ended` only when the device goes, never for the page's own stop().
    mediaStreamTrack.addEventListener('ended', () => {
      if (this.#local?.tracks.get(source) === track) void this.#recoverDevice(deviceOfSource[source]);
    });
    return track;
  }

  /** Some browsers leave a track of an unplugged device live and silent; `devicechange` tells the truth there. */
  #listenToDevices(): void {
    const mediaDevices = globalThis.navigator?.mediaDevices;
    if (!mediaDevices?.addEventListener) return;
    const changed = async () => {
      for (const kind of ['camera', 'microphone'] as const) {
        const track = this.#local?.tracks.get(sourceOfDevice[kind]);
        if (!track) continue;
        const present = await listDevices(kind);
        const inUse = deviceIdOf(track.mediaStreamTrack);
        if (inUse && !present.some((device) => device.deviceId === inUse)) await this.#recoverDevice(kind);
      }
    };
    const listener = () => void changed().catch((error) => this.emit(CallEvent.Error, asTalkError(error)));
    mediaDevices.addEventListener('devicechange', listener);
    this.#unsubscribe.push(() => mediaDevices.removeEventListener('devicechange', listener));
  }

  /** The device in use went away: forget the choice and capture from the default device. */
  async #recoverDevice(kind: DeviceKind): Promise<void> {
    delete this.#deviceIds[kind];
    try {
      await this.#swapDevice(kind, undefined, 'lost');
    } catch (error) {
      this.emit(CallEvent.Error, asTalkError(error));
    }
  }

  /** Captures `kind` from `deviceId` (the default when absent) and sends it in place of the current track. */
  async #swapDevice(kind: DeviceKind, deviceId: string | undefined, reason: DeviceChangeReason): Promise<void> {
    const source = sourceOfDevice[kind];
    const local = this.#local;
    const previous = local?.tracks.get(source);
    if (!local || !previous) return;
    const stream = await this.#getUserMedia({ [constraintKey[kind]]: deviceConstraint(deviceId, true) });
    const added = stream?.getTracks()[0];
    if (!added) return;
    // A leave, or another swap, overtook this one: what it captured is not wanted any more.
    if (this.#local !== local || local.tracks.get(source) !== previous) {
      added.stop();
      return;
    }
    // A muted camera stays muted on the new device; the call's state decides, as a lost track may be disabled.
    added.enabled = this.#media[constraintKey[kind]];
    const next = this.#captureTrack(added, source);
    local.setTrack(source, next);
    const enabled = added.enabled;
    await Promise.all(this.#transports().map((transport) => transport.replaceTrack(previous, next)));
    // LiveKit mutes a publication whose track ended, possibly onto the new track; the call's state wins.
    await Promise.all(this.#transports().map((transport) => transport.setTrackEnabled(next, enabled)));
    previous.mediaStreamTrack.stop();
    this.emit(CallEvent.LocalTrackPublished, next, local);
    this.emit(CallEvent.DeviceChanged, kind, deviceIdOf(added), reason);
  }

  async #stopScreenShare(): Promise<void> {
    const local = this.#local;
    if (!local) return;
    for (const source of [TrackSource.ScreenShare, TrackSource.ScreenShareAudio]) {
      const track = local.tracks.get(source);
      if (!track) continue;
      local.setTrack(source, undefined);
      track.mediaStreamTrack.stop();
      await Promise.all(this.#transports().map((transport) => transport.unpublishTrack(track)));
      this.emit(CallEvent.LocalTrackUnpublished, track, local);
    }
    this.#announceMedia({ ...this.#media, screen: false });
  }

  /** Re-announcing the media is how others learn about a mute or a share; the server answers with session-updated. */
  #announceMedia(media: CallMedia): void {
    this.#media = media;
    if (this.#local) this.#local.media = { ...media };
    this.#trySend({ type: 'call-join', conversation: this.conversation, media: { ...media } });
    this.emit(CallEvent.LocalMediaChanged, media);
  }

  async #getUserMedia(constraints: CaptureConstraints): Promise<MediaStream | null> {
    if (!constraints.audio && !constraints.video) return null;
    const getUserMedia =
      this.#options.getUserMedia ?? ((c: MediaStreamConstraints) => navigator.mediaDevices.getUserMedia(c));
    try {
      return await getUserMedia(constraints);
    } catch (cause) {
      throw new TalkError(TalkErrorCode.MediaDenied, `Could not get ${describe(constraints)}: ${String(cause)}`, {
        cause,
      });
    }
  }

  async #getDisplayMedia(): Promise<MediaStream> {
    const getDisplayMedia =
      this.#options.getDisplayMedia ?? ((o: DisplayMediaStreamOptions) => navigator.mediaDevices.getDisplayMedia(o));
    try {
      return await getDisplayMedia({ video: true, audio: true });
    } catch (cause) {
      throw new TalkError(TalkErrorCode.MediaDenied, `Could not share the screen: ${String(cause)}`, { cause });
    }
  }

  #checkCurrent(generation: number): void {
    if (generation !== this.#generation) throw new TalkError(TalkErrorCode.Aborted, 'The call was left while joining');
  }

  #trySend(message: Parameters<TalkClient['send']>[0]): void {
    try {
      this.client.send(message);
    } catch {
      // Signaling is down; after reconnecting, the server has dropped this session and the call restarts anyway.
    }
  }

  #teardown(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    clearTimeout(this.#statsTimer);
    clearInterval(this.#speakerTimer);
    this.#speakers.reset();
    this.#intervalLevels.clear();
    this.#lastStats = undefined;
    this.#lastSample = null;
    this.#closeTransports();
    for (const sessionId of [...this.#remotes.keys()]) this.#removeRemote(sessionId);
    this.#local?.stopTracks();
    this.#local = null;
    this.#media = { ...this.#media, screen: false };
    this.#wanted = null;
    this.#reason = null;
    if (this.#holdsConversation) this.client.leave(this.conversation);
    this.#holdsConversation = false;
    this.#setState(CallState.Idle);
  }

  #setState(state: CallState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.emit(CallEvent.StateChanged, state);
  }
}

function describe(constraints: CaptureConstraints): string {
  return [constraints.video && 'camera', constraints.audio && 'microphone'].filter(Boolean).join(' and ');
}
