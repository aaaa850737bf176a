import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/data/dataset';
import { computeNormalization } from '../../src/engine/data/normalize';

describe('per-channel normalization statistics', () => {
  // Two 2-channel 1×2 samples. Channel 0 holds 0, 255, 255, 255; channel 1 holds 51 everywhere.
  const ds: Dataset = {
    count: 2,
    shape: { channels: 2, height: 1, width: 2 },
    pixels: Uint8Array.of(0, 255, 51, 51, 255, 255, 51, 51),
    labels: Int32Array.of(0, 0),
    classNames: ['a'],
  };

  it('uint8: mean and population std in the [0,1] scale; a constant channel gets std 1', () => {
    const { mean, std } = computeNormalization(ds);
    expect(mean[0]).toBeCloseTo(0.75, 12);
    expect(std[0]).toBeCloseTo(Math.sqrt(0.1875), 12);
    expect(mean[1]).toBeCloseTo(0.2, 12);
    expect(std[1]).toBe(1);
  });

  it('only over the given training indices', () => {
    const { mean, std } = computeNormalization(ds, [1]);
    expect(mean[0]).toBeCloseTo(1, 12);
    expect(std[0]).toBe(1);
  });

  it('float32 as stored, accurately far from zero', () => {
    const floats: Dataset = {
      ...ds,
      shape: { channels: 1, height: 1, width: 4 },
      count: 1,
      pixels: Float32Array.of(1e4 + 1, 1e4 - 1, 1e4 + 1, 1e4 - 1),
    };
    const { mean, std } = computeNormalization(floats);
    expect(mean[0]).toBeCloseTo(1e4, 9);
    expect(std[0]).toBeCloseTo(1, 9);
  });
});
