import { describe, expect, it } from 'vitest';
import { resizeImage } from '../../src/engine/data/resize';

describe('resizeImage (H,W,C uint8)', () => {
  it('returns the image itself at the same size', () => {
    const src = Uint8Array.of(1, 2, 3, 4);
    expect(resizeImage(src, 2, 2, 1, 2, 2)).toBe(src);
  });

  it('4×4 → 2×2 averages each 2×2 block (area)', () => {
    const src = Uint8Array.of(0, 2, 10, 20, 4, 6, 30, 40, 100, 100, 7, 7, 100, 100, 9, 9);
    expect(Array.from(resizeImage(src, 4, 4, 1, 2, 2))).toEqual([3, 25, 100, 8]);
  });

  it('width 3 → 2 weights partly covered pixels by their overlap (area, scale 1.5)', () => {
    // Output 0 covers [0, 1.5): (1·0 + 0.5·30)/1.5 = 10; output 1 covers [1.5, 3): (0.5·30 + 1·60)/1.5 = 50.
    expect(Array.from(resizeImage(Uint8Array.of(0, 30, 60), 1, 3, 1, 1, 2))).toEqual([10, 50]);
  });

  it('width 2 → 4 interpolates between pixel centres, clamped at the edges (bilinear)', () => {
    // Output centres map to source x = −0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    expect(Array.from(resizeImage(Uint8Array.of(0, 100), 1, 2, 1, 1, 4))).toEqual([0, 25, 75, 100]);
  });

  it('resizes each channel of interleaved RGB separately, and mixes axes (2×2 → 1×3)', () => {
    const src = Uint8Array.of(10, 0, 200, 30, 0, 200, 50, 255, 0, 70, 255, 0);
    expect(Array.from(resizeImage(src, 2, 2, 3, 1, 1))).toEqual([40, 128, 100]);
    const wide = resizeImage(Uint8Array.of(0, 60, 100, 200), 2, 2, 1, 1, 3);
    // Rows average to [50, 130]; width 2 → 3 samples x = 0 (clamped −1/6), 0.5, 1 (clamped 7/6).
    expect(Array.from(wide)).toEqual([50, 90, 130]);
  });
});
