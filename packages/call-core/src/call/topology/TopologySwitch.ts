import type { RemoteParticipant } from '../participant/RemoteParticipant.js';
import { type CallTrack, TrackKind, TrackSource } from '../track.js';
import type { CallTransport, Topology } from '../transport/CallTransport.js';
import { SwitchPhase } from './SwitchMark.js';

/** Timings of a switch; the defaults suit real networks, tests may shorten them. */
export interface SwitchTimings {
  /** How long one new track may take to deliver media before it is swapped in anyway. */
  trackReadyTimeoutMs: number;
  /** How long the whole switch may take before the old transport is closed anyway. */
  switchTimeoutMs: number;
  /** How often a new track's statistics are read while waiting for its first frame or packet. */
  pollMs: number;
}

/** Defaults of SwitchTimings. */
export const DEFAULT_SWITCH_TIMINGS: SwitchTimings = {
  trackReadyTimeoutMs: 8_000,
  switchTimeoutMs: 20_000,
  pollMs: 50,
};

/** What a switch needs from its call. */
export interface SwitchHost {
  /** Shows `track` for its participant in place of the one before (if any). */
  swap(participant: RemoteParticipant, track: CallTrack): void;
  /** Tells a session that this browser now receives all of its media over the new topology. */
  sendSwitched(sessionId: string, topology: Topology): void;
  /** The old transport may close: every participant gets here over the new one, or the switch timed out. */
  finished(): void;
  /** A step of the switch happened now, for its timing. */
  mark(phase: SwitchPhase, sessionId?: string, source?: TrackSource): void;
}

/** Where the switch is for one remote participant who was in the call when it began. */
interface PeerProgress {
  participant: RemoteParticipant;
  /** Sources whose new track has been swapped in. */
  swapped: Set<TrackSource>;
  /** This browser told the participant it receives everything over the new path. */
  localDone: boolean;
  /** The participant told this browser the same. */
  remoteDone: boolean;
  /** The old path to the participant was closed. */
  closed: boolean;
}

const announcedSources = (participant: RemoteParticipant): TrackSource[] => [
  ...(participant.media.audio ? [TrackSource.Microphone] : []),
  ...(participant.media.video ? [TrackSource.Camera] : []),
  ...(participant.media.screen ? [TrackSource.ScreenShare] : []),
];

/**
 * Moves a running call from one transport to another, make-before-break: the new transport connects beside the
 * old one; each remote track it delivers is swapped in once it decodes its first frame (or gets its first audio
 * packet), so participants keep their identity and only their tracks change; the old path to a participant closes
 * only when both ends receive each other over the new one, which they tell each other with a `switched` signal.
 */
export class TopologySwitch {
  /** The transport media flows on until the switch is over. */
  readonly from: CallTransport;
  /** The transport the call moves to. */
  readonly to: CallTransport;
  readonly #host: SwitchHost;
  readonly #timings: SwitchTimings;
  readonly #peers = new Map<string, PeerProgress>();
  readonly #pending = new Map<CallTrack, RemoteParticipant>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #over = false;

  constructor(
    from: CallTransport,
    to: CallTransport,
    participants: Iterable<RemoteParticipant>,
    host: SwitchHost,
    timings: SwitchTimings = DEFAULT_SWITCH_TIMINGS,
  ) {
    this.from = from;
    this.to = to;
    this.#host = host;
    this.#timings = timings;
    for (const participant of participants) {
      this.#peers.set(participant.sessionId, {
        participant,
        swapped: new Set(),
        localDone: false,
        remoteDone: false,
        closed: false,
      });
    }
    this.#timer = setTimeout(() => this.finish(), timings.switchTimeoutMs);
  }

  /** Whether the switch has ended, by completion, timeout or `finish`. */
  get over(): boolean {
    return this.#over;
  }

  /** Checks participants who have nothing to wait for, e.g. joined without media. */
  start(): void {
    for (const progress of this.#peers.values()) this.#check(progress);
    this.#checkFinished();
  }

  /** The new transport delivered a track. */
  trackAdded(participant: RemoteParticipant, track: CallTrack): void {
    if (this.#over) return;
    // Nothing shown yet for this source (a participant who joined mid-switch): nothing to bridge, show it now.
    if (!participant.tracks.has(track.source)) {
      this.#swapIn(participant, track);
      return;
    }
    this.#pending.set(track, participant);
    void this.#whenReceiving(participant, track).then(() => {
      if (!this.#pending.delete(track) || this.#over) return;
      this.#host.mark(SwitchPhase.FirstFrame, participant.sessionId, track.source);
      this.#swapIn(participant, track);
    });
  }

  /** The new transport lost a track before or after it was swapped in. */
  trackRemoved(track: CallTrack): void {
    this.#pending.delete(track);
  }

  /** A participant says it receives this browser over `topology`. */
  remoteSwitched(sessionId: string, topology: Topology): void {
    const progress = this.#peers.get(sessionId);
    if (!progress || topology !== this.to.topology || this.#over) return;
    progress.remoteDone = true;
    this.#host.mark(SwitchPhase.SwitchedReceived, sessionId);
    this.#check(progress);
    this.#checkFinished();
  }

  /** A participant left the call; there is nothing more to wait for from them. */
  participantLeft(sessionId: string): void {
    this.#peers.delete(sessionId);
    this.#checkFinished();
  }

  /** A participant's announced media changed: a source switched off is no longer waited for. */
  participantUpdated(sessionId: string): void {
    const progress = this.#peers.get(sessionId);
    if (!progress) return;
    this.#check(progress);
    this.#checkFinished();
  }

  /** Ends the switch now: tracks still pending are swapped in as they are, and the old transport may close. */
  finish(): void {
    if (this.#over) return;
    this.#over = true;
    clearTimeout(this.#timer);
    for (const [track, participant] of this.#pending) this.#host.swap(participant, track);
    this.#pending.clear();
    this.#host.finished();
  }

  /** Abandons the switch without finishing it (the call ends or restarts). */
  cancel(): void {
    this.#over = true;
    clearTimeout(this.#timer);
    this.#pending.clear();
  }

  #swapIn(participant: RemoteParticipant, track: CallTrack): void {
    this.#host.swap(participant, track);
    this.#host.mark(SwitchPhase.Swapped, participant.sessionId, track.source);
    const progress = this.#peers.get(participant.sessionId);
    if (!progress) return;
    progress.swapped.add(track.source);
    this.#check(progress);
    this.#checkFinished();
  }

  /** Tells the participant once everything it sends arrives the new way; closes the old path once both agree. */
  #check(progress: PeerProgress): void {
    const { participant } = progress;
    const waiting = new Set([...participant.tracks.keys(), ...announcedSources(participant)]);
    for (const source of progress.swapped) waiting.delete(source);
    // Screen-share audio only comes where the browser offers it, so it is never waited for.
    waiting.delete(TrackSource.ScreenShareAudio);
    if (!progress.localDone && waiting.size === 0) {
      progress.localDone = true;
      this.#host.sendSwitched(participant.sessionId, this.to.topology);
      this.#host.mark(SwitchPhase.SwitchedSent, participant.sessionId);
    }
    if (progress.localDone && progress.remoteDone && !progress.closed) {
      progress.closed = true;
      this.from.removePeer(participant.sessionId);
      this.#host.mark(SwitchPhase.PeerClosed, participant.sessionId);
    }
  }

  #checkFinished(): void {
    if (this.#over) return;
    if ([...this.#peers.values()].every((progress) => progress.closed)) this.finish();
  }

  /** Resolves once the track delivers media (or its sender has it switched off), or after the timeout. */
  async #whenReceiving(participant: RemoteParticipant, track: CallTrack): Promise<void> {
    const deadline = Date.now() + this.#timings.trackReadyTimeoutMs;
    /** Frames decoded (audio: packets received) at the first look. */
    let first: number | undefined;
    while (Date.now() < deadline && this.#pending.has(track) && !this.#over) {
      if (!isAnnounced(participant, track.source)) return;
      // A remote track is muted until its first packet: reading statistics before then only loads a page that
      // has a switch to get through, so the wait is for `unmute` (checked again now and then all the same).
      if (track.mediaStreamTrack.muted) {
        await unmuted(track.mediaStreamTrack, MUTED_RECHECK_POLLS * this.#timings.pollMs);
        continue;
      }
      const count = await received(track);
      if (count === undefined) return; // a transport without per-track statistics: nothing to wait for
      // Media flows once the count grows. Any count above zero would not do: a track subscribed ahead of the
      // switch may have decoded a few frames before it was paused, and swapped in then it would show none.
      if (first !== undefined && count > first) return;
      first ??= count;
      await new Promise((resolve) => setTimeout(resolve, this.#timings.pollMs));
    }
  }
}

/** While a new track is muted, how many poll intervals pass between looks in case no `unmute` comes. */
const MUTED_RECHECK_POLLS = 5;

/** Resolves when the track unmutes, or after `ms`. */
function unmuted(track: MediaStreamTrack, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      track.removeEventListener('unmute', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    track.addEventListener('unmute', done);
  });
}

function isAnnounced(participant: RemoteParticipant, source: TrackSource): boolean {
  if (source === TrackSource.ScreenShareAudio) return participant.media.screen === true;
  return announcedSources(participant).includes(source);
}

// The subset of an inbound-rtp entry read here.
interface InboundRtp {
  type: string;
  framesDecoded?: number;
  packetsReceived?: number;
}

/** Frames decoded (video) or packets received (audio) so far, or undefined without per-track statistics. */
async function received(track: CallTrack): Promise<number | undefined> {
  const report = await track.getStats().catch(() => undefined);
  if (!report) return undefined;
  let count = 0;
  report.forEach((stats: InboundRtp) => {
    if (stats.type !== 'inbound-rtp') return;
    count += track.kind === TrackKind.Video ? (stats.framesDecoded ?? 0) : (stats.packetsReceived ?? 0);
  });
  return count;
}
