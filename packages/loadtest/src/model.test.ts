import { describe, expect, it } from 'vitest';
import { meshModel, ratio, sfuModel } from './model.js';

describe('the bandwidth model', () => {
  it('expects b × (n − 1) each way in a mesh', () => {
    expect(meshModel(1, 6)).toEqual({ upMbps: 5, downMbps: 5 });
  });

  it('expects one upload whatever n through an SFU, and one top layer from each other participant', () => {
    expect(sfuModel(1.2, [1, 1, 1])).toEqual({ upMbps: 1.2, downMbps: 3 });
  });

  it('has no ratio when the model expects nothing', () => {
    expect(ratio(0.3, 0)).toBeNull();
    expect(ratio(0.9, 1)).toBeCloseTo(0.9);
  });
});
