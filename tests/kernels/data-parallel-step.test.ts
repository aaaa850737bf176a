/**
 * The data-parallel training step (src/engine/trainer/train-batch.ts, kernels/wasm/train-step-wasm.ts): one
 * fork-join per batch on the wasm kernels agrees with the layer-by-layer TypeScript reference (loss, outputs,
 * every gradient) on plain stacks with strides, padding, overlapping pools, a bias-free convolution, dropout
 * (the same masks from the same Rng), a flatten first and partial chunks; a batch of one chunk goes layer by layer; it is bit-identical on 1, 2 and 3 threads; networks it does not cover train layer by
 * layer; bad inputs and labels are refused as on the layer path.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setKernelBackend, setKernelThreads } from '../../src/engine/kernels/backend';
import { buildNetwork, type Network } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { type Tensor, tensor } from '../../src/engine/tensor';
import { type BatchResult, trainBatch } from '../../src/engine/trainer/train-batch';
import { startNodeKernelThread } from '../../src/node/node-kernel-threads';
import { expectValuesAgree, randomValues } from './compare-backends';

const CONV_STACK: NetworkSpec = {
  input: { channels: 2, height: 13, width: 12 },
  layers: [
    { type: 'conv2d', filters: 5, kernelSize: 3, padding: 1 },
    { type: 'relu' },
    { type: 'maxpool2d', poolSize: 3, stride: 2 },
    { type: 'conv2d', filters: 7, kernelSize: 3, stride: 2, bias: false },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 11 },
    { type: 'relu' },
    { type: 'dropout', rate: 0.3 },
    { type: 'dense', units: 4 },
  ],
  loss: 'softmax-cross-entropy',
};

const DENSE_FIRST: NetworkSpec = {
  input: { channels: 1, height: 5, width: 6 },
  layers: [
    { type: 'flatten' },
    { type: 'dropout', rate: 0 },
    { type: 'dense', units: 9 },
    { type: 'relu' },
    { type: 'dense', units: 3 },
  ],
  loss: 'softmax-cross-entropy',
};

/** 256 → 260 is 66,560 weights: enough for a weight gradient over the whole batch rather than per chunk. */
const LARGE_DENSE: NetworkSpec = {
  input: { channels: 1, height: 16, width: 16 },
  layers: [{ type: 'flatten' }, { type: 'dense', units: 260 }, { type: 'relu' }, { type: 'dense', units: 5 }],
  loss: 'softmax-cross-entropy',
};

/** 250 → 250 stays per chunk; at batch 72 (nine chunks) the chunk sum is large enough to split over threads. */
const MID_DENSE: NetworkSpec = {
  input: { channels: 1, height: 10, width: 25 },
  layers: [{ type: 'flatten' }, { type: 'dense', units: 250 }, { type: 'relu' }, { type: 'dense', units: 4 }],
  loss: 'softmax-cross-entropy',
};

const POOL_FIRST: NetworkSpec = {
  input: { channels: 3, height: 10, width: 10 },
  layers: [
    { type: 'maxpool2d', poolSize: 2 },
    { type: 'relu' },
    { type: 'conv2d', filters: 4, kernelSize: 5 },
    { type: 'flatten' },
    { type: 'dense', units: 6 },
  ],
  loss: 'softmax-cross-entropy',
};

interface Step {
  result: BatchResult;
  output: Float32Array;
  grads: Float32Array[];
  network: Network;
}

function batchFor(spec: NetworkSpec, batch: number, classes: number): { x: Tensor; labels: Int32Array } {
  const { channels, height, width } = spec.input;
  const rng = new Rng(batch);
  const x = tensor([batch, channels, height, width], randomValues(batch * channels * height * width, rng));
  const labels = Int32Array.from({ length: batch }, (_, n) => (n * 7 + 3) % classes);
  return { x, labels };
}

function trainOnce(backend: 'wasm' | 'typescript', spec: NetworkSpec, batch: number): Step {
  setKernelBackend(backend);
  const network = buildNetwork(spec, new Rng(3));
  const { x, labels } = batchFor(spec, batch, network.classes);
  // twice: the second step must not see anything the first one left in memory
  trainBatch(network, x, labels);
  const result = trainBatch(network, x, labels);
  return {
    result,
    output: result.output.data.slice(),
    grads: network.params.map((param) => param.grad.slice()),
    network,
  };
}

function expectBitIdentical(actual: Step, expected: Step): void {
  const bytes = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  expect(actual.result.loss).toBe(expected.result.loss);
  expect(bytes(actual.output).equals(bytes(expected.output)), 'output').toBe(true);
  for (const [i, grad] of actual.grads.entries()) {
    expect(bytes(grad).equals(bytes(expected.grads[i])), `grad ${i}`).toBe(true);
  }
}

afterEach(async () => {
  setKernelBackend('auto');
  await setKernelThreads(1, startNodeKernelThread);
});

describe('the data-parallel training step', () => {
  it.each([
    { name: 'conv stack, batch 21 (a partial chunk)', spec: CONV_STACK, batch: 21 },
    { name: 'conv stack, batch 9 (a chunk of one)', spec: CONV_STACK, batch: 9 },
    { name: 'flatten then dense, batch 17', spec: DENSE_FIRST, batch: 17 },
    { name: 'max-pool first, batch 12', spec: POOL_FIRST, batch: 12 },
    { name: 'a large dense layer, batch 19', spec: LARGE_DENSE, batch: 19 },
    { name: 'a chunk sum split over threads, batch 72', spec: MID_DENSE, batch: 72 },
  ])('$name: agrees with the layer-by-layer TypeScript reference', ({ spec, batch }) => {
    const wasm = trainOnce('wasm', spec, batch);
    const reference = trainOnce('typescript', spec, batch);
    // the wasm run took the data-parallel path: no layer ran its own backward
    expect(wasm.network.deltas.every((delta) => delta === null)).toBe(true);
    expect(reference.network.deltas.every((delta) => delta !== null)).toBe(true);
    expect(Math.abs(wasm.result.loss - reference.result.loss)).toBeLessThan(1e-5 * (1 + reference.result.loss));
    expectValuesAgree(wasm.output, reference.output, 64, 'output');
    for (const [i, grad] of wasm.grads.entries()) expectValuesAgree(grad, reference.grads[i], 256, `grad ${i}`);
    wasm.network.activations.forEach((activation, i) => {
      const expected = reference.network.activations[i] as Tensor;
      expect(activation?.shape).toEqual(expected.shape);
      expectValuesAgree((activation as Tensor).data, expected.data, 64, `activation ${i}`);
    });
  });

  it.each([
    { name: 'conv stack', spec: CONV_STACK, batch: 45 },
    { name: 'a large dense layer', spec: LARGE_DENSE, batch: 45 },
    { name: 'a chunk sum split over threads', spec: MID_DENSE, batch: 72 },
  ])('$name: bit-identical on 1, 2 and 3 threads', async ({ spec, batch }) => {
    const single = trainOnce('wasm', spec, batch);
    for (const threads of [2, 3]) {
      await expect(setKernelThreads(threads, startNodeKernelThread)).resolves.toBe(threads);
      expectBitIdentical(trainOnce('wasm', spec, batch), single);
    }
  });

  it('is unaffected by the per-layer kernels and another batch size using the memory between its steps', () => {
    // without dropout, whose masks the extra step would draw from the Rng
    const spec = { ...CONV_STACK, layers: CONV_STACK.layers.filter((layer) => layer.type !== 'dropout') };
    const plain = trainOnce('wasm', spec, 21);
    const network = buildNetwork(spec, new Rng(3));
    const { x, labels } = batchFor(spec, 21, network.classes);
    const other = batchFor(spec, 13, network.classes);
    trainBatch(network, x, labels);
    network.forward(batchFor(spec, 30, network.classes).x, 'eval');
    trainBatch(network, other.x, other.labels);
    const result = trainBatch(network, x, labels);
    expectBitIdentical(
      { result, output: result.output.data.slice(), grads: network.params.map((p) => p.grad.slice()), network },
      plain,
    );
  });

  it('copies out only the network output when the caller needs no other activation, with the same results', () => {
    // without dropout, so that a third step draws no other masks than the first two
    const spec = { ...CONV_STACK, layers: CONV_STACK.layers.filter((layer) => layer.type !== 'dropout') };
    const kept = trainOnce('wasm', spec, 21);
    const network = buildNetwork(spec, new Rng(3));
    const { x, labels } = batchFor(spec, 21, network.classes);
    trainBatch(network, x, labels, false);
    const result = trainBatch(network, x, labels, false);
    const last = network.layers.length - 1;
    expect(network.activations.slice(0, last).every((activation) => activation === null)).toBe(true);
    expect(network.activations[last]).toBe(result.output);
    expectBitIdentical(
      { result, output: result.output.data.slice(), grads: network.params.map((p) => p.grad.slice()), network },
      kept,
    );
    // asked again, every layer's output is back
    trainBatch(network, x, labels, true);
    network.activations.forEach((activation, i) => {
      expect(activation?.data).toEqual(kept.network.activations[i]?.data);
    });
  });

  it('leaves networks with layers it does not cover to the layer-by-layer path', () => {
    const spec: NetworkSpec = {
      ...DENSE_FIRST,
      layers: [...DENSE_FIRST.layers.slice(0, 3), { type: 'tanh' }, DENSE_FIRST.layers[4]],
    };
    const step = trainOnce('wasm', spec, 9);
    expect(step.network.deltas.every((delta) => delta !== null)).toBe(true);
  });

  it('leaves a batch of one chunk (8 samples or fewer) to the per-layer kernels, which can split its passes', () => {
    const step = trainOnce('wasm', CONV_STACK, 8);
    expect(step.network.deltas.every((delta) => delta !== null)).toBe(true);
  });

  it('refuses an input of the wrong shape and a label outside the classes, naming them', () => {
    setKernelBackend('wasm');
    const network = buildNetwork(DENSE_FIRST, new Rng(1));
    const { x, labels } = batchFor(DENSE_FIRST, 10, 3);
    expect(() => trainBatch(network, tensor([10, 1, 6, 5], x.data), labels)).toThrow(
      'input of shape [10,1,6,5] does not fit the network input [N,1,5,6]',
    );
    labels[2] = 3;
    expect(() => trainBatch(network, x, labels)).toThrow(/label 3 \(sample 2 of the batch\) is outside/);
  });
});
