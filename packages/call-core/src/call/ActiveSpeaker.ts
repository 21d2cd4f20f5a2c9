/** Tuning of ActiveSpeakerSelector; the defaults suit speech, tests may shorten the times. */
export interface ActiveSpeakerOptions {
  /** Level (0–1, as WebRTC's `audioLevel`) from which a participant counts as speaking; the fake mic beeps at ~0.1. */
  speakingLevel: number;
  /** How much louder than the current speaker another one must be to take over while the current one speaks. */
  louderBy: number;
  /** How long another participant must lead before taking over, in milliseconds: a cough does not switch. */
  takeOverMs: number;
}

/** Defaults of ActiveSpeakerOptions. */
export const DEFAULT_ACTIVE_SPEAKER_OPTIONS: ActiveSpeakerOptions = {
  speakingLevel: 0.02,
  louderBy: 1.5,
  takeOverMs: 1_000,
};

/**
 * Picks the one participant to show as speaking from a stream of audio levels, with hysteresis so it does not flap:
 * the first to speak becomes the speaker at once; another takes over only after leading for `takeOverMs` without a
 * break, by being louder than `speakingLevel` while the speaker is quieter than that, or louder by `louderBy` while
 * both speak. In silence the last speaker stays, as a video grid wants; it goes only when it leaves.
 */
export class ActiveSpeakerSelector {
  readonly #options: ActiveSpeakerOptions;
  #current: string | null = null;
  /** Who leads against the current speaker, and since when. */
  #challenger: { id: string; since: number } | null = null;

  constructor(options: Partial<ActiveSpeakerOptions> = {}) {
    this.#options = { ...DEFAULT_ACTIVE_SPEAKER_OPTIONS, ...options };
  }

  /** The participant shown as speaking, or null before anyone spoke. */
  get current(): string | null {
    return this.#current;
  }

  /** Takes the levels of everyone who may speak at `now` (ms); answers the speaker after it. */
  update(levels: ReadonlyMap<string, number>, now: number): string | null {
    const { speakingLevel, louderBy, takeOverMs } = this.#options;
    let loudest: string | null = null;
    let loudestLevel = speakingLevel;
    for (const [id, level] of levels) {
      if (level >= loudestLevel) {
        loudest = id;
        loudestLevel = level;
      }
    }
    const current = this.#current;
    if (current === null || !levels.has(current)) {
      // Nobody to defend the place: the loudest (if anyone speaks) takes it at once.
      this.#current = loudest;
      this.#challenger = null;
      return this.#current;
    }
    const currentLevel = levels.get(current) ?? 0;
    const leads = loudest !== current && (currentLevel < speakingLevel || loudestLevel >= currentLevel * louderBy);
    if (loudest === null || !leads) {
      this.#challenger = null;
      return current;
    }
    if (this.#challenger?.id !== loudest) this.#challenger = { id: loudest, since: now };
    if (now - this.#challenger.since >= takeOverMs) {
      this.#current = loudest;
      this.#challenger = null;
    }
    return this.#current;
  }

  /** Forgets everything, e.g. on leaving the call. */
  reset(): void {
    this.#current = null;
    this.#challenger = null;
  }
}
