import type { CallMedia } from '@talk/protocol';
import { type CallTrack, TrackSource } from '../track.js';

/** A member of a call; its id is the signaling session id in mesh and SFU alike. */
export abstract class Participant {
  /** The signaling session id, which is also the LiveKit identity; the local one changes after a reconnect. */
  sessionId: string;
  /** The user behind the session. */
  userId: string;
  /** The name to show. */
  displayName: string;
  /** The media the participant announced when joining or toggling. */
  media: CallMedia;
  /** Whether the participant has raised a hand. */
  handRaised = false;
  /** True for the participant of this browser. */
  abstract readonly isLocal: boolean;
  protected readonly trackMap = new Map<TrackSource, CallTrack>();

  constructor(sessionId: string, userId: string, displayName: string, media: CallMedia) {
    this.sessionId = sessionId;
    this.userId = userId;
    this.displayName = displayName;
    this.media = media;
  }

  /** Tracks by source. */
  get tracks(): ReadonlyMap<TrackSource, CallTrack> {
    return this.trackMap;
  }

  /** The camera track, if any. */
  get videoTrack(): CallTrack | undefined {
    return this.trackMap.get(TrackSource.Camera);
  }

  /** The microphone track, if any. */
  get audioTrack(): CallTrack | undefined {
    return this.trackMap.get(TrackSource.Microphone);
  }

  /** The shared screen's video, if any. */
  get screenTrack(): CallTrack | undefined {
    return this.trackMap.get(TrackSource.ScreenShare);
  }

  /** The shared screen's sound, if the browser gave any. */
  get screenAudioTrack(): CallTrack | undefined {
    return this.trackMap.get(TrackSource.ScreenShareAudio);
  }

  /** @internal Called by Call as transports add and remove tracks. */
  setTrack(source: TrackSource, track: CallTrack | undefined): void {
    if (track) this.trackMap.set(source, track);
    else this.trackMap.delete(source);
  }
}
