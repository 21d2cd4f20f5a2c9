import { describe, expect, it } from 'vitest';
import { viewportFor } from './call-run.js';

describe('viewportFor', () => {
  it('fits seven 320×240 remote videos, which the default 800×600 viewport cannot', () => {
    const viewport = viewportFor(7, { width: 320, height: 240 });
    const columns = Math.floor(viewport.width / 320);
    const rows = Math.floor(viewport.height / 240);
    expect(columns * rows).toBeGreaterThanOrEqual(7);
    expect(viewport.width * viewport.height).toBeGreaterThan(800 * 600);
  });

  it('still gives one tile of room to a participant alone', () => {
    expect(viewportFor(0, { width: 320, height: 240 })).toEqual({ width: 328, height: 248 });
  });
});
