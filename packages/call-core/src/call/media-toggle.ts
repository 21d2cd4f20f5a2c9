import type { Call } from './Call.js';
import { CallEvent } from './events.js';

/** A camera or microphone switch, in the shape of components-js's `setupMediaToggle`. */
export interface MediaToggle {
  /** Whether the device is (or will be, on join) on. */
  readonly enabled: boolean;
  /** True while a switch is in progress, e.g. waiting for camera permission. */
  readonly pending: boolean;
  /** Switches the device, or sets it to `force`. */
  toggle(force?: boolean): Promise<void>;
  /** Calls `listener` whenever `enabled` or `pending` changes; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** Wraps a call's camera or microphone in a framework-free toggle that UIs bind a button to. */
export function setupMediaToggle(call: Call, device: 'camera' | 'microphone'): MediaToggle {
  const key = device === 'camera' ? 'video' : 'audio';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  let pending = false;
  return {
    get enabled() {
      return call.media[key];
    },
    get pending() {
      return pending;
    },
    async toggle(force?: boolean) {
      const enabled = force ?? !call.media[key];
      pending = true;
      notify();
      try {
        await (device === 'camera' ? call.setCameraEnabled(enabled) : call.setMicrophoneEnabled(enabled));
      } finally {
        pending = false;
        notify();
      }
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      const off = call.on(CallEvent.LocalMediaChanged, listener);
      return () => {
        listeners.delete(listener);
        off();
      };
    },
  };
}
