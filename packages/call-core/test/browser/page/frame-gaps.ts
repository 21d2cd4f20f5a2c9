// The page's side of the frame-gap measurement: hands every remote video track's frames to a worker that times
// them, and tells it which track each remote session shows (see frame-gaps.worker.ts). No frame is read until the
// first measurement asks for it.
import type { CallTrack } from '@talk/call-core';

/** What the page tells the worker. */
export type FrameGapRequest =
  | { type: 'watch'; trackId: string; frames: ReadableStream<VideoFrame> }
  | { type: 'show'; sessionId: string; trackId: string }
  | { type: 'hide'; sessionId: string }
  | { type: 'measure'; on: boolean; id: number };

/**
 * The worker's answer to `measure`, per remote session in ms: the longest wait between two shown frames, and the
 * longest of those that spanned a swap of tracks.
 */
export interface FrameGapAnswer {
  id: number;
  decoded: Record<string, number>;
  acrossSwap: Record<string, number>;
}

// Chromium's MediaStreamTrackProcessor (a track's frames as a stream), which TypeScript's DOM types leave out.
declare const MediaStreamTrackProcessor: new (init: {
  track: MediaStreamTrack;
}) => { readable: ReadableStream<VideoFrame> };

let worker: Worker | undefined;
/** Every remote video track the browser received, by id, so that frames are timed from its first on. */
const arrived = new Map<string, MediaStreamTrack>();
const watched = new Set<string>();
/** The id of the camera track each remote session shows now. */
const shown = new Map<string, string>();
const answers = new Map<number, (answer: FrameGapAnswer) => void>();
let nextId = 0;

function send(request: FrameGapRequest, transfer: Transferable[] = []): void {
  worker?.postMessage(request, transfer);
}

function watch(track: MediaStreamTrack): void {
  if (!worker || watched.has(track.id) || track.readyState === 'ended') return;
  watched.add(track.id);
  const { readable } = new MediaStreamTrackProcessor({ track });
  send({ type: 'watch', trackId: track.id, frames: readable }, [readable]);
}

/**
 * Notes every remote video track as its connection receives it, mesh or SFU alike: call-core only shows a new
 * track once it decodes, and its frames from then on must reach the worker at once rather than after a processor
 * has been set up for it.
 */
export function observeRemoteVideo(): void {
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      this.addEventListener('track', ({ track }) => {
        if (track.kind !== 'video') return;
        arrived.set(track.id, track);
        track.addEventListener('ended', () => arrived.delete(track.id));
        watch(track);
      });
    }
  };
}

/** A remote camera is shown for `sessionId`, in place of the one before. */
export function cameraShown(sessionId: string, track: CallTrack): void {
  arrived.set(track.mediaStreamTrack.id, track.mediaStreamTrack);
  watch(track.mediaStreamTrack);
  shown.set(sessionId, track.mediaStreamTrack.id);
  send({ type: 'show', sessionId, trackId: track.mediaStreamTrack.id });
}

/** `sessionId` shows no camera any more. */
export function cameraHidden(sessionId: string): void {
  shown.delete(sessionId);
  send({ type: 'hide', sessionId });
}

/**
 * Starts (true) or stops (false) a measurement; answers, for the one that ended, the longest wait per remote
 * session between two decoded frames of the camera it showed, overall and across a swap of tracks.
 */
export function measureFrameGaps(on: boolean): Promise<Omit<FrameGapAnswer, 'id'>> {
  if (!worker) {
    worker = new Worker(new URL('./frame-gaps.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<FrameGapAnswer>) => answers.get(event.data.id)?.(event.data);
    for (const track of arrived.values()) watch(track);
    for (const [sessionId, trackId] of shown) send({ type: 'show', sessionId, trackId });
  }
  const id = nextId++;
  return new Promise((resolve) => {
    answers.set(id, (answer) => {
      answers.delete(id);
      resolve({ decoded: answer.decoded, acrossSwap: answer.acrossSwap });
    });
    send({ type: 'measure', on, id });
  });
}
