/** What a track carries. */
export enum TrackKind {
  Audio = 'audio',
  Video = 'video',
}

/** Where a track comes from; a participant has at most one track per source. */
export enum TrackSource {
  Camera = 'camera',
  Microphone = 'microphone',
  /** A shared screen, window or tab. */
  ScreenShare = 'screen',
  /** The sound of a shared tab or screen, where the browser offers it. */
  ScreenShareAudio = 'screenAudio',
}

/** How a transport wants a track shown; the SFU's must go through livekit so adaptive streaming sees the element. */
export interface TrackRenderer {
  attach(element: HTMLMediaElement): void;
  detach(element: HTMLMediaElement): void;
  /** The RTP statistics of this track's sender or receiver, when the transport can tell them apart. */
  getStats?(): Promise<RTCStatsReport | undefined>;
}

/** The source of a track from its kind and whether it belongs to a screen share. */
export function sourceOf(kind: string, screen: boolean): TrackSource {
  if (screen) return kind === TrackKind.Video ? TrackSource.ScreenShare : TrackSource.ScreenShareAudio;
  return kind === TrackKind.Video ? TrackSource.Camera : TrackSource.Microphone;
}

/** Whether a source is part of a screen share. */
export function isScreenSource(source: TrackSource): boolean {
  return source === TrackSource.ScreenShare || source === TrackSource.ScreenShareAudio;
}

/** One audio or video track of a participant. */
export class CallTrack {
  /** Audio or video. */
  readonly kind: TrackKind;
  /** Camera, microphone, screen or the screen's sound. */
  readonly source: TrackSource;
  /** The browser's track; for remote tracks it ends when the participant leaves. */
  readonly mediaStreamTrack: MediaStreamTrack;
  readonly #renderer: TrackRenderer | undefined;

  constructor(mediaStreamTrack: MediaStreamTrack, source: TrackSource, renderer?: TrackRenderer) {
    this.mediaStreamTrack = mediaStreamTrack;
    this.kind = mediaStreamTrack.kind === 'video' ? TrackKind.Video : TrackKind.Audio;
    this.source = source;
    this.#renderer = renderer;
  }

  /** Whether the track sends (local) or the sender has not disabled it (remote, as far as the browser knows). */
  get enabled(): boolean {
    return this.mediaStreamTrack.enabled && this.mediaStreamTrack.readyState === 'live';
  }

  /** Plays this track in a media element. */
  attach(element: HTMLMediaElement): void {
    if (this.#renderer) this.#renderer.attach(element);
    else element.srcObject = new MediaStream([this.mediaStreamTrack]);
  }

  /** Stops playing this track in a media element. */
  detach(element: HTMLMediaElement): void {
    if (this.#renderer) {
      this.#renderer.detach(element);
      return;
    }
    const stream = element.srcObject;
    if (stream instanceof MediaStream && stream.getTracks().includes(this.mediaStreamTrack)) element.srcObject = null;
  }

  /** RTP statistics of this track alone, when its transport can provide them. */
  getStats(): Promise<RTCStatsReport | undefined> {
    return this.#renderer?.getStats?.() ?? Promise.resolve(undefined);
  }
}
