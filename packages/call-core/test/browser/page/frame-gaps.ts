// The page's side of the frame-gap measurement: hands each shown remote camera's frames to a worker that times
// them (see frame-gaps.worker.ts). Nothing runs until the first measurement asks for it.
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
const watched = new Set<string>();
/** The camera each remote session shows now, so that a late start still watches what is on screen. */
const shown = new Map<string, CallTrack>();
const answers = new Map<number, (answer: FrameGapAnswer) => void>();
let nextId = 0;

function send(request: FrameGapRequest, transfer: Transferable[] = []): void {
  worker?.postMessage(request, transfer);
}

function watch(sessionId: string, track: CallTrack): void {
  const trackId = track.mediaStreamTrack.id;
  if (!watched.has(trackId)) {
    watched.add(trackId);
    const { readable } = new MediaStreamTrackProcessor({ track: track.mediaStreamTrack });
    send({ type: 'watch', trackId, frames: readable }, [readable]);
  }
  send({ type: 'show', sessionId, trackId });
}

/** A remote camera is shown for `sessionId`, in place of the one before. */
export function cameraShown(sessionId: string, track: CallTrack): void {
  shown.set(sessionId, track);
  if (worker) watch(sessionId, track);
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
    for (const [sessionId, track] of shown) watch(sessionId, track);
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
