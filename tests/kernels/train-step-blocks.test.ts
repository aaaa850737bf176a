/**
 * The data-parallel training step (src/engine/trainer/train-batch.ts, kernels/wasm/train-step-wasm.ts) on the
 * block layers: leaky ReLU, global average pooling, bias-free convolutions, residual blocks (identity,
 * projection, nested, with dropout inside) and batch norm (2d and 1d, its statistics combined between two
 * fork-joins). Each agrees with the layer-by-layer TypeScript reference (loss, outputs, every gradient, the
 * top-level activations, the running statistics and per-layer gradient norms by path), is bit-identical on 1,
 * 2 and 3 threads, survives a thread dying mid-step with the same result, and matches the PyTorch training
 * fixtures of tests/fixtures/pytorch/blocks.json.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lostKernelThreads, setKernelBackend, setKernelThreads } from '../../src/engine/kernels/backend';
import { buildNetwork, type Network } from '../../src/engine/network';
import { createOptimizer } from '../../src/engine/optim/create-optimizer';
import { Rng } from '../../src/engine/rng';
import { retargetSpec, templateSpec } from '../../src/engine/spec/templates';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { type Tensor, tensor } from '../../src/engine/tensor';
import { layerStats } from '../../src/engine/trainer/metrics';
import { type BatchResult, trainBatch, trainBatchDataParallel } from '../../src/engine/trainer/train-batch';
import { startNodeKernelThread } from '../../src/node/node-kernel-threads';
import { loadBlocksFixture } from '../engine/blocks-fixture';
import { AFTER_STEPS, expectClose, expectValuesClose, SINGLE_OP, toTensor } from '../engine/fixtures';
import { expectValuesAgree, randomValues } from './compare-backends';
import { startThreadDyingIn } from './dying-kernel-thread';

/** Leaky ReLU, global average pooling, bias-free convolutions, an identity and a projection block; no batch norm. */
const BLOCKS: NetworkSpec = {
  input: { channels: 2, height: 9, width: 9 },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1, bias: false },
    { type: 'leakyrelu', negativeSlope: 0.1 },
    {
      type: 'residual',
      body: [
        { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1 },
        { type: 'relu' },
        { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1, bias: false },
      ],
    },
    { type: 'leakyrelu' },
    {
      type: 'residual',
      body: [{ type: 'conv2d', filters: 6, kernelSize: 3, stride: 2, padding: 1 }, { type: 'leakyrelu' }],
      shortcut: [{ type: 'conv2d', filters: 6, kernelSize: 1, stride: 2, bias: false }],
    },
    { type: 'globalavgpool' },
    { type: 'dense', units: 5 },
  ],
  loss: 'softmax-cross-entropy',
};

/** A block inside a block's body, dropout inside a body (its mask drawn in forward order) and a flatten after. */
const NESTED: NetworkSpec = {
  input: { channels: 3, height: 6, width: 6 },
  layers: [
    {
      type: 'residual',
      body: [
        { type: 'conv2d', filters: 3, kernelSize: 3, padding: 1 },
        {
          type: 'residual',
          body: [
            { type: 'leakyrelu', negativeSlope: 0.2 },
            { type: 'conv2d', filters: 3, kernelSize: 3, padding: 1 },
          ],
        },
        { type: 'dropout', rate: 0.25 },
      ],
      shortcut: [{ type: 'conv2d', filters: 3, kernelSize: 1 }, { type: 'relu' }],
    },
    { type: 'maxpool2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 4 },
  ],
  loss: 'softmax-cross-entropy',
};

/** Batch norm 2d before and inside a projection block, and 1d after a dense layer. */
const BATCH_NORM: NetworkSpec = {
  input: { channels: 2, height: 8, width: 8 },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1, bias: false },
    { type: 'batchnorm' },
    { type: 'relu' },
    {
      type: 'residual',
      body: [
        { type: 'conv2d', filters: 6, kernelSize: 3, stride: 2, padding: 1, bias: false },
        { type: 'batchnorm', momentum: 0.3 },
        { type: 'leakyrelu' },
        { type: 'conv2d', filters: 6, kernelSize: 3, padding: 1, bias: false },
        { type: 'batchnorm', eps: 1e-3 },
      ],
      shortcut: [{ type: 'conv2d', filters: 6, kernelSize: 1, stride: 2, bias: false }, { type: 'batchnorm' }],
    },
    { type: 'relu' },
    { type: 'globalavgpool' },
    { type: 'dense', units: 7 },
    { type: 'batchnorm' },
    { type: 'relu' },
    { type: 'dense', units: 3 },
  ],
  loss: 'softmax-cross-entropy',
};

/** Batch norm first (no input gradient needed) and a batch norm 1d over many flattened features. */
const BATCH_NORM_FIRST: NetworkSpec = {
  input: { channels: 3, height: 5, width: 5 },
  layers: [
    { type: 'batchnorm' },
    { type: 'leakyrelu' },
    { type: 'flatten' },
    { type: 'batchnorm' },
    { type: 'dropout', rate: 0 },
    { type: 'dense', units: 6 },
  ],
  loss: 'softmax-cross-entropy',
};

/** The "Small ResNet" template itself, on small images to keep the TypeScript reference quick. */
const SMALL_RESNET = retargetSpec(templateSpec('small-resnet'), { channels: 1, height: 8, width: 8 }, 4);

interface Step {
  result: BatchResult;
  output: Float32Array;
  grads: Float32Array[];
  buffers: Float32Array[];
  network: Network;
}

function batchFor(spec: NetworkSpec, batch: number, classes: number): { x: Tensor; labels: Int32Array } {
  const { channels, height, width } = spec.input;
  const x = tensor([batch, channels, height, width], randomValues(batch * channels * height * width, new Rng(batch)));
  const labels = Int32Array.from({ length: batch }, (_, n) => (n * 7 + 3) % classes);
  return { x, labels };
}

function snapshot(network: Network, result: BatchResult): Step {
  return {
    result,
    output: result.output.data.slice(),
    grads: network.params.map((param) => param.grad.slice()),
    buffers: network.buffers.map((buffer) => buffer.data.slice()),
    network,
  };
}

/** Two steps with an SGD update between them, so the second starts from moved running statistics and weights. */
function trainTwice(backend: 'wasm' | 'typescript', spec: NetworkSpec, batch: number): Step {
  setKernelBackend(backend);
  const network = buildNetwork(spec, new Rng(3));
  const optimizer = createOptimizer(network.params, { type: 'sgd', lr: 0.05, momentum: 0.9 });
  const { x, labels } = batchFor(spec, batch, network.classes);
  trainBatch(network, x, labels);
  optimizer.step();
  return snapshot(network, trainBatch(network, x, labels));
}

function expectBitIdentical(actual: Step, expected: Step): void {
  const bytes = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  expect(actual.result.loss).toBe(expected.result.loss);
  expect(bytes(actual.output).equals(bytes(expected.output)), 'output').toBe(true);
  for (const [i, grad] of actual.grads.entries()) {
    expect(bytes(grad).equals(bytes(expected.grads[i])), `grad ${actual.network.params[i].name}`).toBe(true);
  }
  for (const [i, buffer] of actual.buffers.entries()) {
    expect(bytes(buffer).equals(bytes(expected.buffers[i])), actual.network.buffers[i].name).toBe(true);
  }
}

afterEach(async () => {
  setKernelBackend('auto');
  await setKernelThreads(1, startNodeKernelThread);
});

describe('the data-parallel training step on block layers', () => {
  it.each([
    {
      name: 'leakyrelu, globalavgpool, bias-free conv, identity and projection blocks, batch 21',
      spec: BLOCKS,
      batch: 21,
    },
    { name: 'nested blocks with dropout inside, batch 13', spec: NESTED, batch: 13 },
    { name: 'batch norm 2d and 1d inside and outside a block, batch 21', spec: BATCH_NORM, batch: 21 },
    { name: 'the Small ResNet template on 1×8×8, batch 19', spec: SMALL_RESNET, batch: 19 },
    { name: 'batch norm first, then 1d over 75 flattened features, batch 10', spec: BATCH_NORM_FIRST, batch: 10 },
  ])('$name: agrees with the layer-by-layer TypeScript reference', ({ spec, batch }) => {
    const wasm = trainTwice('wasm', spec, batch);
    const reference = trainTwice('typescript', spec, batch);
    // the wasm run took the data-parallel path: no layer ran its own backward
    expect(wasm.network.deltas.every((delta) => delta === null)).toBe(true);
    expect(reference.network.deltas.every((delta) => delta !== null)).toBe(true);
    expect(Math.abs(wasm.result.loss - reference.result.loss)).toBeLessThan(1e-5 * (1 + reference.result.loss));
    expectValuesAgree(wasm.output, reference.output, 256, 'output');
    for (const [i, grad] of wasm.grads.entries()) {
      expectValuesAgree(grad, reference.grads[i], 1024, `grad ${wasm.network.params[i].name}`);
    }
    for (const [i, buffer] of wasm.buffers.entries()) {
      expectValuesAgree(buffer, reference.buffers[i], 256, wasm.network.buffers[i].name);
    }
    wasm.network.activations.forEach((activation, i) => {
      const expected = reference.network.activations[i] as Tensor;
      expect(activation?.shape).toEqual(expected.shape);
      expectValuesAgree((activation as Tensor).data, expected.data, 256, `activation ${i}`);
    });
    // per-layer gradient norms name the layers inside blocks by path, from the gradients the step wrote
    const before = wasm.network.params.map((param) => param.data);
    const stats = layerStats(wasm.network.layers, before);
    const referenceStats = layerStats(reference.network.layers, before);
    expect(stats.map((s) => s.path)).toEqual(referenceStats.map((s) => s.path));
    stats.forEach((s, i) => {
      expect(Math.abs(s.gradNorm - referenceStats[i].gradNorm), s.path).toBeLessThan(1e-4 * (1 + s.gradNorm));
    });
  });

  it('updates every batch norm as BatchNorm.forward does: running statistics, num_batches_tracked, batch statistics', () => {
    const wasm = trainTwice('wasm', BATCH_NORM, 21);
    const reference = trainTwice('typescript', BATCH_NORM, 21);
    const counters = wasm.network.buffers.filter((buffer) => buffer.name.endsWith('.num_batches_tracked'));
    expect(counters.map((counter) => counter.name)).toEqual([
      '1.num_batches_tracked',
      '3.body.1.num_batches_tracked',
      '3.body.4.num_batches_tracked',
      '3.shortcut.1.num_batches_tracked',
      '7.num_batches_tracked',
    ]);
    for (const counter of counters) expect(counter.data[0]).toBe(2);
    const norm = wasm.network.layers[1] as unknown as { mean: Float64Array; variance: Float64Array };
    const referenceNorm = reference.network.layers[1] as unknown as { mean: Float64Array; variance: Float64Array };
    expectValuesAgree(Float32Array.from(norm.mean), Float32Array.from(referenceNorm.mean), 256, 'batch mean');
    expectValuesAgree(Float32Array.from(norm.variance), Float32Array.from(referenceNorm.variance), 256, 'batch var');
    // the running statistics moved away from their start (0 and 1)
    expect(wasm.network.getBuffers()['1.running_mean'].data.some((v) => v !== 0)).toBe(true);
  });

  it.each([
    { name: 'blocks without batch norm', spec: BLOCKS, batch: 45 },
    { name: 'nested blocks with dropout', spec: NESTED, batch: 27 },
    { name: 'batch norm', spec: BATCH_NORM, batch: 45 },
  ])('$name: bit-identical on 1, 2 and 3 threads, running statistics included', async ({ spec, batch }) => {
    const single = trainTwice('wasm', spec, batch);
    for (const threads of [2, 3]) {
      await expect(setKernelThreads(threads, startNodeKernelThread)).resolves.toBe(threads);
      expectBitIdentical(trainTwice('wasm', spec, batch), single);
    }
  });

  it('a kernel thread dying halfway through a phase of chunks: the chunks run again, with the same result', async () => {
    const single = trainTwice('wasm', BATCH_NORM, 45);
    await setKernelThreads(3, startThreadDyingIn(1, 'trainChunks', startNodeKernelThread));
    expectBitIdentical(trainTwice('wasm', BATCH_NORM, 45), single);
    expect(lostKernelThreads()).toBe('kernel thread 1 stopped during trainChunks; its work runs on the engine thread');
  });

  it('leaves a batch of one to the layers, where batch norm refuses it naming the layer', () => {
    setKernelBackend('wasm');
    const network = buildNetwork(BATCH_NORM, new Rng(1));
    const { x, labels } = batchFor(BATCH_NORM, 1, network.classes);
    expect(trainBatchDataParallel(network, x, labels)).toBeNull();
    expect(() => trainBatch(network, x, labels)).toThrow(
      'layer 7 (batchnorm): training needs more than one value per channel, but a batch of 1 gives 1',
    );
  });

  it('leaves a network with a layer it does not cover inside a block to the layer-by-layer path', () => {
    const spec: NetworkSpec = {
      ...NESTED,
      layers: [{ type: 'residual', body: [{ type: 'tanh' }] }, ...NESTED.layers.slice(1)],
    };
    setKernelBackend('wasm');
    const network = buildNetwork(spec, new Rng(1));
    const { x, labels } = batchFor(spec, 12, network.classes);
    expect(trainBatchDataParallel(network, x, labels)).toBeNull();
    trainBatch(network, x, labels);
    expect(network.deltas.every((delta) => delta !== null)).toBe(true);
  });
});

describe('the data-parallel step matches the PyTorch training fixtures with batch norm and a residual block', () => {
  for (const c of loadBlocksFixture().training) {
    it(c.name, () => {
      setKernelBackend('wasm');
      const network = buildNetwork(c.spec, new Rng(0));
      network.setState(Object.fromEntries(Object.entries(c.init).map(([name, value]) => [name, toTensor(value)])));
      const optimizer = createOptimizer(network.params, c.optimizer);
      c.steps.forEach((step, i) => {
        const tolerance = i === 0 ? SINGLE_OP : AFTER_STEPS;
        const result = trainBatchDataParallel(network, toTensor(step.x), Int32Array.from(step.labels));
        if (result === null) throw new Error('the step does not cover this network');
        expectValuesClose([result.loss], [step.loss], tolerance, `step ${i + 1} loss`);
        for (const param of network.params) {
          const grad = { shape: param.shape, data: param.grad };
          expectClose(grad, step.grads[param.name], tolerance, `step ${i + 1} d${param.name}`);
        }
        optimizer.step();
      });
      const final = network.getState();
      expect(Object.keys(final).sort()).toEqual(Object.keys(c.final).sort());
      for (const [name, expected] of Object.entries(c.final)) {
        expectClose(final[name], expected, AFTER_STEPS, `final ${name}`);
      }
      expect(final['1.num_batches_tracked'].data[0]).toBe(3);
    });
  }
});
