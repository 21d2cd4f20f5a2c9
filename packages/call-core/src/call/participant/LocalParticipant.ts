import { Participant } from './Participant.js';

/** The participant of this browser. */
export class LocalParticipant extends Participant {
  override readonly isLocal = true;

  /** Whether the camera sends. */
  get isCameraEnabled(): boolean {
    return this.media.video;
  }

  /** Whether the microphone sends. */
  get isMicrophoneEnabled(): boolean {
    return this.media.audio;
  }

  /** @internal Stops every local track, so the camera light goes off when the call ends. */
  stopTracks(): void {
    for (const track of this.trackMap.values()) track.mediaStreamTrack.stop();
    this.trackMap.clear();
  }
}
