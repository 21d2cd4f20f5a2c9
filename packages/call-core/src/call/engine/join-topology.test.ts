import { describe, expect, it } from 'vitest';
import { joinTopology } from './join-topology.js';

describe('joinTopology', () => {
  it('keeps a fixed topology whatever the server says', () => {
    const hints = { settings: { joinTopology: 'sfu', topology: 'sfu' }, wanted: 'sfu', announced: 'sfu' } as const;
    expect(joinTopology('mesh', hints)).toBe('mesh');
    expect(joinTopology('sfu', { settings: {}, wanted: null, announced: undefined })).toBe('sfu');
  });

  it('starts where this join takes the call, before anything announced earlier', () => {
    const hints = { settings: { joinTopology: 'sfu', topology: 'mesh' }, wanted: 'mesh', announced: 'mesh' } as const;
    expect(joinTopology('auto', hints)).toBe('sfu');
  });

  it('falls back to the last call-topology, then the joined announcement, then the settings, then mesh', () => {
    expect(joinTopology('auto', { settings: { topology: 'mesh' }, wanted: 'sfu', announced: 'mesh' })).toBe('sfu');
    expect(joinTopology('auto', { settings: { topology: 'mesh' }, wanted: null, announced: 'sfu' })).toBe('sfu');
    expect(joinTopology('auto', { settings: { topology: 'sfu' }, wanted: null, announced: undefined })).toBe('sfu');
    expect(joinTopology('auto', { settings: {}, wanted: null, announced: undefined })).toBe('mesh');
  });
});
