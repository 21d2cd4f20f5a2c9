import { randomFillSync } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Size and rate of a generated clip. */
export interface ClipFormat {
  width: number;
  height: number;
  fps: number;
  seconds: number;
}

/** The clip that made ~0.93 Mbit/s per stream at a 1 Mbit/s cap on the reference machine. */
export const DEFAULT_CLIP: ClipFormat = { width: 320, height: 240, fps: 15, seconds: 4 };

/**
 * Writes a YUV4MPEG2 clip of random noise for Chromium's `--use-file-for-fake-video-capture`. Noise does not
 * compress, so the encoder spends the whole bitrate it is allowed, unlike the fake camera's test pattern
 * (~0.4 Mbit/s). An existing file is kept, since its name carries its format.
 */
export async function writeNoiseClip(path: string, format: ClipFormat = DEFAULT_CLIP): Promise<string> {
  if (existsSync(path)) return path;
  const { width, height, fps, seconds } = format;
  if (width % 2 || height % 2) throw new Error(`clip size ${width}×${height} must be even for 4:2:0 chroma`);
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  out.write(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.alloc(width * height * 1.5);
  for (let index = 0; index < fps * seconds; index += 1) {
    randomFillSync(frame);
    out.write('FRAME\n');
    if (!out.write(frame)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

/** A file name that names the format, so clips of different formats never collide. */
export function clipFileName(format: ClipFormat): string {
  return `noise-${format.width}x${format.height}-${format.fps}fps-${format.seconds}s.y4m`;
}
