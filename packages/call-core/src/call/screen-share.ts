import type { Call } from './Call.js';
import { CallEvent } from './events.js';
import type { Participant } from './participant/Participant.js';
import { type CallTrack, TrackSource } from './track.js';

/** A call's screen share as a stage shows it: the share to show large, and a switch for the local one. */
export interface ScreenShare {
  /** The share started last that still runs (local or remote), or null. */
  readonly active: { participant: Participant; track: CallTrack } | null;
  /** Whether this browser shares its screen. */
  readonly sharing: boolean;
  /** True while starting or stopping, e.g. while the browser asks which screen. */
  readonly pending: boolean;
  /** Starts or stops sharing this browser's screen, or sets it to `force`. */
  toggle(force?: boolean): Promise<void>;
  /** Calls `listener` whenever `active`, `sharing` or `pending` changes; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** Wraps a call's screen shares in a framework-free helper, as `setupMediaToggle` does for the camera. */
export function setupScreenShare(call: Call): ScreenShare {
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  let pending = false;
  /** Screen tracks by when they started, the newest last, so the latest share wins the stage. */
  const order: CallTrack[] = [];
  const started = (track: CallTrack) => {
    if (track.source !== TrackSource.ScreenShare) return;
    const index = order.indexOf(track);
    if (index >= 0) order.splice(index, 1);
    order.push(track);
  };
  const active = () => {
    const shares = call.participants.flatMap((participant) =>
      participant.screenTrack ? [{ participant, track: participant.screenTrack }] : [],
    );
    // Shares seen start win by recency; one that was there before this helper existed comes first.
    shares.sort((a, b) => order.indexOf(a.track) - order.indexOf(b.track));
    return shares.at(-1) ?? null;
  };
  return {
    get active() {
      return active();
    },
    get sharing() {
      return call.localParticipant?.screenTrack !== undefined;
    },
    get pending() {
      return pending;
    },
    async toggle(force?: boolean) {
      const enabled = force ?? call.localParticipant?.screenTrack === undefined;
      pending = true;
      notify();
      try {
        await call.setScreenShareEnabled(enabled);
      } finally {
        pending = false;
        notify();
      }
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      const offs = [
        call.on(CallEvent.TrackSubscribed, (track) => {
          started(track);
          listener();
        }),
        call.on(CallEvent.LocalTrackPublished, (track) => {
          started(track);
          listener();
        }),
        call.on(CallEvent.TrackUnsubscribed, listener),
        call.on(CallEvent.LocalTrackUnpublished, listener),
        call.on(CallEvent.ParticipantLeft, listener),
        call.on(CallEvent.StateChanged, listener),
      ];
      return () => {
        listeners.delete(listener);
        for (const off of offs) off();
      };
    },
  };
}
