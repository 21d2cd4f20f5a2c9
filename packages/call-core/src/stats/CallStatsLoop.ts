import { type ActiveSpeakerOptions, ActiveSpeakerSelector } from '../call/ActiveSpeaker.js';
import { type CallEmit, CallEvent } from '../call/events.js';
import type { RemoteParticipant } from '../call/participant/RemoteParticipant.js';
import { asTalkError } from '../errors.js';
import type { CallStats } from './CallStats.js';
import { ConnectionProblemDetector } from './ConnectionProblem.js';
import { computeSample, type ParticipantRates, type StatsSample } from './StatsSampler.js';

/** How often audio levels are read for active speaker detection. */
const SPEAKER_POLL_MS = 250;

/** What a CallStatsLoop reads and whom it tells. */
export interface CallStatsLoopOptions {
  /** Reads the call's statistics over every transport in use. */
  getStats(): Promise<CallStats>;
  /** How loud each remote session arrives now (0–1). */
  audioLevels(): ReadonlyMap<string, number>;
  /** The remote participants, by session id. */
  participants: ReadonlyMap<string, RemoteParticipant>;
  /** Raises the call's events. */
  emit: CallEmit;
  /** How often `StatsUpdated` fires, in milliseconds; 1000 by default, 0 for never. */
  intervalMs?: number;
  /** Tuning of active speaker detection. */
  activeSpeaker?: Partial<ActiveSpeakerOptions>;
}

/**
 * The timers of a joined call: statistics every interval (rates, connection quality per participant), and audio
 * levels a few times a second for active speaker detection, which also reads each interval's mean level.
 */
export class CallStatsLoop {
  readonly #options: CallStatsLoopOptions;
  readonly #speakers: ActiveSpeakerSelector;
  #statsTimer: ReturnType<typeof setTimeout> | undefined;
  #speakerTimer: ReturnType<typeof setInterval> | undefined;
  /** Each remote participant's mean audio level over the last stats interval. */
  #intervalLevels = new Map<string, number>();
  #lastStats: CallStats | undefined;
  /** One problem detector per remote session. */
  readonly #problems = new Map<string, ConnectionProblemDetector>();
  #lastSample: StatsSample | null = null;

  constructor(options: CallStatsLoopOptions) {
    this.#options = options;
    this.#speakers = new ActiveSpeakerSelector(options.activeSpeaker);
  }

  /** The last per-interval statistics, or null before the first interval. */
  get lastSample(): StatsSample | null {
    return this.#lastSample;
  }

  /** The remote participant speaking (or who spoke last), or null before anyone spoke. */
  get activeSpeaker(): RemoteParticipant | null {
    return this.#options.participants.get(this.#speakers.current ?? '') ?? null;
  }

  /** Runs both timers until `stop`, or until `signal` aborts (a stats read then in flight is discarded). */
  start(signal: AbortSignal): void {
    this.#scheduleStats(signal);
    this.#speakerTimer = setInterval(() => this.#detectSpeaker(), SPEAKER_POLL_MS);
  }

  /** Stops both timers and forgets what they measured. */
  stop(): void {
    clearTimeout(this.#statsTimer);
    clearInterval(this.#speakerTimer);
    this.#speakers.reset();
    this.#intervalLevels.clear();
    this.#problems.clear();
    this.#lastStats = undefined;
    this.#lastSample = null;
  }

  /** Feeds the remote microphones' levels to the selector; a leader that held on long enough becomes the speaker. */
  #detectSpeaker(): void {
    const { participants } = this.#options;
    const levels = new Map<string, number>();
    for (const [sessionId, level] of this.#options.audioLevels()) {
      if (participants.has(sessionId)) levels.set(sessionId, level);
    }
    // The live level misses short sounds between readings, and LiveKit's detection reports seldom; the mean over
    // the last stats interval catches them. Participants without any level yet are silent, not absent.
    for (const sessionId of participants.keys()) {
      levels.set(sessionId, Math.max(levels.get(sessionId) ?? 0, this.#intervalLevels.get(sessionId) ?? 0));
    }
    const before = this.#speakers.current;
    const after = this.#speakers.update(levels, performance.now());
    if (after !== before) this.#options.emit(CallEvent.ActiveSpeakerChanged, this.activeSpeaker);
  }

  /** Feeds one interval to the participant's detector and announces a change of its verdict. */
  #judgeProblem(participant: RemoteParticipant, sample: StatsSample, rates: ParticipantRates): void {
    let detector = this.#problems.get(participant.sessionId);
    if (!detector) {
      detector = new ConnectionProblemDetector();
      this.#problems.set(participant.sessionId, detector);
    }
    const { media } = participant;
    const problem = detector.update({
      timestamp: sample.timestamp,
      intervalMs: sample.intervalMs,
      packetsReceived: rates.packetsReceived,
      packetsLost: rates.packetsLost,
      roundTripTime: rates.roundTripTime,
      expectsMedia: media.audio || media.video || media.screen === true,
      steadyStream: media.video || media.screen === true,
    });
    if (problem === participant.connectionProblem) return;
    participant.connectionProblem = problem;
    this.#options.emit(CallEvent.ConnectionProblemChanged, participant, problem);
  }

  /** Reads statistics every interval while the join lasts, and derives rates and connection quality. */
  #scheduleStats(signal: AbortSignal): void {
    const intervalMs = this.#options.intervalMs ?? 1_000;
    if (intervalMs <= 0) return;
    this.#statsTimer = setTimeout(async () => {
      try {
        const stats = await this.#options.getStats();
        if (signal.aborted) return;
        const sample = computeSample(this.#lastStats, stats);
        this.#lastStats = stats;
        this.#lastSample = sample;
        this.#intervalLevels = new Map(sample.remote.map((rates) => [rates.sessionId, rates.audioLevel]));
        for (const rates of sample.remote) {
          const participant = this.#options.participants.get(rates.sessionId);
          if (!participant) continue;
          if (sample.intervalMs > 0) this.#judgeProblem(participant, sample, rates);
          if (participant.connectionQuality === rates.quality) continue;
          participant.connectionQuality = rates.quality;
          this.#options.emit(CallEvent.ConnectionQualityChanged, participant, rates.quality);
        }
        for (const sessionId of this.#problems.keys()) {
          if (!this.#options.participants.has(sessionId)) this.#problems.delete(sessionId);
        }
        this.#options.emit(CallEvent.StatsUpdated, sample);
      } catch (error) {
        this.#options.emit(CallEvent.Error, asTalkError(error));
      }
      if (!signal.aborted) this.#scheduleStats(signal);
    }, intervalMs);
  }
}
