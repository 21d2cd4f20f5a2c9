import { describe, expect, it } from 'vitest';
import { meshExceedsCapFrom, pickSubnet, qdiscCommands, shapingLabel } from './shaping.js';

describe('network shaping', () => {
  it('caps the upload with a token bucket alone when neither delay nor loss is asked for', () => {
    expect(qdiscCommands('eth0', { uplinkKbps: 2500 })).toEqual([
      [
        'qdisc',
        'add',
        'dev',
        'eth0',
        'root',
        'handle',
        '1:',
        'tbf',
        'rate',
        '2500kbit',
        'burst',
        '3200',
        'latency',
        '100ms',
      ],
    ]);
  });

  it('sizes the bucket to 10 ms at high rates', () => {
    const [tbf] = qdiscCommands('eth0', { uplinkKbps: 100_000 });
    expect(tbf![tbf!.indexOf('burst') + 1]).toBe('125000');
  });

  it('puts delay and loss in netem, with the cap beneath it', () => {
    expect(qdiscCommands('eth0', { delayMs: 20, lossPercent: 1 })).toEqual([
      ['qdisc', 'add', 'dev', 'eth0', 'root', 'handle', '1:', 'netem', 'delay', '20ms', 'loss', '1%'],
    ]);
    const [netem, tbf] = qdiscCommands('eth0', { uplinkKbps: 400, delayMs: 50 });
    expect(netem).toEqual(['qdisc', 'add', 'dev', 'eth0', 'root', 'handle', '1:', 'netem', 'delay', '50ms']);
    expect(tbf!.slice(4, 9)).toEqual(['parent', '1:1', 'handle', '10:', 'tbf']);
  });

  it('labels runs by what was shaped', () => {
    expect(shapingLabel(undefined)).toBe('none');
    expect(shapingLabel({})).toBe('none');
    expect(shapingLabel({ uplinkKbps: 2500 })).toBe('up ≤ 2500 kbit/s');
    expect(shapingLabel({ uplinkKbps: 400, delayMs: 20, lossPercent: 1 })).toBe('up ≤ 400 kbit/s, +20 ms, 1 % loss');
  });

  it('expects a mesh to exceed the cap once b × (n − 1) is more than it', () => {
    expect(meshExceedsCapFrom(1000, 2500)).toBe(4);
    expect(meshExceedsCapFrom(1000, 3000)).toBe(5);
    expect(meshExceedsCapFrom(1000, 400)).toBe(2);
    expect(meshExceedsCapFrom(1000, undefined)).toBeUndefined();
  });

  it('picks a benchmarking /24 that no address or route on the machine overlaps', () => {
    expect(pickSubnet(['127.0.0.1/8', '192.0.2.2/24', 'default', '0.0.0.0/0'], 7)).toBe('198.18.7');
    expect(pickSubnet(['198.18.7.1/24', '198.18.8.0/24'], 7)).toBe('198.18.9');
    expect(pickSubnet(['198.18.0.0/22'], 0)).toBe('198.18.4');
    expect(pickSubnet(['198.18.7.20'], 7)).toBe('198.18.8');
    expect(pickSubnet(['198.18.255.0/24'], 255)).toBe('198.18.0');
    expect(() => pickSubnet(['198.18.0.0/15'], 3)).toThrow(/in use/);
  });
});
