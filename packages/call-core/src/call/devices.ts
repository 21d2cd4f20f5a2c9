import { TrackSource } from './track.js';

/** A capture device a call can pick. */
export type DeviceKind = 'camera' | 'microphone';

/** Why a call now captures from another device. */
export type DeviceChangeReason =
  /** `setDevice` asked for it. */
  | 'selected'
  /** The device in use went away (unplugged, or taken by the system), and the call fell back to the default. */
  | 'lost';

/** The browser's name for a device kind in `enumerateDevices`. */
const deviceInfoKind = { camera: 'videoinput', microphone: 'audioinput' } as const;

/** The track source each device kind captures. */
export const sourceOfDevice = { camera: TrackSource.Camera, microphone: TrackSource.Microphone } as const;

/** The constraint key of getUserMedia for each device kind. */
export const constraintKey = { camera: 'video', microphone: 'audio' } as const;

/** The devices of a kind the browser offers; labels are empty until the page has been granted that kind once. */
export async function listDevices(kind: DeviceKind): Promise<MediaDeviceInfo[]> {
  const devices = (await globalThis.navigator?.mediaDevices?.enumerateDevices()) ?? [];
  return devices.filter((device) => device.kind === deviceInfoKind[kind]);
}

/**
 * The getUserMedia constraint for a kind: the chosen device exactly when the user just picked it (it must fail if
 * that device cannot be had), or preferably when joining (a remembered device that is gone falls back to another).
 */
export function deviceConstraint(deviceId: string | undefined, strict: boolean): true | MediaTrackConstraints {
  if (!deviceId) return true;
  return { deviceId: strict ? { exact: deviceId } : { ideal: deviceId } };
}

/** The device a local track captures from, as the browser reports it. */
export function deviceIdOf(track: MediaStreamTrack): string {
  return track.getSettings().deviceId ?? '';
}
