/**
 * gemm packs B's panels three ways: row-major B with vector copies, a transposed B (rows adjacent, as a weight
 * gradient's dyᵀ or a dense layer's Wᵀ) through 4×4 register transposes, and any other strides one value at a
 * time. Packing only copies, so a product must come out bit for bit the same whichever way its B is laid out:
 * checked on random shapes with depths and widths that leave partial panels and rows past the last block of four,
 * with the A and C strides the kernels use, against the same product with B row-major.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { activeWasmKernels } from './compare-backends';

type Layout = 'row-major' | 'transposed' | 'strided';

/** C = A · B for B [k, n] stored in `layout`; A [m, k] row-major, C [m, n] written from zero. */
function product(m: number, n: number, k: number, layout: Layout, seed: number): Float32Array {
  const w = activeWasmKernels();
  // strided: B[p, j] at p · (2n + 1) + 2j, neither rows nor columns adjacent
  const bFloats = layout === 'strided' ? k * (2 * n + 1) : k * n;
  const pack = w.exports.packSize(n);
  w.reserve(m * k + bFloats + m * n + pack + 16);
  const heap = w.heap;
  const a = w.scratchStart / 4;
  const b = a + m * k + 4 - ((m * k) % 4);
  const c = b + bFloats + 4 - (bFloats % 4);
  const p = c + m * n + 4 - ((m * n) % 4);
  const rng = new Rng(seed);
  for (let i = 0; i < m * k; i++) heap[a + i] = rng.nextFloat() * 2 - 1;
  const [bRow, bCol] = layout === 'row-major' ? [n, 1] : layout === 'transposed' ? [1, k] : [2 * n + 1, 2];
  for (let row = 0; row < k; row++) {
    for (let j = 0; j < n; j++) heap[b + row * bRow + j * bCol] = rng.nextFloat() * 2 - 1;
  }
  w.exports.gemm(m, n, k, a * 4, k, 1, b * 4, bRow, bCol, c * 4, n, 0, p * 4);
  return heap.slice(c, c + m * n);
}

describe('gemm packing', () => {
  it('gives the same bits for a row-major, a transposed and a strided B', () => {
    fc.assert(
      fc.property(
        // more than 16 rows: B is packed rather than read in place
        fc.integer({ min: 17, max: 40 }),
        fc.integer({ min: 1, max: 37 }),
        // depths past one 256-deep block too
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 1000 }),
        (m, n, k, seed) => {
          const rowMajor = product(m, n, k, 'row-major', seed);
          expect(product(m, n, k, 'transposed', seed)).toEqual(rowMajor);
          expect(product(m, n, k, 'strided', seed)).toEqual(rowMajor);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('multiplies a hand-checked transposed product', () => {
    // A [17, 4] with row i = [i + 1, 2, 1, 3]; B [4, 8] with columns j = [j, 10j, 100, −j], stored transposed
    const w = activeWasmKernels();
    w.reserve(17 * 4 + 32 + 17 * 8 + w.exports.packSize(8) + 16);
    const heap = w.heap;
    const a = w.scratchStart / 4;
    const b = a + 17 * 4;
    const c = b + 32;
    const p = c + 17 * 8;
    for (let i = 0; i < 17; i++) heap.set([i + 1, 2, 1, 3], a + 4 * i);
    for (let j = 0; j < 8; j++) heap.set([j, 10 * j, 100, -j], b + 4 * j);
    w.exports.gemm(17, 8, 4, a * 4, 4, 1, b * 4, 1, 4, c * 4, 8, 0, p * 4);
    for (let i = 0; i < 17; i++) {
      for (let j = 0; j < 8; j++) expect(heap[c + 8 * i + j]).toBe((i + 1) * j + 20 * j + 100 - 3 * j);
    }
  });
});
