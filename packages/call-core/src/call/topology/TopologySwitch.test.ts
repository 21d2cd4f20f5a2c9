import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeTrack, FakeTransport, remoteParticipant, SETTINGS } from '../../../test/fakes/transport.js';
import type { RemoteParticipant } from '../participant/RemoteParticipant.js';
import { type CallTrack, TrackSource } from '../track.js';
import type { TransportContext } from '../transport/CallTransport.js';
import { type SwitchHost, TopologySwitch } from './TopologySwitch.js';

const TIMINGS = { trackReadyTimeoutMs: 5_000, switchTimeoutMs: 20_000, pollMs: 50 };
const context = { sessionId: 'me', settings: SETTINGS } as TransportContext;

/** A participant in mesh with camera and microphone shown, and a switch to the SFU that records what it does. */
function setUp() {
  const from = new FakeTransport('mesh', context);
  const to = new FakeTransport('sfu', context);
  const participant = remoteParticipant('b');
  const oldCamera = new FakeTrack(TrackSource.Camera);
  const oldMicrophone = new FakeTrack(TrackSource.Microphone);
  participant.setTrack(TrackSource.Camera, oldCamera);
  participant.setTrack(TrackSource.Microphone, oldMicrophone);
  const swapped: CallTrack[] = [];
  const switchedSent: string[] = [];
  let finished = 0;
  const host: SwitchHost = {
    swap: (p: RemoteParticipant, track: CallTrack) => {
      p.setTrack(track.source, track);
      swapped.push(track);
    },
    sendSwitched: (sessionId, topology) => switchedSent.push(`${sessionId}:${topology}`),
    finished: () => finished++,
    mark: () => {},
  };
  const running = new TopologySwitch(from, to, [participant], host, TIMINGS);
  return { from, to, participant, running, swapped, switchedSent, finished: () => finished };
}

describe('TopologySwitch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('swaps a new track in only once it decodes its first frame', async () => {
    const { participant, running, swapped } = setUp();
    const camera = new FakeTrack(TrackSource.Camera);
    running.trackAdded(participant, camera);
    await vi.advanceTimersByTimeAsync(500);
    expect(swapped).toEqual([]);
    expect(participant.videoTrack).not.toBe(camera);
    camera.decoding = true;
    await vi.advanceTimersByTimeAsync(TIMINGS.pollMs);
    expect(swapped).toEqual([camera]);
    expect(participant.videoTrack).toBe(camera);
  });

  it('waits for a track that decoded frames before it was paused to decode again', async () => {
    const { participant, running, swapped } = setUp();
    // Subscribed ahead of the switch: a few frames came, then the SFU paused it.
    const camera = new FakeTrack(TrackSource.Camera);
    camera.decoding = true;
    await camera.getStats();
    await camera.getStats();
    camera.decoding = false;
    running.trackAdded(participant, camera);
    await vi.advanceTimersByTimeAsync(500);
    expect(swapped).toEqual([]);
    camera.decoding = true;
    await vi.advanceTimersByTimeAsync(TIMINGS.pollMs);
    expect(swapped).toEqual([camera]);
  });

  it('closes the old path to a participant only after both ends said switched', async () => {
    const { from, participant, running, switchedSent, finished } = setUp();
    running.start();
    // The other end is done first: this end still waits for its own tracks.
    running.remoteSwitched('b', 'sfu');
    expect(from.log).not.toContain('removePeer:b');
    for (const source of [TrackSource.Camera, TrackSource.Microphone]) {
      const track = new FakeTrack(source);
      track.decoding = true;
      running.trackAdded(participant, track);
    }
    await vi.advanceTimersByTimeAsync(TIMINGS.pollMs);
    expect(switchedSent).toEqual(['b:sfu']);
    expect(from.log).toContain('removePeer:b');
    expect(finished()).toBe(1);
  });

  it('keeps the old path while only this end has switched', async () => {
    const { from, participant, running, switchedSent, finished } = setUp();
    running.start();
    for (const source of [TrackSource.Camera, TrackSource.Microphone]) {
      const track = new FakeTrack(source);
      track.decoding = true;
      running.trackAdded(participant, track);
    }
    await vi.advanceTimersByTimeAsync(TIMINGS.pollMs);
    expect(switchedSent).toEqual(['b:sfu']);
    // A `switched` for another topology (a stale switch) does not count.
    running.remoteSwitched('b', 'mesh');
    expect(from.log).not.toContain('removePeer:b');
    expect(finished()).toBe(0);
    running.remoteSwitched('b', 'sfu');
    expect(from.log).toContain('removePeer:b');
    expect(finished()).toBe(1);
  });

  it('finishes at the switch timeout, swapping in what is still pending', async () => {
    const { participant, running, swapped, finished } = setUp();
    const camera = new FakeTrack(TrackSource.Camera);
    running.trackAdded(participant, camera);
    await vi.advanceTimersByTimeAsync(TIMINGS.switchTimeoutMs - 1);
    expect(finished()).toBe(0);
    expect(swapped).toEqual([camera]); // the track timed out on its own first
    await vi.advanceTimersByTimeAsync(1);
    expect(finished()).toBe(1);
    expect(running.over).toBe(true);
  });

  it('stops waiting for a participant who left mid-switch', () => {
    const { running, finished } = setUp();
    running.start();
    expect(finished()).toBe(0);
    running.participantLeft('b');
    expect(finished()).toBe(1);
  });
});
