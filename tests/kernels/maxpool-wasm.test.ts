/**
 * The wasm max-pool's four-windows-at-a-time SIMD path (2×2 windows, stride 2) against the TypeScript reference:
 * identical values, winners and input gradients, on rows too narrow for it, rows ending in an overlapping step,
 * odd input sizes, ties (values on a coarse grid) and the special values whose order rules differ between compare
 * instructions (NaN, ±∞, −0).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setKernelBackend } from '../../src/engine/kernels/backend';
import { createLayer } from '../../src/engine/layers/create-layer';
import { Rng } from '../../src/engine/rng';
import type { LayerSpec } from '../../src/engine/spec/types';
import { tensor } from '../../src/engine/tensor';
import { randomGrid, runMaxPool } from './compare-backends';

const SPECIALS = [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -0];

describe('wasm 2×2 stride-2 max-pool matches the TypeScript max-pool', () => {
  it('on random shapes with ties and special values', () => {
    const poolCase = fc.record({
      batch: fc.integer({ min: 1, max: 2 }),
      channels: fc.integer({ min: 1, max: 3 }),
      height: fc.integer({ min: 2, max: 9 }),
      // under 8 columns a row has fewer than four windows (scalar); wider rows not a multiple of 8 end overlapping
      width: fc.integer({ min: 2, max: 23 }),
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

/** The input gradient for the deltas `dy` after a forward of `values`, on the chosen backend. */
function maxPoolInputGradient(
  backend: 'wasm' | 'typescript',
  spec: LayerSpec,
  shape: readonly number[],
  values: Float32Array,
  dy: Float32Array,
): Float32Array {
  setKernelBackend(backend);
  try {
    const layer = createLayer(spec, 0, shape.slice(1), new Rng(0));
    const y = layer.forward(tensor(shape, values), 'train');
    const dx = layer.backward(tensor(y.shape, dy.subarray(0, y.data.length)), true);
    if (dx === null) throw new Error('no input gradient');
    return dx.data.slice();
  } finally {
    setKernelBackend('auto');
  }
}

const bytes = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

describe('wasm max-pool backward (a gather) matches the TypeScript scatter bit for bit', () => {
  it('on random windows, strides (overlapping and with gaps), ties, and deltas with −0, NaN and ±∞', () => {
    const deltaSpecials = [-0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const poolCase = fc
      .record({
        batch: fc.integer({ min: 1, max: 2 }),
        channels: fc.integer({ min: 1, max: 3 }),
        height: fc.integer({ min: 1, max: 13 }),
        width: fc.integer({ min: 1, max: 21 }),
        poolSize: fc.integer({ min: 1, max: 4 }),
        stride: fc.integer({ min: 1, max: 4 }),
        specials: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...deltaSpecials)), { maxLength: 6 }),
        seed: fc.integer({ min: 0, max: 1_000_000 }),
      })
      .filter((c) => c.poolSize <= c.height && c.poolSize <= c.width);
    fc.assert(
      fc.property(poolCase, (c) => {
        const shape = [c.batch, c.channels, c.height, c.width];
        const size = c.batch * c.channels * c.height * c.width;
        const values = randomGrid(size, c.seed);
        const rng = new Rng(c.seed + 1);
        // deltas of both signs: a sum over overlapping windows then depends on its order
        const dy = Float32Array.from({ length: size }, () => rng.nextFloat() * 2 - 1);
        for (const [at, value] of c.specials) dy[at % size] = value;
        const spec = { type: 'maxpool2d', poolSize: c.poolSize, stride: c.stride } as const;
        const reference = maxPoolInputGradient('typescript', spec, shape, values, dy);
        const wasm = maxPoolInputGradient('wasm', spec, shape, values, dy);
        expect(bytes(wasm).equals(bytes(reference))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('gives a 2×2 window delta of −0 as +0 and zeroes the inputs past the last window', () => {
    // 3×9 input: one row of four 2×2 windows (the SIMD path) plus a ninth column and a third row no window covers
    const values = Float32Array.from({ length: 27 }, (_, i) => (i * 7) % 5);
    const dy = Float32Array.from([-0, 2, 3, 4]);
    const dx = maxPoolInputGradient('wasm', { type: 'maxpool2d', poolSize: 2 }, [1, 1, 3, 9], values, dy);
    const reference = maxPoolInputGradient('typescript', { type: 'maxpool2d', poolSize: 2 }, [1, 1, 3, 9], values, dy);
    expect(bytes(dx).equals(bytes(reference))).toBe(true);
    expect(
      Object.is(
        dx.reduce((sum, v) => sum + v, 0),
        9,
      ),
    ).toBe(true);
    expect(Array.from(dx).some((v) => Object.is(v, -0))).toBe(false);
  });
});
