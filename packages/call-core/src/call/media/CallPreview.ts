import { CallTrack, TrackSource } from '../track.js';

/**
 * What the camera and microphone capture before joining, for a pre-join screen: the camera as a track to show, and
 * the microphone's level from a Web Audio analyser, so the user sees that the right device hears them.
 */
export class CallPreview {
  /** The camera, when the preview captured one. */
  readonly videoTrack: CallTrack | undefined;
  /** The microphone, when the preview captured one. */
  readonly audioTrack: CallTrack | undefined;
  readonly #stream: MediaStream | null;
  #context: AudioContext | null = null;
  #analyser: AnalyserNode | null = null;
  #samples: Float32Array<ArrayBuffer> | null = null;

  constructor(stream: MediaStream | null) {
    this.#stream = stream;
    const video = stream?.getVideoTracks()[0];
    const audio = stream?.getAudioTracks()[0];
    this.videoTrack = video ? new CallTrack(video, TrackSource.Camera) : undefined;
    this.audioTrack = audio ? new CallTrack(audio, TrackSource.Microphone) : undefined;
  }

  /** The microphone's level now, 0 (silence or none) to 1, as the root mean square of the last few milliseconds. */
  level(): number {
    const analyser = this.#analyserOf();
    if (!analyser || !this.#samples) return 0;
    analyser.getFloatTimeDomainData(this.#samples);
    let sum = 0;
    for (const sample of this.#samples) sum += sample * sample;
    return Math.min(1, Math.sqrt(sum / this.#samples.length));
  }

  /** Stops the camera and microphone and the analyser; the preview is done. */
  stop(): void {
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    void this.#context?.close().catch(() => undefined);
    this.#context = null;
    this.#analyser = null;
  }

  /** The analyser starts on the first reading: an AudioContext made without a reader would run for nothing. */
  #analyserOf(): AnalyserNode | null {
    if (this.#analyser) return this.#analyser;
    const track = this.audioTrack?.mediaStreamTrack;
    if (track?.readyState !== 'live' || typeof AudioContext === 'undefined') return null;
    this.#context = new AudioContext();
    this.#analyser = this.#context.createAnalyser();
    this.#analyser.fftSize = 1024;
    this.#samples = new Float32Array(this.#analyser.fftSize);
    this.#context.createMediaStreamSource(new MediaStream([track])).connect(this.#analyser);
    return this.#analyser;
  }
}
