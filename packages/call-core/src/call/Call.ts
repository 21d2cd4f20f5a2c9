import type { CallMedia, SessionInfo } from '@talk/protocol';
import { ClientEvent } from '../client/events.js';
import { asTalkError, type TalkClient } from '../client/TalkClient.js';
import { TypedEmitter } from '../emitter.js';
import { TalkError, TalkErrorCode } from '../errors.js';
import type { CallStats } from '../stats/CallStats.js';
import { CallEvent, type CallEventCallbacks, CallState } from './events.js';
import { LocalParticipant } from './participant/LocalParticipant.js';
import type { Participant } from './participant/Participant.js';
import { RemoteParticipant } from './participant/RemoteParticipant.js';
import { CallTrack, TrackSource } from './track.js';
import type { CallTransport, Topology, TransportContext } from './transport/CallTransport.js';
import { TransportEvent } from './transport/CallTransport.js';
import { MeshTransport } from './transport/MeshTransport.js';
import { SfuTransport } from './transport/SfuTransport.js';

/** Options of a Call. */
export interface CallOptions {
  /** Peer to peer or through the SFU; fixed for the call's lifetime for now. */
  topology?: Topology;
  /** Builds the transport; tests and embedders can substitute their own. */
  createTransport?: (topology: Topology, context: TransportContext) => CallTransport;
  /** Gets camera and microphone; defaults to navigator.mediaDevices.getUserMedia. */
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
}

/** Builds the built-in transport for a topology. */
export function createTransport(topology: Topology, context: TransportContext): CallTransport {
  return topology === 'sfu' ? new SfuTransport(context) : new MeshTransport(context);
}

const mediaKey = { [TrackSource.Camera]: 'video', [TrackSource.Microphone]: 'audio' } as const;

/**
 * The call of one conversation as this browser takes part in it: local media, the remote participants that
 * signaling announces, and a transport that moves the media between them.
 */
export class Call extends TypedEmitter<CallEventCallbacks> {
  /** The client the call signals through. */
  readonly client: TalkClient;
  /** The conversation's token. */
  readonly conversation: string;
  /** How media flows. */
  readonly topology: Topology;
  readonly #options: CallOptions;
  #state = CallState.Idle;
  #media: CallMedia = { audio: true, video: true };
  #local: LocalParticipant | null = null;
  readonly #remotes = new Map<string, RemoteParticipant>();
  #transport: CallTransport | null = null;
  #unsubscribe: (() => void)[] = [];
  #holdsConversation = false;
  /** Bumped by each join and leave, so a join that a leave overtook can tell and back out. */
  #generation = 0;

  constructor(client: TalkClient, conversation: string, options: CallOptions = {}) {
    super();
    this.client = client;
    this.conversation = conversation;
    this.topology = options.topology ?? 'mesh';
    this.#options = options;
  }

  /** Idle, joining or joined. */
  get state(): CallState {
    return this.#state;
  }

  /** Whether camera and microphone are (or will be, on join) switched on. */
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
  async join(media: Partial<CallMedia> = {}): Promise<void> {
    if (this.#state !== CallState.Idle) throw new TalkError(TalkErrorCode.InvalidState, `Cannot join: ${this.#state}`);
    const generation = ++this.#generation;
    this.#media = { ...this.#media, ...media };
    this.#setState(CallState.Joining);
    try {
      await this.client.join(this.conversation);
      this.#holdsConversation = true;
      this.#checkCurrent(generation);
      const [settings, stream] = await Promise.all([
        this.client.getCallSettings(this.conversation),
        this.#getUserMedia({ audio: this.#media.audio, video: this.#media.video }),
      ]);
      if (generation !== this.#generation) {
        for (const track of stream?.getTracks() ?? []) track.stop();
        this.#checkCurrent(generation);
      }
      const local = new LocalParticipant('', this.client.userId ?? '', this.client.userId ?? '', { ...this.#media });
      for (const track of stream?.getTracks() ?? []) {
        const source = track.kind === 'video' ? TrackSource.Camera : TrackSource.Microphone;
        local.setTrack(source, new CallTrack(track, source));
      }
      this.#local = local;
      this.#listenToSignaling();
      await this.#startTransport(settings);
      this.#checkCurrent(generation);
      this.#setState(CallState.Joined);
    } catch (error) {
      if (generation === this.#generation) this.#teardown();
      throw asTalkError(error);
    }
  }

  /** Leaves the call and stops camera and microphone; the call can be joined again. */
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

  /** RTP statistics per remote participant and for what this browser sends. */
  async getStats(): Promise<CallStats> {
    const stats = (await this.#transport?.getStats()) ?? { local: [], remote: new Map() };
    return {
      topology: this.topology,
      timestamp: Date.now(),
      local: stats.local,
      remote: [...stats.remote]
        .filter(([, tracks]) => tracks.length > 0)
        .map(([sessionId, tracks]) => ({ sessionId, tracks })),
    };
  }

  /** Leaves and drops every listener; for hosts that are done with the call. */
  close(): void {
    void this.leave();
    this.removeAllListeners();
  }

  /** Creates and connects a transport for the current session id, announces the call and meets its members. */
  async #startTransport(settings: TransportContext['settings']): Promise<void> {
    const local = this.#local;
    const sessionId = this.client.sessionId;
    if (!local || !sessionId) throw new TalkError(TalkErrorCode.SignalingClosed, 'Signaling has no session');
    local.sessionId = sessionId;
    const own = this.client.sessions(this.conversation).find((session) => session.sessionId === sessionId);
    if (own) local.displayName = own.participant.displayName;
    const context: TransportContext = {
      client: this.client,
      conversation: this.conversation,
      sessionId,
      settings,
      sendSignal: (to, payload) => this.#trySend({ type: 'signal', conversation: this.conversation, to, payload }),
    };
    const transport = (this.#options.createTransport ?? createTransport)(this.topology, context);
    this.#transport = transport;
    transport.on(TransportEvent.TrackAdded, (from, track) => {
      const participant = this.#remote(from);
      participant.setTrack(track.source, track);
      this.emit(CallEvent.TrackSubscribed, track, participant);
    });
    transport.on(TransportEvent.TrackRemoved, (from, source) => {
      const participant = this.#remotes.get(from);
      const track = participant?.tracks.get(source);
      if (!participant || !track) return;
      participant.setTrack(source, undefined);
      this.emit(CallEvent.TrackUnsubscribed, track, participant);
    });
    transport.on(TransportEvent.PeerStateChanged, (from, state) => {
      const participant = this.#remotes.get(from);
      if (participant) this.emit(CallEvent.ConnectionStateChanged, participant, state);
    });
    const tracks = [...local.tracks.values()];
    await transport.connect(tracks);
    for (const track of tracks) this.emit(CallEvent.LocalTrackPublished, track, local);
    this.client.send({ type: 'call-join', conversation: this.conversation, media: { ...this.#media } });
    for (const session of this.client.sessions(this.conversation)) this.#sessionChanged(session);
  }

  #listenToSignaling(): void {
    const mine = (conversation: string) => conversation === this.conversation;
    this.#unsubscribe.push(
      this.client.on(ClientEvent.SessionJoined, (c, session) => mine(c) && this.#sessionChanged(session)),
      this.client.on(ClientEvent.SessionUpdated, (c, session) => mine(c) && this.#sessionChanged(session)),
      this.client.on(ClientEvent.SessionLeft, (c, sessionId) => mine(c) && this.#removeRemote(sessionId)),
      this.client.on(ClientEvent.Signal, ({ conversation, from, payload }) => {
        if (mine(conversation)) this.#transport?.handleSignal(from, payload);
      }),
      this.client.on(ClientEvent.ConversationJoined, (c, _sessions, { rejoined }) => {
        if (mine(c) && rejoined && this.#state === CallState.Joined) void this.#restartAfterReconnect();
      }),
    );
  }

  /**
   * After a signaling reconnect this browser has a new session id, and everyone else saw the old one leave; the
   * media connections keyed to it are dead, so the transport starts over under the new id.
   */
  async #restartAfterReconnect(): Promise<void> {
    const generation = this.#generation;
    this.#transport?.close();
    this.#transport = null;
    for (const sessionId of [...this.#remotes.keys()]) this.#removeRemote(sessionId);
    try {
      const settings = await this.client.getCallSettings(this.conversation);
      if (generation === this.#generation) await this.#startTransport(settings);
    } catch (error) {
      this.emit(CallEvent.Error, asTalkError(error));
    }
  }

  #sessionChanged(session: SessionInfo): void {
    if (session.sessionId === this.#local?.sessionId) return;
    if (!session.inCall) {
      this.#removeRemote(session.sessionId);
      return;
    }
    const known = this.#remotes.get(session.sessionId);
    if (known) {
      if (known.update(session)) this.emit(CallEvent.ParticipantUpdated, known);
      return;
    }
    this.#remote(session.sessionId, session);
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
    this.#transport?.addPeer(sessionId);
    this.emit(CallEvent.ParticipantJoined, participant);
    return participant;
  }

  #removeRemote(sessionId: string): void {
    const participant = this.#remotes.get(sessionId);
    if (!participant) return;
    this.#transport?.removePeer(sessionId);
    for (const [source, track] of participant.tracks) {
      participant.setTrack(source, undefined);
      this.emit(CallEvent.TrackUnsubscribed, track, participant);
    }
    this.#remotes.delete(sessionId);
    this.emit(CallEvent.ParticipantLeft, participant);
  }

  async #setSourceEnabled(source: TrackSource, enabled: boolean): Promise<void> {
    this.#media = { ...this.#media, [mediaKey[source]]: enabled };
    const local = this.#local;
    const transport = this.#transport;
    if (local && transport && this.#state === CallState.Joined) {
      const track = local.tracks.get(source);
      if (track) {
        await transport.setTrackEnabled(track, enabled);
      } else if (enabled) {
        // Joined without this device: get it now and publish it, which renegotiates.
        const stream = await this.#getUserMedia({ [mediaKey[source]]: true });
        const added = stream?.getTracks()[0];
        if (added) {
          const callTrack = new CallTrack(added, source);
          local.setTrack(source, callTrack);
          await transport.publishTrack(callTrack);
          this.emit(CallEvent.LocalTrackPublished, callTrack, local);
        }
      }
      local.media = { ...this.#media };
      // Re-announcing the media is how others learn about the mute; the server answers with session-updated.
      this.#trySend({ type: 'call-join', conversation: this.conversation, media: { ...this.#media } });
    }
    this.emit(CallEvent.LocalMediaChanged, this.#media);
  }

  async #getUserMedia(constraints: { audio?: boolean; video?: boolean }): Promise<MediaStream | null> {
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
    this.#transport?.close();
    this.#transport = null;
    for (const sessionId of [...this.#remotes.keys()]) this.#removeRemote(sessionId);
    this.#local?.stopTracks();
    this.#local = null;
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

function describe(constraints: { audio?: boolean; video?: boolean }): string {
  return [constraints.video && 'camera', constraints.audio && 'microphone'].filter(Boolean).join(' and ');
}
