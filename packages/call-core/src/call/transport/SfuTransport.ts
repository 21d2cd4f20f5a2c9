import type { CallSettings, SignalPayload } from '@talk/protocol';
import type {
  LocalTrackPublication,
  RemoteParticipant,
  RemoteTrack,
  RemoteTrackPublication,
  Room,
  RoomOptions,
} from 'livekit-client';
import { TypedEmitter } from '../../emitter.js';
import { TalkError, TalkErrorCode } from '../../errors.js';
import { readInbound, readOutbound } from '../../stats/CallStats.js';
import { CallTrack, TrackSource } from '../track.js';
import {
  type CallTransport,
  type TransportContext,
  TransportEvent,
  type TransportEventCallbacks,
  type TransportStats,
} from './CallTransport.js';

type LiveKit = typeof import('livekit-client');

/**
 * The Room's options: simulcast, adaptive stream and dynacast, with the top video layer capped at the same
 * per-stream bitrate as a mesh stream, so a participant's uplink changes little when the call switches.
 */
export function sfuRoomOptions(settings: Pick<CallSettings, 'maxVideoBitrate'>): RoomOptions {
  return {
    adaptiveStream: true,
    dynacast: true,
    publishDefaults: { simulcast: true, videoEncoding: { maxBitrate: settings.maxVideoBitrate } },
  };
}

/** The LiveKit data topic of call-core's messages, so other data in the room is left alone. */
const DATA_TOPIC = 'talk';

/**
 * Media through a LiveKit SFU. livekit-client is loaded on first use, so pages that only chat or only run mesh
 * calls never download it. The LiveKit identity is the signaling session id, so participants keep their ids.
 */
export class SfuTransport extends TypedEmitter<TransportEventCallbacks> implements CallTransport {
  readonly topology = 'sfu' as const;
  readonly #context: TransportContext;
  #livekit: LiveKit | null = null;
  #room: Room | null = null;
  readonly #published = new Map<CallTrack, LocalTrackPublication>();
  /** Remote tracks as reported, so that removal hands back the same CallTrack. */
  readonly #remoteTracks = new WeakMap<RemoteTrack, CallTrack>();
  /**
   * Connected ahead of a switch: the sessions to receive, as `addPeer` names them; null for a transport in use
   * from the start, which receives everyone.
   */
  readonly #receiving: Set<string> | null;
  /** Ahead of a switch, per session not received yet: its tracks, subscribed but paused at the SFU. */
  readonly #held = new Map<string, Map<RemoteTrack, RemoteTrackPublication>>();
  #closed = false;

  constructor(context: TransportContext) {
    super();
    this.#context = context;
    this.#receiving = context.ahead ? new Set() : null;
  }

  async connect(tracks: readonly CallTrack[]): Promise<void> {
    const { client, conversation, sessionId } = this.#context;
    const [livekit, grant] = await Promise.all([import('livekit-client'), client.getSfuToken(conversation, sessionId)]);
    if (this.#closed) throw new TalkError(TalkErrorCode.Aborted, 'The call was left while connecting to the SFU');
    this.#livekit = livekit;
    const { Room, RoomEvent } = livekit;
    const room = new Room(sfuRoomOptions(this.#context.settings));
    this.#room = room;
    room.on(RoomEvent.TrackSubscribed, (track, publication, participant) =>
      this.#trackAdded(track, publication, participant),
    );
    room.on(RoomEvent.TrackUnsubscribed, (track, publication, participant) =>
      this.#trackRemoved(track, publication, participant),
    );
    room.on(RoomEvent.TrackPublished, (publication, participant) => {
      // Re-subscribes a session that addPeer named again after a removePeer.
      if (this.#receiving?.has(participant.identity)) publication.setSubscribed(true);
    });
    room.on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
      if (topic === DATA_TOPIC && participant) {
        this.emit(TransportEvent.DataReceived, participant.identity, new TextDecoder().decode(payload));
      }
    });
    try {
      await room.connect(grant.url, grant.token);
    } catch (cause) {
      throw new TalkError(TalkErrorCode.Transport, `Could not connect to the SFU at ${grant.url}`, { cause });
    }
    this.emit(TransportEvent.Connected);
    // Tracks of participants who were there first arrive through TrackSubscribed once subscribed.
    // Together, so that LiveKit negotiates them in one round rather than one after the other.
    await Promise.all(tracks.map((track) => this.publishTrack(track)));
  }

  async publishTrack(track: CallTrack): Promise<void> {
    const room = this.#room;
    const livekit = this.#livekit;
    if (!room || !livekit) throw new TalkError(TalkErrorCode.InvalidState, 'Not connected to the SFU');
    const Source = livekit.Track.Source;
    const source = {
      [TrackSource.Camera]: Source.Camera,
      [TrackSource.Microphone]: Source.Microphone,
      [TrackSource.ScreenShare]: Source.ScreenShare,
      [TrackSource.ScreenShareAudio]: Source.ScreenShareAudio,
    }[track.source];
    const publication = await room.localParticipant.publishTrack(track.mediaStreamTrack, { source });
    this.#published.set(track, publication);
    // A track muted in mesh (disabled) must arrive muted: LiveKit tells subscribers and stops forwarding it.
    if (!track.mediaStreamTrack.enabled) await publication.mute();
  }

  async unpublishTrack(track: CallTrack): Promise<void> {
    const publication = this.#published.get(track);
    this.#published.delete(track);
    // The call owns the track and stops it; LiveKit must not.
    if (publication?.track) await this.#room?.localParticipant.unpublishTrack(publication.track, false);
  }

  async replaceTrack(previous: CallTrack, next: CallTrack): Promise<void> {
    const publication = this.#published.get(previous);
    if (!publication?.track) return;
    this.#published.delete(previous);
    this.#published.set(next, publication);
    await publication.track.replaceTrack(next.mediaStreamTrack, { userProvidedTrack: true, stopProcessor: false });
  }

  async setTrackEnabled(track: CallTrack, enabled: boolean): Promise<void> {
    const publication = this.#published.get(track);
    // Muting through LiveKit tells the SFU, which stops forwarding and lets subscribers show the mute.
    if (publication) await (enabled ? publication.unmute() : publication.mute());
    else track.mediaStreamTrack.enabled = enabled;
  }

  addPeer(sessionId: string): void {
    this.#receiving?.add(sessionId);
    const held = this.#held.get(sessionId);
    this.#held.delete(sessionId);
    for (const [track, publication] of held ?? []) {
      publication.setEnabled(true);
      const participant = this.#room?.remoteParticipants.get(sessionId);
      if (participant) this.#trackAdded(track, publication, participant);
    }
    // LiveKit subscribes by itself (unless connected ahead of a switch); this undoes a removePeer. A session's SFU media can come before its call-join,
    // so the others may take it out on a view of signaling that predates the join and meet it again right after:
    // without subscribing again, they would never receive it.
    for (const publication of this.#room?.remoteParticipants.get(sessionId)?.trackPublications.values() ?? []) {
      if (!publication.isSubscribed) publication.setSubscribed(true);
    }
  }

  removePeer(sessionId: string): void {
    this.#receiving?.delete(sessionId);
    this.#held.delete(sessionId);
    // Its media comes another way now (or it left): stop receiving it here; what this browser sends stays.
    for (const publication of this.#room?.remoteParticipants.get(sessionId)?.trackPublications.values() ?? []) {
      publication.setSubscribed(false);
    }
  }

  handleSignal(_from: string, _payload: SignalPayload): void {
    // SFU negotiation runs over LiveKit's own signaling.
  }

  sendData(data: string): void {
    const payload = new TextEncoder().encode(data);
    this.#room?.localParticipant.publishData(payload, { reliable: true, topic: DATA_TOPIC }).catch((error) => {
      console.warn('SFU data message', error);
    });
  }

  audioLevels(): ReadonlyMap<string, number> {
    // LiveKit's own speaker detection (ActiveSpeakersChanged) keeps each participant's level; silent ones read 0.
    const levels = new Map<string, number>();
    for (const participant of this.#room?.remoteParticipants.values() ?? []) {
      levels.set(participant.identity, participant.isSpeaking ? participant.audioLevel : 0);
    }
    return levels;
  }

  async getStats(): Promise<TransportStats> {
    const room = this.#room;
    if (!room) return { local: [], remote: new Map() };
    const local = await Promise.all([...this.#published.values()].map((p) => p.track?.getRTCStatsReport()));
    const remote = new Map<string, ReturnType<typeof readInbound>>();
    for (const participant of room.remoteParticipants.values()) {
      const reports = await Promise.all(
        [...participant.trackPublications.values()].map((p) => p.track?.getRTCStatsReport()),
      );
      remote.set(participant.identity, reports.flatMap(readInbound));
    }
    return { local: readOutbound(local), remote };
  }

  close(): void {
    this.#closed = true;
    // Local tracks belong to the call, which stops them; LiveKit must not stop them on unpublish.
    void this.#room?.disconnect(false);
    this.#room = null;
    this.#published.clear();
    this.removeAllListeners();
  }

  #trackAdded(track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant): void {
    const source = this.#source(track);
    if (!source) return;
    if (this.#receiving && !this.#receiving.has(participant.identity)) {
      // Ahead of a switch: subscribed now, so the switch has no negotiation to wait for, but paused at the SFU,
      // which forwards nothing (and has dynacast pause video layers nobody receives) until addPeer.
      publication.setEnabled(false);
      const held = this.#held.get(participant.identity) ?? new Map<RemoteTrack, RemoteTrackPublication>();
      held.set(track, publication);
      this.#held.set(participant.identity, held);
      return;
    }
    // Adaptive stream pauses video that no element shows; a switch waits for frames before any element shows it.
    if (this.#context.switching && track.kind === 'video') publication.setEnabled(true);
    const callTrack = new CallTrack(track.mediaStreamTrack, source, {
      // livekit's attach lets adaptiveStream see the element's size and visibility; srcObject would hide it.
      attach: (element) => void track.attach(element),
      detach: (element) => void track.detach(element),
      getStats: () => track.getRTCStatsReport(),
    });
    this.#remoteTracks.set(track, callTrack);
    this.emit(TransportEvent.TrackAdded, participant.identity, callTrack);
  }

  #trackRemoved(track: RemoteTrack, _publication: RemoteTrackPublication, participant: RemoteParticipant): void {
    this.#held.get(participant.identity)?.delete(track);
    const callTrack = this.#remoteTracks.get(track);
    this.#remoteTracks.delete(track);
    if (callTrack) this.emit(TransportEvent.TrackRemoved, participant.identity, callTrack);
  }

  #source(track: RemoteTrack): TrackSource | undefined {
    const Source = this.#livekit?.Track.Source;
    if (track.source === Source?.Camera) return TrackSource.Camera;
    if (track.source === Source?.Microphone) return TrackSource.Microphone;
    if (track.source === Source?.ScreenShare) return TrackSource.ScreenShare;
    if (track.source === Source?.ScreenShareAudio) return TrackSource.ScreenShareAudio;
    return undefined;
  }
}
