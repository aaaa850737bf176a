/**
 * The layer path's block layers on the wasm kernels give bit-identical results on 1, 2 and 3 threads: shapes big
 * enough that every pass splits (batch norm by 8-sample chunks for its sums and by samples for its elementwise
 * passes, global average pooling by planes, leaky ReLU and the residual sum by element ranges), with a batch
 * that is not a multiple of the chunk or the thread count.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setKernelThreads } from '../../src/engine/kernels/backend';
import { startNodeKernelThread } from '../../src/node/node-kernel-threads';
import { type BlockPassCase, type BlockPassResult, runBlockPasses } from './block-layer-passes';

/** 20·8·70·71 ≈ 795k values: enough work for three threads (kernel-thread-pool.ts, MIN_WORK_PER_THREAD). */
const SHAPE = [20, 8, 70, 71];

const CASES: BlockPassCase[] = [
  { spec: { type: 'batchnorm' }, mode: 'train', shape: SHAPE, seed: 11 },
  { spec: { type: 'batchnorm' }, mode: 'eval', shape: SHAPE, seed: 12 },
  { spec: { type: 'batchnorm' }, mode: 'train', shape: [19, 41_000], seed: 13 },
  { spec: { type: 'leakyrelu', negativeSlope: 0.1 }, mode: 'train', shape: SHAPE, seed: 14 },
  { spec: { type: 'globalavgpool' }, mode: 'eval', shape: SHAPE, seed: 15 },
  { spec: { type: 'residual', body: [{ type: 'leakyrelu' }] }, mode: 'train', shape: SHAPE, seed: 16 },
  {
    spec: { type: 'residual', body: [{ type: 'batchnorm' }], shortcut: [{ type: 'batchnorm' }] },
    mode: 'eval',
    shape: SHAPE,
    seed: 17,
  },
];

function expectBitIdentical(actual: BlockPassResult, expected: BlockPassResult): void {
  const bytes = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  expect(bytes(actual.y).equals(bytes(expected.y)), 'y').toBe(true);
  expect(bytes(actual.dx).equals(bytes(expected.dx)), 'dx').toBe(true);
  for (const [i, grad] of actual.grads.entries())
    expect(bytes(grad).equals(bytes(expected.grads[i])), `grad ${i}`).toBe(true);
  for (const [i, buffer] of actual.buffers.entries()) {
    expect(bytes(buffer).equals(bytes(expected.buffers[i])), `buffer ${i}`).toBe(true);
  }
}

afterEach(async () => {
  await setKernelThreads(1, startNodeKernelThread);
});

describe('block layers on the wasm kernels, several threads', () => {
  it.each(CASES.map((c) => [`${c.spec.type} ${c.mode} [${c.shape.join(', ')}]`, c] as const))(
    '%s: bit-identical on 1, 2 and 3 threads',
    async (_, c) => {
      const single = runBlockPasses('wasm', c);
      expect(single.y.some((v) => v !== 0)).toBe(true);
      for (const threads of [2, 3]) {
        await expect(setKernelThreads(threads, startNodeKernelThread)).resolves.toBe(threads);
        expectBitIdentical(runBlockPasses('wasm', c), single);
      }
    },
  );
});
