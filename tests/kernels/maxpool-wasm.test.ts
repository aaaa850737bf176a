/**
 * The wasm max-pool's four-windows-at-a-time SIMD path (2×2 windows, stride 2) against the TypeScript reference:
 * identical values, winners and input gradients, on widths that leave scalar tails, odd input sizes, ties (values
 * on a coarse grid) and the special values whose order rules differ between compare instructions (NaN, ±∞, −0).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomGrid, runMaxPool } from './compare-backends';

const SPECIALS = [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -0];

describe('wasm 2×2 stride-2 max-pool matches the TypeScript max-pool', () => {
  it('on random shapes with ties and special values', () => {
    const poolCase = fc.record({
      batch: fc.integer({ min: 1, max: 2 }),
      channels: fc.integer({ min: 1, max: 3 }),
      height: fc.integer({ min: 2, max: 9 }),
      width: fc.integer({ min: 8, max: 23 }),
      specials: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...SPECIALS)), { maxLength: 6 }),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(poolCase, (c) => {
        const shape = [c.batch, c.channels, c.height, c.width];
        const values = randomGrid(c.batch * c.channels * c.height * c.width, c.seed);
        for (const [at, value] of c.specials) values[at % values.length] = value;
        const spec = { type: 'maxpool2d', poolSize: 2 } as const;
        const reference = runMaxPool('typescript', spec, shape, values);
        const wasm = runMaxPool('wasm', spec, shape, values);
        expect(wasm.y).toEqual(reference.y);
        expect(wasm.argmax).toEqual(reference.argmax);
        expect(wasm.dx).toEqual(reference.dx);
      }),
      { numRuns: 80 },
    );
  });

  it('resolves each lane of a SIMD step on its own: first maximum, NaN, −∞ everywhere', () => {
    // four windows in one row pair, each testing a different rule
    const top = [1, 1, Number.NaN, 5, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, 2];
    const bottom = [0, 1, 7, Number.NaN, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, 2, 2];
    const { y, argmax } = runMaxPool(
      'wasm',
      { type: 'maxpool2d', poolSize: 2 },
      [1, 1, 2, 8],
      Float32Array.from([...top, ...bottom]),
    );
    expect(y[0]).toBe(1);
    expect(Number.isNaN(y[1])).toBe(true);
    expect(y[2]).toBe(Number.NEGATIVE_INFINITY);
    expect(y[3]).toBe(2);
    // ties go to the first maximum; a later NaN replaces an earlier one; all −∞ keeps the top-left
    expect(Array.from(argmax)).toEqual([0, 11, 4, 7]);
  });
});
