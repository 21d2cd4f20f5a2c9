import type { CallTrack } from '@talk/call-core';

/** Chromium's Document Picture-in-Picture, which lib.dom does not describe yet. */
interface DocumentPictureInPicture {
  requestWindow(options?: { width?: number; height?: number }): Promise<Window>;
  readonly window: Window | null;
}

const documentPip = () =>
  (globalThis as { documentPictureInPicture?: DocumentPictureInPicture }).documentPictureInPicture;

/** Whether this browser can show the speaker in a floating window, one way or the other. */
export function pictureInPictureSupported(): boolean {
  return !!documentPip() || (typeof document !== 'undefined' && document.pictureInPictureEnabled === true);
}

/**
 * The speaker in a floating window: a Document Picture-in-Picture window with its own video where the browser has
 * it (it can follow the speaker as it changes), else the video element's own picture-in-picture.
 */
export class SpeakerPictureInPicture {
  #window: Window | null = null;
  #video: HTMLVideoElement | null = null;
  #shown: CallTrack | undefined;
  #onClose: () => void;

  constructor(onClose: () => void) {
    this.#onClose = onClose;
  }

  /** Whether the floating window is open. */
  get open(): boolean {
    return !!this.#window || (!!this.#video && document.pictureInPictureElement === this.#video);
  }

  /** Opens the window on `track`, or, without Document Picture-in-Picture, on `fallback`'s own video. */
  async show(track: CallTrack | undefined, label: string, fallback: HTMLVideoElement | null): Promise<void> {
    const pip = documentPip();
    if (pip) {
      const win = await pip.requestWindow({ width: 480, height: 270 });
      this.#window = win;
      const video = win.document.createElement('video');
      video.autoplay = true;
      video.muted = true;
      video.playsInline = true;
      video.style.cssText = 'inline-size: 100%; block-size: 100%; object-fit: contain; background: black';
      win.document.body.style.margin = '0';
      win.document.body.append(video);
      this.#video = video;
      win.addEventListener('pagehide', () => this.#closed());
      this.follow(track, label);
      return;
    }
    if (!fallback) return;
    this.#video = fallback;
    fallback.addEventListener('leavepictureinpicture', () => this.#closed(), { once: true });
    await fallback.requestPictureInPicture();
  }

  /** Shows another speaker in an open Document Picture-in-Picture window. */
  follow(track: CallTrack | undefined, label: string): void {
    if (!this.#window || !this.#video || track === this.#shown) return;
    this.#shown?.detach(this.#video);
    this.#shown = track;
    this.#video.setAttribute('aria-label', label);
    track?.attach(this.#video);
  }

  /** Closes the window. */
  async close(): Promise<void> {
    if (this.#window) this.#window.close();
    else if (document.pictureInPictureElement) await document.exitPictureInPicture();
    this.#closed();
  }

  #closed(): void {
    if (!this.#window && !this.#video) return;
    if (this.#video && this.#shown) this.#shown.detach(this.#video);
    this.#window = null;
    this.#video = null;
    this.#shown = undefined;
    this.#onClose();
  }
}
