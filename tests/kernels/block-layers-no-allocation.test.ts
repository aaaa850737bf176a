/**
 * The block layers' layer-by-layer passes on the wasm kernels allocate nothing once shapes are known: a network of
 * batch norms, residual blocks (identity and projection), leaky ReLU and global average pooling, evaluated and
 * trained layer by layer on a batch of one chunk (4 samples), grows neither wasm memory nor the JS heap beyond
 * V8's own bookkeeping (the allowance of no-allocation.test.ts) across 200 steps; one activation of the first
 * layer alone is 4 × 8 × 12 × 12 floats = 18 KB.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setKernelBackend } from '../../src/engine/kernels/backend';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { LayerSpec, NetworkSpec } from '../../src/engine/spec/types';
import { tensor } from '../../src/engine/tensor';
import { randomValues } from './compare-backends';
import { measureSteps } from './step-allocations';

const ALLOWANCE_PER_STEP = 8192;

const convBn = (filters: number, stride = 1): LayerSpec[] => [
  { type: 'conv2d', filters, kernelSize: 3, stride, padding: 1, bias: false },
  { type: 'batchnorm' },
];

const SPEC: NetworkSpec = {
  input: { channels: 2, height: 12, width: 12 },
  layers: [
    ...convBn(8),
    { type: 'leakyrelu' },
    { type: 'residual', body: [...convBn(8), { type: 'relu' }, ...convBn(8)] },
    {
      type: 'residual',
      body: [...convBn(16, 2), { type: 'leakyrelu', negativeSlope: 0.2 }, ...convBn(16)],
      shortcut: [{ type: 'conv2d', filters: 16, kernelSize: 1, stride: 2, bias: false }, { type: 'batchnorm' }],
    },
    { type: 'globalavgpool' },
    { type: 'dense', units: 10 },
  ],
  loss: 'softmax-cross-entropy',
};

afterEach(() => setKernelBackend('auto'));

describe('the block layers allocate nothing layer by layer', () => {
  it('evaluation and training of a batch of one chunk: no wasm memory growth, no JS heap growth', () => {
    setKernelBackend('wasm');
    const network = buildNetwork(SPEC, new Rng(3));
    const x = tensor([4, 2, 12, 12], randomValues(4 * 2 * 144, new Rng(4)));
    const labels = Int32Array.from([1, 7, 3, 0]);
    const step = () => {
      network.forward(x, 'eval');
      const y = network.forward(x, 'train');
      network.loss.forward(y, labels);
      network.zeroGrad();
      network.backward(network.loss.backward());
    };
    const { heapBytesPerStep, wasmGrowth } = measureSteps(step);
    console.log(`block layers, layer by layer: ${heapBytesPerStep.toFixed(0)} bytes of JS heap per step`);
    expect(wasmGrowth).toBe(0);
    expect(heapBytesPerStep).toBeLessThan(ALLOWANCE_PER_STEP);
    expect(network.buffers.find((b) => b.name.endsWith('num_batches_tracked'))?.data[0]).toBe(600);
  });
});
