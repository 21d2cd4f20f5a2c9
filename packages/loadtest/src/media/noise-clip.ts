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
  /**
   * How far each sample strays from mid-grey, 1–128; 128 (the default) is the full range. Weaker noise needs fewer
   * bits for the same quality, so a larger picture fits a cap without the encoder scaling it down.
   */
  noise?: number;
}

/** The full range: every byte random. */
export const FULL_NOISE = 128;

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
  const noise = format.noise ?? FULL_NOISE;
  if (!Number.isInteger(noise) || noise < 1 || noise > FULL_NOISE) throw new Error(`noise ${noise}: expected 1–128`);
  if (width % 2 || height % 2) throw new Error(`clip size ${width}×${height} must be even for 4:2:0 chroma`);
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  out.write(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.alloc(width * height * 1.5);
  for (let index = 0; index < fps * seconds; index += 1) {
    randomFillSync(frame);
    if (noise < FULL_NOISE)
      for (let i = 0; i < frame.length; i += 1) frame[i] = 128 - noise + (frame[i]! % (2 * noise));
    out.write('FRAME\n');
    if (!out.write(frame)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

/** A file name that names the format, so clips of different formats never collide. */
export function clipFileName(format: ClipFormat): string {
  const noise = (format.noise ?? FULL_NOISE) < FULL_NOISE ? `-a${format.noise}` : '';
  return `noise-${format.width}x${format.height}-${format.fps}fps-${format.seconds}s${noise}.y4m`;
}
