import type { SessionInfo } from '@talk/protocol';
import { ConnectionQuality } from '../../stats/StatsSampler.js';
import { Participant } from './Participant.js';

/** Another session in the call. */
export class RemoteParticipant extends Participant {
  override readonly isLocal = false;
  /** How well this participant's media arrives, judged every stats interval. */
  connectionQuality = ConnectionQuality.Unknown;
  /** Whether the connection crossed Nextcloud Talk's "connection problem" thresholds over the last seconds. */
  connectionProblem = false;

  /** @internal Creates a participant from what signaling says about a session. */
  static fromSession(session: SessionInfo): RemoteParticipant {
    const participant = new RemoteParticipant(
      session.sessionId,
      session.participant.userId,
      session.participant.displayName,
      session.media,
    );
    participant.handRaised = session.handRaised === true;
    return participant;
  }

  /** @internal Applies a session-updated; true when anything shown changed. */
  update(session: SessionInfo): boolean {
    const changed =
      this.displayName !== session.participant.displayName ||
      this.media.audio !== session.media.audio ||
      this.media.video !== session.media.video ||
      (this.media.screen ?? false) !== (session.media.screen ?? false) ||
      this.handRaised !== (session.handRaised === true);
    this.displayName = session.participant.displayName;
    this.media = session.media;
    this.handRaised = session.handRaised === true;
    return changed;
  }
}
