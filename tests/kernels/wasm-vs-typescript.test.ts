/**
 * The wasm SIMD kernels against the TypeScript reference kernels on random shapes (fast-check), forward and
 * both backward passes, within float32 tolerance. Shapes cover the gemm edges: channel, pixel and feature
 * counts that are not multiples of the 4×8 register block, k beyond one 256-deep packing block, stride and
 * padding.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activeKernelBackend, setKernelBackend } from '../../src/engine/kernels/backend';
import { windowOutputSize } from '../../src/engine/spec/types';
import { expectBackendsAgree, randomGrid, runMaxPool } from './compare-backends';

describe('wasm kernels match the TypeScript kernels', () => {
  it('selects the wasm kernels automatically in Node', () => {
    expect(activeKernelBackend()).toBe('wasm');
    setKernelBackend('typescript');
    expect(activeKernelBackend()).toBe('typescript');
    setKernelBackend('auto');
    expect(activeKernelBackend()).toBe('wasm');
  });

  it('conv2d on random shapes, strides and padding', () => {
    const convCase = fc
      .record({
        batch: fc.integer({ min: 1, max: 3 }),
        inChannels: fc.integer({ min: 1, max: 6 }),
        filters: fc.integer({ min: 1, max: 13 }),
        height: fc.integer({ min: 1, max: 12 }),
        width: fc.integer({ min: 1, max: 12 }),
        kernelSize: fc.integer({ min: 1, max: 5 }),
        stride: fc.integer({ min: 1, max: 3 }),
        padding: fc.integer({ min: 0, max: 2 }),
        seed: fc.integer({ min: 0, max: 1_000_000 }),
      })
      .filter(
        (c) =>
          windowOutputSize(c.height, c.kernelSize, c.stride, c.padding) >= 1 &&
          windowOutputSize(c.width, c.kernelSize, c.stride, c.padding) >= 1,
      );
    fc.assert(
      fc.property(convCase, (c) => {
        const spec = {
          type: 'conv2d',
          filters: c.filters,
          kernelSize: c.kernelSize,
          stride: c.stride,
          padding: c.padding,
        } as const;
        expectBackendsAgree(spec, [c.batch, c.inChannels, c.height, c.width], c.seed, c.inChannels * c.kernelSize ** 2);
      }),
      { numRuns: 60 },
    );
  });

  it('conv2d x=[2,32,14,14] k=3 p=1 → 64 (workload B, k = 288 spans two packing blocks)', () => {
    expectBackendsAgree({ type: 'conv2d', filters: 64, kernelSize: 3, padding: 1 }, [2, 32, 14, 14], 11, 288);
  });

  it('dense on random sizes', () => {
    const denseCase = fc.record({
      batch: fc.integer({ min: 1, max: 9 }),
      features: fc.integer({ min: 1, max: 300 }),
      units: fc.integer({ min: 1, max: 21 }),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(denseCase, (c) => {
        expectBackendsAgree({ type: 'dense', units: c.units }, [c.batch, c.features], c.seed, c.features);
      }),
      { numRuns: 60 },
    );
  });

  it('maxpool2d on random shapes, overlapping windows and ties: identical values and winners', () => {
    const poolCase = fc
      .record({
        batch: fc.integer({ min: 1, max: 3 }),
        channels: fc.integer({ min: 1, max: 4 }),
        height: fc.integer({ min: 1, max: 11 }),
        width: fc.integer({ min: 1, max: 11 }),
        poolSize: fc.integer({ min: 1, max: 3 }),
        stride: fc.integer({ min: 1, max: 3 }),
        seed: fc.integer({ min: 0, max: 1_000_000 }),
      })
      .filter((c) => c.poolSize <= c.height && c.poolSize <= c.width);
    fc.assert(
      fc.property(poolCase, (c) => {
        // values on a coarse grid so that windows hold ties, which must go to the first maximum
        const shape = [c.batch, c.channels, c.height, c.width];
        const values = randomGrid(
          shape.reduce((a, b) => a * b, 1),
          c.seed,
        );
        const spec = { type: 'maxpool2d', poolSize: c.poolSize, stride: c.stride } as const;
        const reference = runMaxPool('typescript', spec, shape, values);
        const wasm = runMaxPool('wasm', spec, shape, values);
        expect(wasm.y).toEqual(reference.y);
        expect(wasm.argmax).toEqual(reference.argmax);
        expect(wasm.dx).toEqual(reference.dx);
      }),
      { numRuns: 60 },
    );
  });

  it('maxpool2d lets a NaN win its window, as PyTorch does', () => {
    const values = Float32Array.from([1, Number.NaN, 3, 2]);
    const { y, argmax } = runMaxPool('wasm', { type: 'maxpool2d', poolSize: 2 }, [1, 1, 2, 2], values);
    expect(Number.isNaN(y[0])).toBe(true);
    expect(argmax[0]).toBe(1);
  });
});
