import type { CallMedia, ServerMessageOf, Topology } from '@talk/protocol';
import type { TalkError } from '../errors.js';
import type { ConnectionQuality, StatsSample } from '../stats/StatsSampler.js';
import type { DeviceChangeReason, DeviceKind } from './devices.js';
import type { CallEndReason } from './membership/MembershipWatcher.js';
import type { LocalParticipant } from './participant/LocalParticipant.js';
import type { Participant } from './participant/Participant.js';
import type { RemoteParticipant } from './participant/RemoteParticipant.js';
import type { SwitchMark } from './topology/SwitchMark.js';
import type { CallTrack } from './track.js';

/** Why the server chose the call's topology: see `call-topology` in the protocol doc. */
export type TopologyReason = ServerMessageOf<'call-topology'>['reason'];

/** Where a call is. */
export enum CallState {
  /** Not in the call: before joining or after leaving. */
  Idle = 'idle',
  /** Getting media, settings and transport ready. */
  Joining = 'joining',
  /** In the call. */
  Joined = 'joined',
}

/** Events of a Call. */
export enum CallEvent {
  /** The call's state changed. */
  StateChanged = 'stateChanged',
  /** A remote participant joined the call (or was already there when this browser joined). */
  ParticipantJoined = 'participantJoined',
  /** A remote participant left the call. */
  ParticipantLeft = 'participantLeft',
  /** A participant's announced media or name changed. */
  ParticipantUpdated = 'participantUpdated',
  /** A remote track can be played. */
  TrackSubscribed = 'trackSubscribed',
  /** A remote track went away. */
  TrackUnsubscribed = 'trackUnsubscribed',
  /** A local track started sending. */
  LocalTrackPublished = 'localTrackPublished',
  /** The camera or microphone was switched on or off. */
  LocalMediaChanged = 'localMediaChanged',
  /** A local track stopped sending (a screen share ended). */
  LocalTrackUnpublished = 'localTrackUnpublished',
  /** A remote participant's media connection changed state. */
  ConnectionStateChanged = 'connectionStateChanged',
  /** The server moved the call to another topology; media still flows the old way until `TopologyChanged`. */
  TopologySwitchStarted = 'topologySwitchStarted',
  /** Media now flows over another topology, or the server gave a new reason for the current one (`no-sfu`). */
  TopologyChanged = 'topologyChanged',
  /** A step of a running topology switch, with when it happened: for hosts that time switches. */
  TopologySwitchProgress = 'topologySwitchProgress',
  /**
   * The SFU the server asked for could not be reached: the call stays on (or went back to) the mesh instead of
   * failing, and tries the SFU again at the server's next topology decision. A badge can say so.
   */
  SfuUnreachable = 'sfuUnreachable',
  /** Statistics of the last interval (every second by default): bitrates, frames, freezes, RTT, loss, topology. */
  StatsUpdated = 'statsUpdated',
  /** A remote participant's connection quality changed. */
  ConnectionQualityChanged = 'connectionQualityChanged',
  /** A remote participant's connection crossed (or came back under) Nextcloud Talk's problem thresholds. */
  ConnectionProblemChanged = 'connectionProblemChanged',
  /**
   * The camera or microphone now captures from another device, chosen by `setDevice` or because the one in use
   * went away; the new track is sent in place of the old one (`LocalTrackPublished` announces it).
   */
  DeviceChanged = 'deviceChanged',
  /**
   * Another remote participant (or nobody) is the one speaking, from audio levels: the receivers' in mesh,
   * LiveKit's speaker detection on the SFU, and in both the received audio's energy over each stats interval. Hysteresis keeps it from flapping; in silence the last speaker stays.
   */
  ActiveSpeakerChanged = 'activeSpeakerChanged',
  /** A participant reacted with an emoji; this browser's own reactions come too, with the local participant. */
  ReactionReceived = 'reactionReceived',
  /**
   * The server took this browser out of the call (removed, banned, the conversation deleted, the lobby closed,
   * the call permission revoked); camera, microphone and screen share are released before it fires.
   */
  Ended = 'ended',
  /** Something failed outside any awaited call, e.g. re-joining after a reconnect. */
  Error = 'error',
}

/** Listener signatures of CallEvent. */
export type CallEventCallbacks = {
  [CallEvent.StateChanged]: (state: CallState) => void;
  [CallEvent.ParticipantJoined]: (participant: RemoteParticipant) => void;
  [CallEvent.ParticipantLeft]: (participant: RemoteParticipant) => void;
  [CallEvent.ParticipantUpdated]: (participant: Participant) => void;
  [CallEvent.TrackSubscribed]: (track: CallTrack, participant: RemoteParticipant) => void;
  [CallEvent.TrackUnsubscribed]: (track: CallTrack, participant: RemoteParticipant) => void;
  [CallEvent.LocalTrackPublished]: (track: CallTrack, participant: LocalParticipant) => void;
  [CallEvent.LocalMediaChanged]: (media: CallMedia) => void;
  [CallEvent.LocalTrackUnpublished]: (track: CallTrack, participant: LocalParticipant) => void;
  [CallEvent.ConnectionStateChanged]: (participant: RemoteParticipant, state: RTCPeerConnectionState) => void;
  [CallEvent.TopologySwitchStarted]: (from: Topology, to: Topology) => void;
  [CallEvent.TopologyChanged]: (topology: Topology, reason: TopologyReason) => void;
  [CallEvent.TopologySwitchProgress]: (mark: SwitchMark) => void;
  [CallEvent.SfuUnreachable]: (error: TalkError) => void;
  [CallEvent.StatsUpdated]: (sample: StatsSample) => void;
  [CallEvent.ConnectionQualityChanged]: (participant: RemoteParticipant, quality: ConnectionQuality) => void;
  [CallEvent.ConnectionProblemChanged]: (participant: RemoteParticipant, problem: boolean) => void;
  [CallEvent.DeviceChanged]: (kind: DeviceKind, deviceId: string, reason: DeviceChangeReason) => void;
  [CallEvent.ActiveSpeakerChanged]: (participant: RemoteParticipant | null) => void;
  [CallEvent.ReactionReceived]: (participant: Participant, emoji: string) => void;
  [CallEvent.Ended]: (reason: CallEndReason) => void;
  [CallEvent.Error]: (error: TalkError) => void;
};

/** How a call's parts raise its events: the call's own `emit`, handed down. */
export type CallEmit = <E extends CallEvent>(event: E, ...args: Parameters<CallEventCallbacks[E]>) => void;
