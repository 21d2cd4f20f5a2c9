import type { CallMedia } from '@talk/protocol';
import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '../emitter.js';
import { CallEvent, type CallEventCallbacks } from './events.js';
import { setupPushToTalk } from './push-to-talk.js';

/** A call's microphone as push-to-talk sees it: `media.audio` and the event LocalMedia raises on a switch. */
class FakeMicrophone extends TypedEmitter<CallEventCallbacks> {
  media: CallMedia = { audio: false, video: true };
  readonly switches: boolean[] = [];
  async setMicrophoneEnabled(enabled: boolean): Promise<void> {
    await Promise.resolve();
    this.switches.push(enabled);
    this.media = { ...this.media, audio: enabled };
    this.emit(CallEvent.LocalMediaChanged, this.media);
  }
}

describe('push-to-talk', () => {
  it('opens a muted microphone while held and mutes it on release', async () => {
    const call = new FakeMicrophone();
    const ptt = setupPushToTalk(call);
    await ptt.press();
    expect(call.media.audio).toBe(true);
    expect(ptt.active).toBe(true);
    // Key repeat sends more presses while held: they change nothing.
    await ptt.press();
    await ptt.release();
    expect(call.media.audio).toBe(false);
    expect(call.switches).toEqual([true, false]);
    expect(ptt.active).toBe(false);
  });

  it('does nothing when the microphone is already on: releasing must not mute someone who is talking', async () => {
    const call = new FakeMicrophone();
    call.media = { audio: true, video: true };
    const ptt = setupPushToTalk(call);
    await ptt.press();
    await ptt.release();
    expect(call.media.audio).toBe(true);
    expect(call.switches).toEqual([]);
  });

  it('does not undo a mute from elsewhere while held, and the next press works again', async () => {
    const call = new FakeMicrophone();
    const ptt = setupPushToTalk(call);
    await ptt.press();
    // A moderator (or a revoked permission) mutes while the key is held.
    await call.setMicrophoneEnabled(false);
    expect(ptt.active).toBe(false);
    await ptt.release();
    expect(call.media.audio).toBe(false);
    expect(call.switches).toEqual([true, false]);
    await ptt.press();
    expect(call.media.audio).toBe(true);
    await ptt.release();
    expect(call.switches).toEqual([true, false, true, false]);
    ptt.dispose();
  });

  it('mutes again after a tap released before the microphone had opened', async () => {
    const call = new FakeMicrophone();
    const ptt = setupPushToTalk(call);
    const pressing = ptt.press();
    await ptt.release();
    await pressing;
    expect(call.media.audio).toBe(false);
    expect(call.switches).toEqual([true, false]);
    expect(ptt.active).toBe(false);
  });
});
