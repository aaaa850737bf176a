/**
 * The wasm SIMD relu against the TypeScript reference: forward and input gradient must be bit-identical (not
 * merely close) on any values, including −0, NaN, infinities and subnormals, and on lengths that leave a scalar
 * tail after the last 4-lane vector. Batches of different sizes go through one layer, as at the end of an epoch.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type KernelBackendChoice, setKernelBackend } from '../../src/engine/kernels/backend';
import { Relu } from '../../src/engine/layers/relu';
import { tensor } from '../../src/engine/tensor';

function runRelu(
  backend: KernelBackendChoice,
  features: number,
  batches: { x: Float32Array; dy: Float32Array }[],
): Uint32Array[] {
  setKernelBackend(backend);
  try {
    const layer = new Relu(0, [features]);
    const results: Uint32Array[] = [];
    for (const { x, dy } of batches) {
      const n = x.length / features;
      const y = layer.forward(tensor([n, features], x));
      results.push(new Uint32Array(y.data.slice().buffer));
      const dx = layer.backward(tensor([n, features], dy), true);
      if (dx === null) throw new Error('no input gradient');
      results.push(new Uint32Array(dx.data.slice().buffer));
    }
    return results;
  } finally {
    setKernelBackend('auto');
  }
}

describe('wasm relu matches the TypeScript relu bit for bit', () => {
  it('on random values, lengths and batch sizes', () => {
    const values = (length: number) => fc.float32Array({ minLength: length, maxLength: length });
    const reluCase = fc
      .record({
        features: fc.integer({ min: 1, max: 37 }),
        sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
      })
      .chain(({ features, sizes }) =>
        fc.record({
          features: fc.constant(features),
          batches: fc.tuple(...sizes.map((n) => fc.record({ x: values(n * features), dy: values(n * features) }))),
        }),
      );
    fc.assert(
      fc.property(reluCase, ({ features, batches }) => {
        expect(runRelu('wasm', features, batches)).toEqual(runRelu('typescript', features, batches));
      }),
    );
  });

  it('gives +0 for −0 and NaN inputs and a zero gradient at x = 0, as the reference and PyTorch', () => {
    const x = Float32Array.from([-0, 0, Number.NaN, -1, 2, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    const dy = Float32Array.from([1, 2, 3, 4, 5, 6, 7]);
    const [y, dx] = runRelu('wasm', x.length, [{ x, dy }]);
    expect(Array.from(new Float32Array(y.buffer))).toEqual([0, 0, 0, 0, 2, Number.POSITIVE_INFINITY, 0]);
    expect(Object.is(new Float32Array(y.buffer)[0], 0)).toBe(true);
    expect(Array.from(new Float32Array(dx.buffer))).toEqual([0, 0, 0, 0, 5, 6, 0]);
  });
});
