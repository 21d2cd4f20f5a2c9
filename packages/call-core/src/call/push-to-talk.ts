import type { CallMedia } from '@talk/protocol';
import type { Call } from './Call.js';
import { CallEvent } from './events.js';

/** What push-to-talk needs of a call. */
export type PushToTalkCall = Pick<Call, 'media' | 'setMicrophoneEnabled' | 'on'>;

/** Push-to-talk over a call's microphone, in the shape of `setupMediaToggle`. */
export interface PushToTalk {
  /** True while a press holds the microphone open. */
  readonly active: boolean;
  /** The key went down: opens a muted microphone for as long as it is held; does nothing if it is already on. */
  press(): Promise<void>;
  /** The key came up: mutes the microphone again, unless something else muted it meanwhile. */
  release(): Promise<void>;
  /** Stops listening to the call. */
  dispose(): void;
}

/**
 * Hold to talk while muted, as Nextcloud Talk's space bar does. The release mutes only what the press opened: if
 * the microphone was switched off while held (a moderator, a revoked permission, the user's own button), the hold
 * is over and the release changes nothing, so a mute from elsewhere is never undone, nor fought over.
 */
export function setupPushToTalk(call: PushToTalkCall): PushToTalk {
  // pressed → the press asked for the microphone; open → it is on because of the press.
  let state: 'idle' | 'pressed' | 'open' = 'idle';
  let releasing = false;
  const off = call.on(CallEvent.LocalMediaChanged, (media: CallMedia) => {
    // Off while held, and not by this release: whoever muted wins, and the hold ends.
    if (state === 'open' && !media.audio && !releasing) state = 'idle';
  });
  const mute = async () => {
    releasing = true;
    try {
      await call.setMicrophoneEnabled(false);
    } finally {
      releasing = false;
    }
  };
  return {
    get active() {
      return state !== 'idle';
    },
    async press() {
      if (state !== 'idle' || call.media.audio) return;
      state = 'pressed';
      try {
        await call.setMicrophoneEnabled(true);
      } catch (error) {
        state = 'idle';
        throw error;
      }
      if (state === 'pressed') {
        state = 'open';
        return;
      }
      // Released before the microphone came on (a short tap): the release found nothing to mute, so mute now.
      await mute();
    },
    async release() {
      const held = state;
      state = 'idle';
      if (held === 'open' && call.media.audio) await mute();
    },
    dispose: off,
  };
}
