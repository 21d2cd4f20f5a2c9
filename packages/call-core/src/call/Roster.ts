import type { SessionInfo } from '@talk/protocol';
import { EngineEvent, type MediaEngine, type ParticipantDirectory } from './engine/MediaEngine.js';
import { type CallEmit, CallEvent } from './events.js';
import { RemoteParticipant } from './participant/RemoteParticipant.js';
import { ReactionReader } from './reactions.js';
import { type CallTrack, isScreenSource } from './track.js';

/** What a Roster needs from its call. */
export interface RosterOptions {
  /** The engine, which delivers tracks, and meets and drops peers as they come and go. */
  engine: Pick<MediaEngine, 'on' | 'addPeer' | 'removePeer' | 'participantUpdated'>;
  /** What signaling knows of a session, for a participant whose media came first. */
  lookup(sessionId: string): SessionInfo | undefined;
  /** Raises the call's events. */
  emit: CallEmit;
  /** Someone joined or left, after the events that say so. */
  membershipChanged?(): void;
}

/**
 * The call's remote participants by session id, as signaling announces them and media arrives: who joins, who
 * leaves, what each announced (a share that ended), which track is shown for each source, and their reactions.
 */
export class Roster implements ParticipantDirectory {
  readonly #options: RosterOptions;
  readonly #remotes = new Map<string, RemoteParticipant>();
  readonly #reactions = new ReactionReader();

  constructor(options: RosterOptions) {
    this.#options = options;
    const { engine, emit } = options;
    engine.on(EngineEvent.TrackReady, (participant, track) => this.show(participant, track));
    engine.on(EngineEvent.TrackEnded, (sessionId, track) => this.trackEnded(sessionId, track));
    engine.on(EngineEvent.PeerStateChanged, (sessionId, state) => {
      const participant = this.#remotes.get(sessionId);
      if (participant) emit(CallEvent.ConnectionStateChanged, participant, state);
    });
    engine.on(EngineEvent.DataReceived, (sessionId, data) => {
      // Anything this version does not know, or malformed, is ignored.
      const participant = this.#remotes.get(sessionId);
      const emoji = participant && this.#reactions.read(sessionId, data);
      if (participant && emoji) emit(CallEvent.ReactionReceived, participant, emoji);
    });
  }

  /** The remote participants, by session id. */
  get remotes(): ReadonlyMap<string, RemoteParticipant> {
    return this.#remotes;
  }

  /** Every remote participant now. */
  participants(): IterableIterator<RemoteParticipant> {
    return this.#remotes.values();
  }

  /** The remote participant of a session, created on first sight: from signaling, or from media that came first. */
  participant(sessionId: string, session?: SessionInfo): RemoteParticipant {
    const known = this.#remotes.get(sessionId);
    if (known) return known;
    const info = session ?? this.#options.lookup(sessionId);
    const participant = info
      ? RemoteParticipant.fromSession(info)
      : new RemoteParticipant(sessionId, '', '', { audio: true, video: true });
    this.#remotes.set(sessionId, participant);
    this.#options.engine.addPeer(sessionId);
    this.#options.emit(CallEvent.ParticipantJoined, participant);
    this.#options.membershipChanged?.();
    return participant;
  }

  /** Applies what signaling says about another session: joined or updated in the call, or out of it. */
  sessionChanged(session: SessionInfo): void {
    if (!session.inCall) {
      this.remove(session.sessionId);
      return;
    }
    const known = this.#remotes.get(session.sessionId);
    if (!known) {
      this.participant(session.sessionId, session);
      return;
    }
    if (known.update(session)) this.#options.emit(CallEvent.ParticipantUpdated, known);
    if (!session.media.screen) this.#dropScreenOf(known);
    this.#options.engine.participantUpdated(known.sessionId);
  }

  /** Shows `track` for its source, replacing what was there: the new track is announced before the old one goes. */
  show(participant: RemoteParticipant, track: CallTrack): void {
    // A participant who left (or was replaced after a reconnect) while its track was on its way shows nothing.
    if (this.#remotes.get(participant.sessionId) !== participant) return;
    const previous = participant.tracks.get(track.source);
    if (previous === track) return;
    participant.setTrack(track.source, track);
    this.#options.emit(CallEvent.TrackSubscribed, track, participant);
    if (previous) this.#options.emit(CallEvent.TrackUnsubscribed, previous, participant);
  }

  /** A track went away; it is dropped if it is the one shown for its source. */
  trackEnded(sessionId: string, track: CallTrack): void {
    const participant = this.#remotes.get(sessionId);
    if (!participant || participant.tracks.get(track.source) !== track) return;
    participant.setTrack(track.source, undefined);
    this.#options.emit(CallEvent.TrackUnsubscribed, track, participant);
  }

  /** A session left the call: its tracks go, then the participant. */
  remove(sessionId: string): void {
    const participant = this.#remotes.get(sessionId);
    if (!participant) return;
    this.#options.engine.removePeer(sessionId);
    for (const [source, track] of participant.tracks) {
      participant.setTrack(source, undefined);
      this.#options.emit(CallEvent.TrackUnsubscribed, track, participant);
    }
    this.#remotes.delete(sessionId);
    this.#reactions.forget(sessionId);
    this.#options.emit(CallEvent.ParticipantLeft, participant);
    this.#options.membershipChanged?.();
  }

  /** Removes everybody, e.g. when the call ends or starts over after a reconnect. */
  clear(): void {
    for (const sessionId of [...this.#remotes.keys()]) this.remove(sessionId);
  }

  /** A participant announced the end of its share; its screen tracks go even if a transport is slow to say so. */
  #dropScreenOf(participant: RemoteParticipant): void {
    for (const track of [...participant.tracks.values()]) {
      if (!isScreenSource(track.source)) continue;
      participant.setTrack(track.source, undefined);
      this.#options.emit(CallEvent.TrackUnsubscribed, track, participant);
    }
  }
}
