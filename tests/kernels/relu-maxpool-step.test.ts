/**
 * The data-parallel step runs a relu directly followed by a 2×2 stride-2 max-pool as one fused record each way
 * (assembly/relu-maxpool.ts), at the top level and inside residual bodies. Which pairs it fuses (other pool
 * shapes and pairs split by a block boundary keep the plain records for the pass that needs them); that on one
 * chunk the step equals the wasm layer path, where the relu and the max-pool run on their own, bit for bit (loss,
 * every activation, every gradient), on input values with ties, zeros, −0, negatives, NaN and −∞ and on odd
 * planes; that on several chunks it agrees with the TypeScript reference and its fused activations are exactly
 * the relu and max-pool of the layer before; and that it is bit-identical on 1, 2 and 3 threads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setKernelBackend, setKernelThreads } from '../../src/engine/kernels/backend';
import type { Pool2dDims } from '../../src/engine/kernels/dims';
import { compileTrainStep, OP, type StepLayer } from '../../src/engine/kernels/wasm/train-step-program';
import { maxPool2dForward } from '../../src/engine/layers/maxpool2d';
import { pool2dDims } from '../../src/engine/layers/pooling';
import { reluForward } from '../../src/engine/layers/relu';
import { buildNetwork, type Network } from '../../src/engine/network';
import { createParam } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { type Tensor, tensor } from '../../src/engine/tensor';
import { trainBatch, trainBatchDataParallel } from '../../src/engine/trainer/train-batch';
import { startNodeKernelThread } from '../../src/node/node-kernel-threads';
import { expectValuesAgree } from './compare-backends';

/**
 * The input goes straight into a fused pair (forward only: the input needs no gradient), then a pair on 9×11
 * planes (rows of four windows and one overlapping), then a relu before a block whose body and shortcut start with
 * a max-pool of 4×5 planes (rows of two windows).
 */
const TOP_LEVEL: NetworkSpec = {
  input: { channels: 2, height: 18, width: 22 },
  layers: [
    { type: 'relu' },
    { type: 'maxpool2d', poolSize: 2 },
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1 },
    { type: 'relu' },
    { type: 'maxpool2d', poolSize: 2 },
    { type: 'conv2d', filters: 3, kernelSize: 3, padding: 1 },
    { type: 'relu' },
    {
      type: 'residual',
      body: [
        { type: 'maxpool2d', poolSize: 2 },
        { type: 'conv2d', filters: 3, kernelSize: 1 },
      ],
      shortcut: [{ type: 'maxpool2d', poolSize: 2 }],
    },
    { type: 'flatten' },
    { type: 'dense', units: 5 },
  ],
  loss: 'softmax-cross-entropy',
};

/** A fused pair inside a residual body (7×7 planes), then pools of other shapes after relus, which stay plain. */
const IN_BLOCK: NetworkSpec = {
  input: { channels: 3, height: 14, width: 14 },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1 },
    {
      type: 'residual',
      body: [
        { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1 },
        { type: 'relu' },
        { type: 'maxpool2d', poolSize: 2 },
      ],
      shortcut: [{ type: 'conv2d', filters: 4, kernelSize: 1, stride: 2 }],
    },
    { type: 'relu' },
    { type: 'maxpool2d', poolSize: 2, stride: 1 },
    { type: 'relu' },
    { type: 'maxpool2d', poolSize: 3, stride: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 3 },
  ],
  loss: 'softmax-cross-entropy',
};

const NETWORKS = [
  { name: 'top level', spec: TOP_LEVEL },
  { name: 'inside a residual body', spec: IN_BLOCK },
];

/** Integers −3..3 as floats (ties, zeros, negatives) with NaN, −∞ and −0 sprinkled in. */
function inputValues(size: number, rng: Rng): Float32Array {
  const specials = [Number.NaN, Number.NEGATIVE_INFINITY, -0];
  return Float32Array.from({ length: size }, () =>
    rng.nextInt(10) === 0 ? specials[rng.nextInt(3)] : rng.nextInt(7) - 3,
  );
}

function batchFor(spec: NetworkSpec, batch: number, classes: number): { x: Tensor; labels: Int32Array } {
  const { channels, height, width } = spec.input;
  const rng = new Rng(batch + 11);
  // IN_BLOCK starts with a convolution, which would spread a NaN over the whole plane: finite values there
  const size = batch * channels * height * width;
  const values =
    spec === TOP_LEVEL ? inputValues(size, rng) : Float32Array.from({ length: size }, () => rng.nextInt(7) - 3);
  const labels = Int32Array.from({ length: batch }, (_, n) => (n * 5 + 1) % classes);
  return { x: tensor([batch, channels, height, width], values), labels };
}

interface Step {
  loss: number;
  activations: Float32Array[];
  grads: Float32Array[];
}

function snapshot(network: Network, loss: number): Step {
  return {
    loss,
    activations: network.activations.map((activation) => (activation as Tensor).data.slice()),
    grads: network.params.map((param) => param.grad.slice()),
  };
}

/** The data-parallel step, twice (the second must not see what the first left in memory). */
function stepped(spec: NetworkSpec, batch: number): Step {
  setKernelBackend('wasm');
  const network = buildNetwork(spec, new Rng(7));
  const { x, labels } = batchFor(spec, batch, network.classes);
  trainBatchDataParallel(network, x, labels);
  const result = trainBatchDataParallel(network, x, labels);
  if (result === null) throw new Error('the data-parallel step did not run');
  expect(network.deltas.every((delta) => delta === null)).toBe(true);
  return snapshot(network, result.loss);
}

/** Layer by layer on the chosen backend: the relu and the max-pool each run their own kernels. */
function layerByLayer(backend: 'wasm' | 'typescript', spec: NetworkSpec, batch: number): Step {
  setKernelBackend(backend);
  const network = buildNetwork(spec, new Rng(7));
  const { x, labels } = batchFor(spec, batch, network.classes);
  const output = network.forward(x, 'train');
  const loss = network.loss.forward(output, labels);
  network.zeroGrad();
  network.backward(network.loss.backward());
  expect(network.deltas.every((delta) => delta !== null)).toBe(true);
  return snapshot(network, loss);
}

const bytes = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

function expectBitIdentical(actual: Step, expected: Step): void {
  expect(actual.loss).toBe(expected.loss);
  actual.activations.forEach((activation, i) => {
    expect(bytes(activation).equals(bytes(expected.activations[i])), `activation ${i}`).toBe(true);
  });
  actual.grads.forEach((grad, i) => {
    expect(bytes(grad).equals(bytes(expected.grads[i])), `grad ${i}`).toBe(true);
  });
}

afterEach(async () => {
  setKernelBackend('auto');
  await setKernelThreads(1, startNodeKernelThread);
});

function pool(channels: number, height: number, width: number, size: number, stride: number): StepLayer {
  const outHeight = Math.floor((height - size) / stride) + 1;
  const outWidth = Math.floor((width - size) / stride) + 1;
  const dims: Pool2dDims = {
    batch: 0,
    channels,
    inHeight: height,
    inWidth: width,
    pool: size,
    stride,
    outHeight,
    outWidth,
  };
  return { type: 'maxpool2d', dims };
}

function dense(inFeatures: number, outFeatures: number): StepLayer {
  const weight = createParam(0, 'weight', [outFeatures, inFeatures]);
  return { type: 'dense', inFeatures, outFeatures, weight, bias: createParam(0, 'bias', [outFeatures]) };
}

/** The opcodes of the step's records for `layers` on 2×8×8 inputs. */
function opcodes(layers: StepLayer[], classes: number): number[] {
  const program = compileTrainStep(layers, 128, classes, 16, 2, {
    packSize: () => 0,
    convScratch: () => 0,
    columns: () => 0,
  });
  return program.records.map((record) => record[0] as number);
}

describe('which relu and max-pool pairs the step fuses', () => {
  it('a relu then a 2×2 stride-2 pool, both ways; the first pair needs no input gradient, so no backward', () => {
    const ops = opcodes(
      [
        { type: 'relu', size: 128 },
        pool(2, 8, 8, 2, 2),
        { type: 'relu', size: 32 },
        pool(2, 4, 4, 2, 2),
        { type: 'flatten' },
        dense(8, 3),
      ],
      3,
    );
    expect(ops).toEqual([
      OP.reluMaxPoolForward,
      OP.reluMaxPoolForward,
      OP.denseForward,
      OP.softmaxCrossEntropy,
      OP.clearSlab,
      OP.denseBackward,
      OP.reluMaxPoolBackward,
    ]);
  });

  it('keeps pools of other windows and strides plain', () => {
    const ops = opcodes(
      [
        { type: 'relu', size: 128 },
        pool(2, 8, 8, 3, 2),
        { type: 'relu', size: 18 },
        pool(2, 3, 3, 2, 1),
        { type: 'flatten' },
        dense(8, 3),
      ],
      3,
    );
    expect(ops).toEqual([
      OP.reluForward,
      OP.maxPoolForward,
      OP.reluForward,
      OP.maxPoolForward,
      OP.denseForward,
      OP.softmaxCrossEntropy,
      OP.clearSlab,
      OP.denseBackward,
      OP.maxPoolBackward,
      OP.reluBackward,
      OP.maxPoolBackward,
    ]);
  });

  it('a relu before a block whose branches start with the pool: forward fused, backward plain (the branches sum first)', () => {
    const block: StepLayer = { type: 'residual', body: [pool(2, 8, 8, 2, 2)], shortcut: [pool(2, 8, 8, 2, 2)] };
    const ops = opcodes([dense(128, 128), { type: 'relu', size: 128 }, block, { type: 'flatten' }, dense(32, 3)], 3);
    expect(ops).toEqual([
      OP.denseForward,
      OP.reluMaxPoolForward,
      OP.maxPoolForward,
      OP.add,
      OP.denseForward,
      OP.softmaxCrossEntropy,
      OP.clearSlab,
      OP.denseBackward,
      OP.maxPoolBackward,
      OP.maxPoolBackward,
      OP.add,
      OP.reluBackward,
      OP.clearSlab,
      OP.denseBackward,
    ]);
  });
});

describe('the step with fused relu + max-pool', () => {
  it.each(NETWORKS.flatMap(({ name, spec }) => [2, 5, 8].map((batch) => ({ name, spec, batch }))))(
    '$name, batch $batch (one chunk): equals the wasm layer path bit for bit',
    ({ spec, batch }) => {
      expectBitIdentical(stepped(spec, batch), layerByLayer('wasm', spec, batch));
    },
  );

  it.each(NETWORKS)('$name, batch 21: agrees with the TypeScript reference, fused activations exact', ({ spec }) => {
    const step = stepped(spec, 21);
    const reference = layerByLayer('typescript', spec, 21);
    expect(Math.abs(step.loss - reference.loss)).toBeLessThan(1e-5 * (1 + reference.loss));
    step.activations.forEach((activation, i) => {
      expectValuesAgree(activation, reference.activations[i], 64, `activation ${i}`);
    });
    for (const [i, grad] of step.grads.entries()) expectValuesAgree(grad, reference.grads[i], 512, `grad ${i}`);
    // the relu and pool outputs of the step, against the layers run on the step's own activations
    const network = buildNetwork(spec, new Rng(7));
    for (const [i, layerSpec] of spec.layers.entries()) {
      if (layerSpec.type !== 'maxpool2d' || spec.layers[i - 1]?.type !== 'relu' || i < 2) continue;
      const before = step.activations[i - 2];
      const rectified = new Float32Array(before.length);
      reluForward(before, rectified);
      expect(bytes(rectified).equals(bytes(step.activations[i - 1])), `relu ${i - 1}`).toBe(true);
      const layer = network.layers[i];
      const dims = { ...pool2dDims(layerSpec, layer.inShape, layer.outShape), batch: 21 };
      const pooled = new Float32Array(step.activations[i].length);
      maxPool2dForward(rectified, pooled, new Int32Array(pooled.length), dims);
      expect(bytes(pooled).equals(bytes(step.activations[i])), `pool ${i}`).toBe(true);
    }
  });

  it.each(NETWORKS)('$name, batch 45: bit-identical on 1, 2 and 3 threads', async ({ spec }) => {
    const single = stepped(spec, 45);
    for (const threads of [2, 3]) {
      await expect(setKernelThreads(threads, startNodeKernelThread)).resolves.toBe(threads);
      expectBitIdentical(stepped(spec, 45), single);
    }
  });

  it('trains through trainBatch on the step (more than one chunk)', () => {
    setKernelBackend('wasm');
    const network = buildNetwork(TOP_LEVEL, new Rng(7));
    const { x, labels } = batchFor(TOP_LEVEL, 16, network.classes);
    trainBatch(network, x, labels);
    expect(network.deltas.every((delta) => delta === null)).toBe(true);
  });
});
