import { describe, expect, it } from 'vitest';
import { Cleanup } from './cleanup.js';

describe('cleanup', () => {
  it('stops everything newest first, once', async () => {
    const cleanup = new Cleanup();
    const order: string[] = [];
    cleanup.add('server', () => {
      order.push('server');
    });
    cleanup.add('browser', () => {
      order.push('browser');
    });
    await Promise.all([cleanup.run(), cleanup.run()]);
    expect(order).toEqual(['browser', 'server']);
  });

  it('stops at once what is started after stopping began', async () => {
    const cleanup = new Cleanup();
    await cleanup.run();
    let stopped = false;
    cleanup.add('late browser', () => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(stopped).toBe(true);
    expect(cleanup.stopping).toBe(true);
  });
});
