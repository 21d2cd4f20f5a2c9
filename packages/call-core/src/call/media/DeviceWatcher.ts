import { asTalkError, type TalkError } from '../../errors.js';
import { type DeviceKind, deviceIdOf, listDevices } from '../devices.js';
import type { CallTrack } from '../track.js';

/** What a DeviceWatcher needs from the local media it watches. */
export interface DeviceWatcherOptions {
  /** The track a kind captures now, if any. */
  track(kind: DeviceKind): CallTrack | undefined;
  /** The device a kind captures from went away; the callee falls back and reports its own failures. */
  lost(kind: DeviceKind): Promise<void>;
  /** Checking the devices failed. */
  error(error: TalkError): void;
}

/**
 * Notices a camera or microphone that went away: by its track ending by itself, or, where the browser leaves the
 * track of an unplugged device live and silent, by the device missing from the list after a `devicechange`.
 */
export class DeviceWatcher {
  readonly #options: DeviceWatcherOptions;

  constructor(options: DeviceWatcherOptions) {
    this.#options = options;
  }

  /** Reports `kind` lost should `track` end while it is still the one in use. */
  watch(track: CallTrack, kind: DeviceKind): void {
    // The browser fires `ended` only when the device goes, never for the page's own stop().
    track.mediaStreamTrack.addEventListener('ended', () => {
      if (this.#options.track(kind) === track) void this.#options.lost(kind);
    });
  }

  /** Checks the tracks in use on every `devicechange` until the returned function is called. */
  start(): () => void {
    const mediaDevices = globalThis.navigator?.mediaDevices;
    if (!mediaDevices?.addEventListener) return () => {};
    const listener = () => void this.#check().catch((error) => this.#options.error(asTalkError(error)));
    mediaDevices.addEventListener('devicechange', listener);
    return () => mediaDevices.removeEventListener('devicechange', listener);
  }

  async #check(): Promise<void> {
    for (const kind of ['camera', 'microphone'] as const) {
      const track = this.#options.track(kind);
      if (!track) continue;
      const present = await listDevices(kind);
      const inUse = deviceIdOf(track.mediaStreamTrack);
      if (inUse && !present.some((device) => device.deviceId === inUse)) await this.#options.lost(kind);
    }
  }
}
