import { describe, expect, it } from 'vitest';
import { KeyedSerialQueue, SerialQueue } from './serial-queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('SerialQueue', () => {
  it('runs awaiting tasks one at a time, in the order they were queued', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const task = (name: string, waits: number) => async () => {
      log.push(`${name} start`);
      for (let i = 0; i < waits; i++) await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([queue.run(task('a', 3)), queue.run(task('b', 0)), queue.run(task('c', 1))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('keeps running the tasks after one that fails, and hands the failure to its caller', async () => {
    const queue = new SerialQueue();
    const failed = queue.run(async () => {
      throw new Error('boom');
    });
    const next = queue.run(() => 'after');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
    expect(queue.idle).toBe(true);
  });

  it('is idle only while nothing is queued or running', async () => {
    const queue = new SerialQueue();
    expect(queue.idle).toBe(true);
    const running = queue.run(tick);
    expect(queue.idle).toBe(false);
    await running;
    expect(queue.idle).toBe(true);
  });
});

describe('KeyedSerialQueue', () => {
  it('orders the tasks of one key, runs other keys side by side, and forgets idle keys', async () => {
    const queues = new KeyedSerialQueue();
    const log: string[] = [];
    let release: () => void = () => {};
    const blocked = queues.run('a', () =>
      new Promise<void>((resolve) => (release = resolve)).then(() => log.push('a1')),
    );
    const second = queues.run('a', () => log.push('a2'));
    await queues.run('b', () => log.push('b1'));
    expect(log).toEqual(['b1']); // b did not wait for a
    expect(queues.size).toBe(1);
    release();
    await Promise.all([blocked, second]);
    expect(log).toEqual(['b1', 'a1', 'a2']);
    expect(queues.size).toBe(0);
  });
});
