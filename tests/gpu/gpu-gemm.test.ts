/**
 * The GEMM kernel on shapes that do not fill its 32×32 tiles, with transposed and batch-folded views, bias and
 * accumulation, and a long k that is split into parts (then summed in a fixed order): against float64 sums.
 */
import { describe, expect, it } from 'vitest';
import { GpuContext } from '../../src/engine/gpu/gpu-context';
import { gemm } from '../../src/engine/gpu/kernels/gemm';
import { Rng } from '../../src/engine/rng';
import { expectValuesClose } from '../engine/fixtures';
import { testGpu } from './gpu-device';

const gpu = await testGpu();

function random(count: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: count }, () => rng.nextFloat() * 2 - 1);
}

describe.skipIf(typeof gpu === 'string')('GPU GEMM', () => {
  for (const [m, n, k] of [
    [5, 7, 3000],
    [33, 1, 17],
    [1, 65, 600],
  ]) {
    it(`C[${m},${n}] += Aᵀ·B + bias with k=${k} (A stored transposed)`, async () => {
      if (typeof gpu === 'string') return;
      const rng = new Rng(m * 1000 + n);
      const aT = random(k * m, rng); // stored [k, m]
      const b = random(k * n, rng); // [k, n]
      const c0 = random(m * n, rng);
      const bias = random(n, rng);
      const ctx = new GpuContext(gpu.device);
      try {
        const buffers = [aT, b, c0, bias].map((values, i) => {
          const buffer = ctx.storage(values.length, `operand ${i}`);
          ctx.write({ buffer, offset: 0 }, values);
          return buffer;
        });
        const dispatches = gemm(ctx, {
          m,
          n,
          k,
          a: { buffer: buffers[0], base: 0, rowStride: 1, colStride: m },
          b: { buffer: buffers[1], base: 0, rowStride: n, colStride: 1 },
          c: { buffer: buffers[2], base: 0, rowStride: n, colStride: 1 },
          accumulate: true,
          bias: { buffer: buffers[3], base: 0, per: 'column' },
        });
        expect(dispatches.length, 'split into parts').toBe(k >= 512 ? 2 : 1);
        ctx.run(dispatches);
        const actual = await ctx.read({ buffer: buffers[2], offset: 0 }, m * n);
        const expected = new Float64Array(m * n);
        for (let r = 0; r < m; r++) {
          for (let col = 0; col < n; col++) {
            let sum = c0[r * n + col] + bias[col];
            for (let i = 0; i < k; i++) sum += aT[i * m + r] * b[i * n + col];
            expected[r * n + col] = sum;
          }
        }
        expectValuesClose(actual, expected, { rtol: 1e-4, atol: 1e-4 }, 'C');
      } finally {
        ctx.dispose();
      }
    });
  }
});
