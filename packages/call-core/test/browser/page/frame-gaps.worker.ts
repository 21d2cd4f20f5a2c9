// Times every decoded frame of each remote camera the page shows, off the page's main thread: a page busy with
// a switch runs its timers late, which would blur the gaps it measures; a worker reading the tracks' frames does
// not wait for it.
import type { FrameGapAnswer, FrameGapRequest } from './frame-gaps.js';

/**
 * Per remote session: the track it shows, when a frame of it last arrived, the longest wait, and the longest wait
 * that spanned a swap of tracks. Until the new track's first frame after the swap arrives, the old track's frames
 * still count: call-core keeps the old path open past the swap.
 */
interface SessionGaps {
  trackId: string;
  previousTrackId: string | undefined;
  last: number;
  max: number;
  swapping: boolean;
  maxAcrossSwap: number;
}

const sessions = new Map<string, SessionGaps>();
let measuring = false;

async function read(trackId: string, frames: ReadableStream<VideoFrame>): Promise<void> {
  const reader = frames.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const now = performance.now();
    value.close();
    for (const gaps of sessions.values()) {
      const outgoing = gaps.swapping && gaps.previousTrackId === trackId;
      if (gaps.trackId !== trackId && !outgoing) continue;
      if (measuring && gaps.last > 0) {
        gaps.max = Math.max(gaps.max, now - gaps.last);
        if (gaps.swapping) gaps.maxAcrossSwap = Math.max(gaps.maxAcrossSwap, now - gaps.last);
      }
      gaps.last = now;
      if (!outgoing) gaps.swapping = false;
    }
  }
}

function answer(id: number): FrameGapAnswer {
  const now = performance.now();
  // A video that stopped for good shows no next frame; the wait until now counts as well.
  const decoded = Object.fromEntries(
    [...sessions].map(([sessionId, gaps]) => [sessionId, Math.max(gaps.max, gaps.last > 0 ? now - gaps.last : 0)]),
  );
  const acrossSwap = Object.fromEntries([...sessions].map(([sessionId, gaps]) => [sessionId, gaps.maxAcrossSwap]));
  return { id, decoded, acrossSwap };
}

self.onmessage = (event: MessageEvent<FrameGapRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'watch':
      void read(request.trackId, request.frames);
      break;
    case 'show': {
      // The wait across a swap runs from the old track's last frame to the new one's first.
      const gaps = sessions.get(request.sessionId);
      if (!gaps) {
        const fresh = { trackId: request.trackId, previousTrackId: undefined, last: 0, max: 0 };
        sessions.set(request.sessionId, { ...fresh, swapping: false, maxAcrossSwap: 0 });
      } else if (gaps.trackId !== request.trackId) {
        gaps.previousTrackId = gaps.trackId;
        gaps.trackId = request.trackId;
        gaps.swapping = true;
      }
      break;
    }
    case 'hide':
      sessions.delete(request.sessionId);
      break;
    case 'measure': {
      const result = measuring ? answer(request.id) : { id: request.id, decoded: {}, acrossSwap: {} };
      measuring = request.on;
      if (measuring) {
        for (const gaps of sessions.values()) {
          gaps.max = 0;
          gaps.maxAcrossSwap = 0;
        }
      }
      self.postMessage(result);
      break;
    }
  }
};
