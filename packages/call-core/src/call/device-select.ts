import type { Call } from './Call.js';
import type { DeviceKind } from './devices.js';
import { CallEvent } from './events.js';

/** A camera or microphone picker, in the shape of components-js's `useMediaDeviceSelect`. */
export interface DeviceSelect {
  /** The devices of the kind; empty until `refresh` has run once. */
  readonly devices: readonly MediaDeviceInfo[];
  /** The device captured from now (or on join); empty for the browser's default. */
  readonly activeDeviceId: string;
  /** True while a device change is in progress. */
  readonly pending: boolean;
  /** Captures from another device. */
  select(deviceId: string): Promise<void>;
  /** Reads the device list again; labels appear once the page has been granted the kind. */
  refresh(): Promise<void>;
  /** Calls `listener` whenever the list, the active device or `pending` changes; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** Wraps a call's camera or microphone choice in a framework-free picker that UIs bind a `<select>` to. */
export function setupDeviceSelect(call: Call, kind: DeviceKind): DeviceSelect {
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  let devices: MediaDeviceInfo[] = [];
  let pending = false;
  const refresh = async () => {
    devices = await call.listDevices(kind);
    notify();
  };
  return {
    get devices() {
      return devices;
    },
    get activeDeviceId() {
      return call.deviceId(kind);
    },
    get pending() {
      return pending;
    },
    async select(deviceId: string) {
      pending = true;
      notify();
      try {
        await call.setDevice(kind, deviceId);
      } finally {
        pending = false;
        notify();
      }
    },
    refresh,
    subscribe(listener: () => void) {
      listeners.add(listener);
      const mediaDevices = globalThis.navigator?.mediaDevices;
      const reread = () => void refresh().catch(() => {});
      mediaDevices?.addEventListener?.('devicechange', reread);
      const offs = [
        call.on(CallEvent.DeviceChanged, listener),
        // Labels and real ids appear once a join has been granted the devices.
        call.on(CallEvent.LocalTrackPublished, reread),
      ];
      return () => {
        listeners.delete(listener);
        mediaDevices?.removeEventListener?.('devicechange', reread);
        for (const off of offs) off();
      };
    },
  };
}
