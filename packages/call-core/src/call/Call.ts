import type { CallMedia, CallSettings, ClientMessage, SessionInfo } from '@talk/protocol';
import type { TalkClientLike } from '../client/TalkClientLike.js';
import { TypedEmitter } from '../emitter.js';
import { asTalkError, TalkError, TalkErrorCode } from '../errors.js';
import type { CallStats } from '../stats/CallStats.js';
import { CallStatsLoop } from '../stats/CallStatsLoop.js';
import type { StatsSample } from '../stats/StatsSampler.js';
import type { CallOptions } from './CallOptions.js';
import { onConversation } from './conversation-events.js';
import { type DeviceKind, listDevices } from './devices.js';
import type { TopologyMode } from './engine/join-topology.js';
import { EngineEvent, MediaEngine } from './engine/MediaEngine.js';
import { CallEvent, type CallEventCallbacks, CallState, type TopologyReason } from './events.js';
import { CallPreview } from './media/CallPreview.js';
import { LocalMedia } from './media/LocalMedia.js';
import { MembershipWatcher } from './membership/MembershipWatcher.js';
import type { LocalParticipant } from './participant/LocalParticipant.js';
import type { Participant } from './participant/Participant.js';
import type { RemoteParticipant } from './participant/RemoteParticipant.js';
import { Roster } from './Roster.js';
import { encodeReaction, MAX_REACTION_LENGTH } from './reactions.js';
import { TopologyFollower } from './topology/TopologyFollower.js';
import { TrackSource } from './track.js';
import type { Topology } from './transport/CallTransport.js';

/**
 * The call of one conversation as this browser takes part in it: local media, the remote participants that
 * signaling announces, and a transport that moves the media between them. With `topology: 'auto'` the transport
 * changes under the call as the server decides, and participants keep their identity across the change.
 *
 * A facade over its parts: the `MediaEngine` owns the transports and the switch between them, the `Roster` the
 * remote participants, `LocalMedia` what this browser captures and sends, and the `CallStatsLoop` the timers.
 */
export class Call extends TypedEmitter<CallEventCallbacks> {
  /** The client the call signals through. */
  readonly client: TalkClientLike;
  /** The conversation's token. */
  readonly conversation: string;
  /** How the topology is chosen. */
  readonly topologyMode: TopologyMode;
  readonly #engine: MediaEngine;
  readonly #roster: Roster;
  readonly #local: LocalMedia;
  readonly #stats: CallStatsLoop;
  readonly #follower: TopologyFollower;
  #state = CallState.Idle;
  /** Aborted by the leave that ends this join, so whatever the join still awaits backs out. */
  #join: AbortController | null = null;
  #unsubscribe: (() => void)[] = [];
  #holdsConversation = false;

  constructor(client: TalkClientLike, conversation: string, callOptions: CallOptions = {}) {
    super();
    // A stand-in client (the fixture's) hands every call its media and transport; the call's own options win.
    const options: CallOptions = { ...client.callDefaults, ...callOptions };
    this.client = client;
    this.conversation = conversation;
    this.topologyMode = options.topology ?? 'auto';
    const emit = this.emit.bind(this);
    this.#engine = new MediaEngine({
      client,
      conversation,
      directory: { participant: (id) => this.#roster.participant(id), participants: () => this.#roster.participants() },
      sendSignal: (to, payload) => this.#trySend({ type: 'signal', conversation, to, payload }),
      createTransport: options.createTransport,
      switchTimings: options.switchTimings,
    });
    this.#roster = new Roster({
      engine: this.#engine,
      lookup: (id) => client.sessions(conversation).find((session) => session.sessionId === id),
      emit,
      membershipChanged: () => this.#follower.membershipChanged(),
    });
    this.#local = new LocalMedia({
      engine: this.#engine,
      joined: () => this.#state === CallState.Joined,
      announce: (media) => this.#trySend({ type: 'call-join', conversation, media }),
      emit,
      getUserMedia: options.getUserMedia,
      getDisplayMedia: options.getDisplayMedia,
    });
    this.#stats = new CallStatsLoop({
      getStats: () => this.getStats(),
      audioLevels: () => this.#engine.audioLevels(),
      participants: this.#roster.remotes,
      emit,
      intervalMs: options.statsIntervalMs,
      activeSpeaker: options.activeSpeaker,
    });
    this.#follower = new TopologyFollower({
      mode: this.topologyMode,
      engine: this.#engine,
      prepareSfu: options.prepareSfu ?? true,
      joined: () => this.#state === CallState.Joined,
      inCall: () => this.#roster.remotes.size + 1,
      tracks: () => this.#local.tracks(),
      emit,
    });
    this.#engine.on(EngineEvent.Error, (error) => this.emit(CallEvent.Error, error));
  }

  /** Idle, joining or joined. */
  get state(): CallState {
    return this.#state;
  }

  /** How media flows now; in `auto` mode it changes when a switch completes. */
  get topology(): Topology {
    return this.#follower.topology;
  }

  /** The topology a running switch moves to, or null. */
  get switchingTo(): Topology | null {
    return this.#engine.switchingTo;
  }

  /** The topology a transport is connected to and sending on ahead of a switch the server may decide, or null. */
  get preparedFor(): Topology | null {
    return this.#engine.preparedFor;
  }

  /** Why the server chose the topology (`no-sfu` when the call would be on the SFU but none is configured). */
  get topologyReason(): TopologyReason | null {
    return this.#follower.reason;
  }

  /** Whether the SFU the server asked for could not be reached, so that media flows over the mesh meanwhile. */
  get sfuUnreachable(): boolean {
    return this.#follower.sfuUnreachable;
  }

  /** The last per-interval statistics, or null before the first interval. */
  get lastStats(): StatsSample | null {
    return this.#stats.lastSample;
  }

  /** The remote participant speaking (or who spoke last), or null before anyone spoke. */
  get activeSpeaker(): RemoteParticipant | null {
    return this.#stats.activeSpeaker;
  }

  /** Whether camera, microphone and screen share are (or will be, on join) switched on. */
  get media(): CallMedia {
    return this.#local.media;
  }

  /** This browser's participant while in the call. */
  get localParticipant(): LocalParticipant | null {
    return this.#local.participant;
  }

  /** The other participants, by session id. */
  get remoteParticipants(): ReadonlyMap<string, RemoteParticipant> {
    return this.#roster.remotes;
  }

  /** Every participant, the local one first. */
  get participants(): Participant[] {
    const local = this.#local.participant;
    return [...(local ? [local] : []), ...this.#roster.participants()];
  }

  /**
   * Joins the call: gets camera and microphone as asked (by default as `media` says), connects the transport and
   * announces this session on signaling.
   */
  async join(media: Partial<Omit<CallMedia, 'screen'>> = {}): Promise<void> {
    if (this.#state !== CallState.Idle) throw new TalkError(TalkErrorCode.InvalidState, `Cannot join: ${this.#state}`);
    const join = new AbortController();
    this.#join = join;
    const { signal } = join;
    this.#local.prepare(media);
    this.#setState(CallState.Joining);
    try {
      await this.client.join(this.conversation);
      this.#holdsConversation = true;
      signal.throwIfAborted();
      const [settings, stream] = await Promise.all([
        this.client.getCallSettings(this.conversation),
        this.#local.capture(),
      ]);
      this.#local.begin(stream, this.client.userId ?? '', signal);
      const membership = this.#watchMembership(signal);
      this.#unsubscribe.push(
        onConversation(this.client, this.conversation, {
          sessionChanged: (session) => this.#sessionChanged(session),
          sessionLeft: (sessionId) => this.#roster.remove(sessionId),
          signal: (from, payload) => this.#engine.handleSignal(from, payload),
          topology: (message) => this.#follower.announced(message),
          rejoined: () => this.#state === CallState.Joined && void this.#restartAfterReconnect(),
          left: (reason) => membership.left(reason),
          updated: () => membership.updated(),
        }),
        this.#local.watchDevices(),
      );
      await this.#startTransport(settings);
      signal.throwIfAborted();
      this.#setState(CallState.Joined);
      this.#follower.reconcile();
      this.#stats.start(signal);
    } catch (error) {
      if (!signal.aborted) this.#teardown();
      throw asTalkError(error);
    }
  }

  /**
   * Captures what `join` would (the switches' media, from the chosen devices) for a pre-join preview. The caller
   * stops it, before joining at the latest.
   */
  async preview(): Promise<CallPreview> {
    if (this.#state !== CallState.Idle) throw new TalkError(TalkErrorCode.InvalidState, 'Preview before joining');
    return new CallPreview(await this.#local.capture());
  }

  /** Leaves the call and stops camera, microphone and screen share; the call can be joined again. */
  async leave(): Promise<void> {
    if (this.#state === CallState.Idle) return;
    this.#join?.abort(new TalkError(TalkErrorCode.Aborted, 'The call was left while joining'));
    this.#trySend({ type: 'call-leave', conversation: this.conversation });
    this.#teardown();
  }

  /** Switches the camera on or off; before joining this sets whether `join` starts with it. */
  setCameraEnabled(enabled: boolean): Promise<void> {
    return this.#local.setSourceEnabled(TrackSource.Camera, enabled);
  }

  /** Switches the microphone on or off; before joining this sets whether `join` starts with it. */
  setMicrophoneEnabled(enabled: boolean): Promise<void> {
    return this.#local.setSourceEnabled(TrackSource.Microphone, enabled);
  }

  /** The cameras or microphones the browser offers, to pick one for `setDevice`. */
  listDevices(kind: DeviceKind): Promise<MediaDeviceInfo[]> {
    return listDevices(kind);
  }

  /** The device a kind captures from now (or will on join); empty for the browser's default before joining. */
  deviceId(kind: DeviceKind): string {
    return this.#local.deviceId(kind);
  }

  /** Captures the camera or microphone from another device, sent in place of the old one; before joining, on join. */
  setDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    return this.#local.setDevice(kind, deviceId);
  }

  /** Starts or stops sharing a screen, window or tab, with its sound where the browser offers it. */
  setScreenShareEnabled(enabled: boolean): Promise<void> {
    return this.#local.setScreenShareEnabled(enabled);
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
    const local = this.#local.participant;
    if (!local || this.#state !== CallState.Joined || !this.#engine.topology) {
      throw new TalkError(TalkErrorCode.InvalidState, 'Join the call before reacting');
    }
    if (!emoji || emoji.length > MAX_REACTION_LENGTH) {
      throw new TalkError(TalkErrorCode.InvalidArgument, `A reaction is 1 to ${MAX_REACTION_LENGTH} characters`);
    }
    this.#engine.sendData(encodeReaction(emoji));
    this.emit(CallEvent.ReactionReceived, local, emoji);
  }

  /** RTP statistics per remote participant and for what this browser sends, over every transport in use. */
  async getStats(): Promise<CallStats> {
    const { local, remote } = await this.#engine.getStats();
    return { topology: this.topology, timestamp: Date.now(), local, remote };
  }

  /** Leaves and drops every listener; for hosts that are done with the call. */
  close(): void {
    void this.leave();
    this.removeAllListeners();
  }

  /** Ends the call when the server takes this browser out, and switches off media it may no longer send. */
  #watchMembership(signal: AbortSignal): MembershipWatcher {
    return new MembershipWatcher(this.client, this.conversation, {
      end: (reason) => {
        if (signal.aborted) return;
        this.#join?.abort(new TalkError(TalkErrorCode.Aborted, `Taken out of the call: ${reason}`));
        this.#trySend({ type: 'call-leave', conversation: this.conversation });
        this.#teardown();
        this.emit(CallEvent.Ended, reason);
      },
      restrict: (allowed) => {
        if (signal.aborted) return;
        const media = this.#local.media;
        const off = (done: Promise<void>) => done.catch((error) => this.emit(CallEvent.Error, asTalkError(error)));
        if (media.audio && !allowed.audio) void off(this.setMicrophoneEnabled(false));
        if (media.video && !allowed.video) void off(this.setCameraEnabled(false));
        if (media.screen && !allowed.screen) void off(this.setScreenShareEnabled(false));
      },
      error: (cause) => !signal.aborted && this.emit(CallEvent.Error, asTalkError(cause)),
    });
  }

  /** Connects a transport under the current session id, announces the call and meets its members. */
  async #startTransport(settings: CallSettings): Promise<void> {
    const local = this.#local.participant;
    const sessionId = this.client.sessionId;
    if (!local || !sessionId) throw new TalkError(TalkErrorCode.SignalingClosed, 'Signaling has no session');
    this.#local.identify(sessionId, this.client.sessions(this.conversation));
    const topology = this.#follower.joinTopology(settings, this.client.callTopology(this.conversation));
    const tracks = this.#local.tracks();
    await this.#engine.start(topology, { sessionId, settings }, tracks);
    for (const track of tracks) this.emit(CallEvent.LocalTrackPublished, track, local);
    this.client.send({ type: 'call-join', conversation: this.conversation, media: { ...this.#local.media } });
    for (const session of this.client.sessions(this.conversation)) this.#sessionChanged(session);
  }

  /**
   * After a signaling reconnect this browser has a new session id, and everyone else saw the old one leave; the
   * media connections keyed to it are dead, so the transport starts over under the new id.
   */
  async #restartAfterReconnect(): Promise<void> {
    const signal = this.#join?.signal;
    this.#engine.close();
    try {
      const settings = await this.client.getCallSettings(this.conversation);
      if (!signal || signal.aborted) return;
      // Cleared only now: sessions that joined the call while the settings were on their way were entered in the
      // roster with no transport to meet them on, and the replay in #startTransport would take them as known and
      // never add their peers (their offers then wait unanswered). Cleared, the replay meets every one anew.
      this.#roster.clear();
      await this.#startTransport(settings);
      this.#follower.reconcile();
    } catch (error) {
      this.emit(CallEvent.Error, asTalkError(error));
    }
  }

  /** What signaling says about a session: this browser's own, or another's. */
  #sessionChanged(session: SessionInfo): void {
    if (!this.#local.sessionChanged(session)) this.#roster.sessionChanged(session);
  }

  #trySend(message: ClientMessage): void {
    try {
      this.client.send(message);
    } catch {
      // Signaling is down; after reconnecting, the server has dropped this session and the call restarts anyway.
    }
  }

  #teardown(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#stats.stop();
    this.#engine.close();
    this.#roster.clear();
    this.#local.stop();
    this.#join = null;
    this.#follower.reset();
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
