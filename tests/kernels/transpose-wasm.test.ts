/**
 * assembly/transpose.ts, which the training step runs on every dense weight once per step (the chunks then read
 * Wᵀ in place): an exact copy, checked value for value against a JavaScript transpose on shapes with and
 * without 4×4 blocks and their edges, and leaving the memory around the destination untouched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { activeWasmKernels } from './compare-backends';

/** Transposes a random [rows, cols] matrix in wasm memory; returns it, the result and the guard after dst. */
function transposeInWasm(rows: number, cols: number, seed: number) {
  const k = activeWasmKernels();
  const size = rows * cols;
  const guard = 8;
  k.reserve(2 * size + guard + 8);
  const heap = k.heap;
  const src = k.scratchStart / 4;
  const dst = src + size + 4 - (size % 4);
  const rng = new Rng(seed);
  const matrix = Float32Array.from({ length: size }, () => rng.nextFloat() * 200 - 100);
  heap.set(matrix, src);
  heap.fill(Number.NaN, dst, dst + size + guard);
  k.exports.transpose(rows, cols, src * 4, dst * 4);
  return { matrix, result: heap.slice(dst, dst + size), after: heap.slice(dst + size, dst + size + guard) };
}

function transposeInJs(matrix: Float32Array, rows: number, cols: number): Float32Array {
  const transposed = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) transposed[c * rows + r] = matrix[r * cols + c];
  return transposed;
}

describe('wasm transpose', () => {
  it.each([
    [1, 1],
    [4, 4],
    [3, 5],
    [8, 12],
    [7, 9],
    [64, 256],
    [10, 64],
    [128, 3136],
  ])('transposes a %i × %i matrix exactly', (rows, cols) => {
    const { matrix, result, after } = transposeInWasm(rows, cols, rows * 1000 + cols);
    expect(result).toEqual(transposeInJs(matrix, rows, cols));
    expect(after.every(Number.isNaN)).toBe(true);
  });

  it('on random shapes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 23 }), fc.integer({ min: 1, max: 23 }), (rows, cols) => {
        const { matrix, result } = transposeInWasm(rows, cols, 5);
        expect(result).toEqual(transposeInJs(matrix, rows, cols));
      }),
    );
  });
});
