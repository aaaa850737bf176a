/**
 * Winograd F(2×2, 3×3) (assembly/winograd.ts) against a direct float64 convolution and against the im2col path, on
 * random 3×3 stride-1 shapes: odd and even sizes (partial edge tiles), padding 0, 1 and 2, channel and filter
 * counts that are not multiples of 4, one sample, one chunk of the step and batches spanning several tile groups;
 * forward, input gradient and weight gradient. Then the wiring: conv2d.ts picks Winograd from 3 input channels and
 * 25 output positions on (8 and 100 for the weight gradient), bit for bit the same values as the Winograd entry
 * points, im2col below; split over threads it stays bit-identical; the conv layer's gradients agree with the TypeScript
 * kernels; and the data-parallel step, which runs Winograd per chunk, agrees with the TypeScript reference and is
 * bit-identical on 1 and 2 threads.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ConvPaths, type ConvShape } from '../../bench/conv-paths';
import { setKernelBackend, setKernelThreads } from '../../src/engine/kernels/backend';
import { createLayer } from '../../src/engine/layers/create-layer';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { tensor } from '../../src/engine/tensor';
import { trainBatch } from '../../src/engine/trainer/train-batch';
import { startNodeKernelThread } from '../../src/node/node-kernel-threads';
import { activeWasmKernels, expectBackendsAgree, expectValuesAgree, randomValues, runPasses } from './compare-backends';

interface Operands {
  x: Float32Array;
  weight: Float32Array;
  bias: Float32Array;
  dy: Float32Array;
}

function operands(s: ConvShape, seed: number): Operands {
  const rng = new Rng(seed);
  const outH = s.height + 2 * s.pad - 2;
  const outW = s.width + 2 * s.pad - 2;
  return {
    x: randomValues(s.batch * s.channels * s.height * s.width, rng),
    weight: randomValues(s.filters * s.channels * 9, rng),
    bias: randomValues(s.filters, rng),
    dy: randomValues(s.batch * s.filters * outH * outW, rng),
  };
}

/**
 * y, dx and dW by the definition, in float64: y[n,o,i,j] = b[o] + Σ W[o,c,kh,kw] · x[n,c,i−p+kh,j−p+kw], and its
 * derivatives for the output gradient dy.
 */
function direct(s: ConvShape, o: Operands): { y: Float32Array; dx: Float32Array; dWeight: Float32Array } {
  const { batch, channels, filters, height, width, pad } = s;
  const outH = height + 2 * pad - 2;
  const outW = width + 2 * pad - 2;
  const y = new Float64Array(batch * filters * outH * outW);
  const dx = new Float64Array(batch * channels * height * width);
  const dWeight = new Float64Array(filters * channels * 9);
  for (let n = 0; n < batch; n++) {
    for (let f = 0; f < filters; f++) {
      for (let i = 0; i < outH; i++) {
        for (let j = 0; j < outW; j++) {
          const yAt = ((n * filters + f) * outH + i) * outW + j;
          let sum = o.bias[f];
          for (let c = 0; c < channels; c++) {
            for (let kh = 0; kh < 3; kh++) {
              const r = i - pad + kh;
              if (r < 0 || r >= height) continue;
              for (let kw = 0; kw < 3; kw++) {
                const col = j - pad + kw;
                if (col < 0 || col >= width) continue;
                const xAt = ((n * channels + c) * height + r) * width + col;
                const wAt = ((f * channels + c) * 3 + kh) * 3 + kw;
                sum += o.weight[wAt] * o.x[xAt];
                dx[xAt] += o.weight[wAt] * o.dy[yAt];
                dWeight[wAt] += o.x[xAt] * o.dy[yAt];
              }
            }
          }
          y[yAt] = sum;
        }
      }
    }
  }
  return { y: Float32Array.from(y), dx: Float32Array.from(dx), dWeight: Float32Array.from(dWeight) };
}

const shapeArbitrary = fc
  .record({
    channels: fc.integer({ min: 1, max: 11 }),
    filters: fc.integer({ min: 1, max: 13 }),
    height: fc.integer({ min: 1, max: 17 }),
    width: fc.integer({ min: 1, max: 17 }),
    pad: fc.integer({ min: 0, max: 2 }),
    // 1 sample, a chunk of the step (8) and batches spanning several groups of tiles
    batch: fc.constantFrom(1, 2, 8, 11, 20),
  })
  .filter((s) => s.height + 2 * s.pad >= 3 && s.width + 2 * s.pad >= 3);

afterEach(async () => {
  setKernelBackend('auto');
  await setKernelThreads(1, startNodeKernelThread);
});

describe('Winograd F(2×2, 3×3) convolution', () => {
  it('matches the direct convolution and the im2col path, forward and both gradients, on random shapes', () => {
    const k = activeWasmKernels();
    fc.assert(
      fc.property(shapeArbitrary, fc.integer({ min: 0, max: 1_000_000 }), (s, seed) => {
        const o = operands(s, seed);
        const expected = direct(s, o);
        const paths = new ConvPaths(k, s);
        paths.load(o.x, o.weight, o.bias, o.dy);
        const terms = 9 * s.channels;
        expectValuesAgree(paths.forward('winograd').slice(), expected.y, terms, 'winograd y');
        expectValuesAgree(paths.forward('im2col').slice(), expected.y, terms, 'im2col y');
        expectValuesAgree(paths.backwardData('winograd').slice(), expected.dx, 9 * s.filters, 'winograd dx');
        expectValuesAgree(paths.backwardData('im2col').slice(), expected.dx, 9 * s.filters, 'im2col dx');
        const outPlane = (s.height + 2 * s.pad - 2) * (s.width + 2 * s.pad - 2);
        const dwTerms = 16 * s.batch * outPlane;
        expectValuesAgree(paths.backwardFilter('winograd').slice(), expected.dWeight, dwTerms, 'winograd dW');
        expectValuesAgree(paths.backwardFilter('im2col').slice(), expected.dWeight, dwTerms, 'im2col dW');
      }),
      { numRuns: 80 },
    );
  });

  it('writes nothing outside y and dx (its stores past a row end stay inside the call’s output)', () => {
    const k = activeWasmKernels();
    // odd widths end every row with a partial store; y and dx (sizes multiples of 4, so no alignment gap) are
    // followed in the scratch by dy and x, the inputs
    for (const s of [
      { channels: 3, filters: 5, height: 7, width: 7, pad: 1, batch: 4 },
      { channels: 4, filters: 3, height: 9, width: 3, pad: 0, batch: 2 },
      { channels: 5, filters: 1, height: 1, width: 1, pad: 2, batch: 1 },
    ]) {
      const o = operands(s, 4);
      const paths = new ConvPaths(k, s);
      paths.load(o.x, o.weight, o.bias, o.dy);
      paths.forward('winograd');
      paths.backwardData('winograd');
      expect(paths.inputs()).toEqual({ x: o.x, weight: o.weight, bias: o.bias, dy: o.dy });
    }
  });

  it('is what a conv layer runs from 3 channels and 25 outputs (weight gradient: 8 and 100), bit for bit', () => {
    const k = activeWasmKernels();
    for (const { channels, height, path, filterPath } of [
      { channels: 2, height: 9, path: 'im2col', filterPath: 'im2col' },
      { channels: 6, height: 3, path: 'im2col', filterPath: 'im2col' },
      { channels: 3, height: 9, path: 'winograd', filterPath: 'im2col' },
      { channels: 8, height: 9, path: 'winograd', filterPath: 'im2col' },
      { channels: 8, height: 13, path: 'winograd', filterPath: 'winograd' },
    ] as const) {
      // 8 wide, padding 1: 8·3 = 24 (too few for Winograd), 8·9 = 72 or 8·13 = 104 output positions
      const s = { channels, filters: 5, height, width: 8, pad: 1, batch: 4 };
      const o = operands(s, channels);
      const layer = runLayer(s, o);
      const paths = new ConvPaths(k, s);
      paths.load(o.x, o.weight, o.bias, o.dy);
      expect(bytesOf(layer.y), `${channels}: ${path} y`).toEqual(bytesOf(paths.forward(path)));
      expect(bytesOf(layer.dx), `${channels}: ${path} dx`).toEqual(bytesOf(paths.backwardData(path)));
      const dWeight = paths.backwardFilter(filterPath);
      expect(bytesOf(layer.dWeight), `${channels}×${height}: ${filterPath} dW`).toEqual(bytesOf(dWeight));
    }
  });

  it('splits the Winograd weight gradient over threads by channel, bit-identical to one thread', async () => {
    const spec = { type: 'conv2d', filters: 7, kernelSize: 3, padding: 1 } as const;
    const x = tensor([6, 9, 15, 13], randomValues(6 * 9 * 15 * 13, new Rng(2)));
    const single = runPasses('wasm', spec, x, 5, 2);
    await expect(setKernelThreads(3, startNodeKernelThread)).resolves.toBe(3);
    const triple = runPasses('wasm', spec, x, 5, 2);
    expect(bytesOf(triple.y)).toEqual(bytesOf(single.y));
    expect(bytesOf(triple.dx)).toEqual(bytesOf(single.dx));
    for (const [i, grad] of triple.grads.entries())
      expect(bytesOf(grad), `grad ${i}`).toEqual(bytesOf(single.grads[i]));
  });

  it('gives the conv layer the TypeScript kernels’ outputs and gradients on random Winograd shapes', () => {
    fc.assert(
      fc.property(shapeArbitrary, fc.integer({ min: 0, max: 1_000_000 }), (s, seed) => {
        const spec = { type: 'conv2d', filters: s.filters, kernelSize: 3, padding: s.pad } as const;
        const batch = Math.min(s.batch, 3);
        expectBackendsAgree(spec, [batch, s.channels + 2, s.height, s.width], seed, 9 * (s.channels + 2));
      }),
      { numRuns: 30 },
    );
  });
});

/**
 * Both 3×3 stride-1 convolutions of the step run Winograd forward and backward data; the second (8 channels, 110
 * outputs) also its weight gradient.
 */
const WINOGRAD_STACK: NetworkSpec = {
  input: { channels: 3, height: 11, width: 10 },
  layers: [
    { type: 'conv2d', filters: 8, kernelSize: 3, padding: 1 },
    { type: 'relu' },
    { type: 'conv2d', filters: 6, kernelSize: 3, padding: 1 },
    { type: 'relu' },
    { type: 'maxpool2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 4 },
  ],
  loss: 'softmax-cross-entropy',
};

function trainStep(backend: 'wasm' | 'typescript', batch: number) {
  setKernelBackend(backend);
  const network = buildNetwork(WINOGRAD_STACK, new Rng(3));
  const { channels, height, width } = WINOGRAD_STACK.input;
  const x = tensor([batch, channels, height, width], randomValues(batch * channels * height * width, new Rng(9)));
  const labels = Int32Array.from({ length: batch }, (_, n) => (n * 5 + 1) % 4);
  trainBatch(network, x, labels);
  const result = trainBatch(network, x, labels);
  return {
    loss: result.loss,
    output: result.output.data.slice(),
    grads: network.params.map((param) => param.grad.slice()),
    dataParallel: network.deltas.every((delta) => delta === null),
  };
}

describe('Winograd in the data-parallel training step', () => {
  it('agrees with the layer-by-layer TypeScript reference (batch 19: two chunks and a partial one)', () => {
    const wasm = trainStep('wasm', 19);
    const reference = trainStep('typescript', 19);
    expect(wasm.dataParallel).toBe(true);
    expect(Math.abs(wasm.loss - reference.loss)).toBeLessThan(1e-5 * (1 + reference.loss));
    expectValuesAgree(wasm.output, reference.output, 64, 'output');
    for (const [i, grad] of wasm.grads.entries()) expectValuesAgree(grad, reference.grads[i], 256, `grad ${i}`);
  });

  it('is bit-identical on 1 and 2 threads', async () => {
    const single = trainStep('wasm', 27);
    await expect(setKernelThreads(2, startNodeKernelThread)).resolves.toBe(2);
    const double = trainStep('wasm', 27);
    expect(double.loss).toBe(single.loss);
    expect(bytesOf(double.output)).toEqual(bytesOf(single.output));
    for (const [i, grad] of double.grads.entries())
      expect(bytesOf(grad), `grad ${i}`).toEqual(bytesOf(single.grads[i]));
  });
});

function bytesOf(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** The conv layer's own forward and input gradient (the per-layer wasm kernels: conv2d-wasm.ts) on one thread. */
function runLayer(s: ConvShape, o: Operands): { y: Float32Array; dx: Float32Array; dWeight: Float32Array } {
  setKernelBackend('wasm');
  const spec = { type: 'conv2d', filters: s.filters, kernelSize: 3, padding: s.pad } as const;
  const layer = createLayer(spec, 0, [s.channels, s.height, s.width], new Rng(1));
  const [weight, bias] = layer.params;
  weight.data.set(o.weight);
  bias.data.set(o.bias);
  const y = layer.forward(tensor([s.batch, s.channels, s.height, s.width], o.x), 'train');
  const dx = layer.backward(tensor(y.shape, o.dy), true);
  if (dx === null) throw new Error('no input gradient');
  return { y: y.data.slice(), dx: dx.data.slice(), dWeight: weight.grad.slice() };
}
