/**
 * The direct input gradient of assembly/conv2d-transposed.ts (stride 1, no padding, output rows of a multiple of 8),
 * on random shapes: 1–9 channels (whole blocks of 4 and the channels left over), 1–17 filters, kernels 1–5, output
 * rows of 8, 16 and 24 floats, 1–12 output rows. dx agrees with a float64 direct convolution, overwrites what was
 * there, writes nothing past dx, and conv2dBackwardData runs it for these shapes from 4 channels (Winograd's 3×3
 * ones aside). A training step whose second convolution takes this path (4→5 5×5 on 12×12, as workload A's
 * 8→16) agrees with the TypeScript layers and is bit-identical on 1, 2 and 3 threads.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { setKernelBackend, setKernelThreads } from '../../src/engine/kernels/backend';
import { ScratchLayout } from '../../src/engine/kernels/wasm/scratch-layout';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { tensor } from '../../src/engine/tensor';
import { trainBatch } from '../../src/engine/trainer/train-batch';
import { startNodeKernelThread } from '../../src/node/node-kernel-threads';
import { activeWasmKernels, expectValuesAgree, randomValues } from './compare-backends';

interface Shape {
  batch: number;
  channels: number;
  filters: number;
  kernel: number;
  outH: number;
  outW: number;
}

const SENTINEL = 12345.5;
const GUARD = 16;

/** dx[n, c, oh + kh, ow + kw] += W[o, c, kh, kw] · dy[n, o, oh, ow], in float64. */
function inputGradientByDefinition(s: Shape, weight: Float32Array, dy: Float32Array): Float32Array {
  const K = s.kernel;
  const [height, width] = [s.outH + K - 1, s.outW + K - 1];
  const dx = new Float64Array(s.batch * s.channels * height * width);
  for (let n = 0; n < s.batch; n++) {
    for (let o = 0; o < s.filters; o++) {
      for (let oh = 0; oh < s.outH; oh++) {
        for (let ow = 0; ow < s.outW; ow++) {
          const g = dy[((n * s.filters + o) * s.outH + oh) * s.outW + ow];
          for (let c = 0; c < s.channels; c++) {
            for (let kh = 0; kh < K; kh++) {
              for (let kw = 0; kw < K; kw++) {
                const w = weight[((o * s.channels + c) * K + kh) * K + kw];
                dx[((n * s.channels + c) * height + oh + kh) * width + ow + kw] += w * g;
              }
            }
          }
        }
      }
    }
  }
  return Float32Array.from(dx);
}

const bytes = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

afterEach(async () => {
  setKernelBackend('auto');
  await setKernelThreads(1, startNodeKernelThread);
});

/** Its second convolution (4 channels, stride 1, no padding, 8×8 outputs) runs the direct input gradient. */
const SECOND_CONV_DIRECT: NetworkSpec = {
  input: { channels: 1, height: 14, width: 14 },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3 },
    { type: 'relu' },
    { type: 'conv2d', filters: 5, kernelSize: 5 },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 3 },
  ],
  loss: 'softmax-cross-entropy',
};

/** Loss, outputs and gradients of the second of two steps on one batch (the first leaves memory behind). */
function trainTwice(backend: 'wasm' | 'typescript', batch: number) {
  setKernelBackend(backend);
  const network = buildNetwork(SECOND_CONV_DIRECT, new Rng(3));
  const rng = new Rng(batch);
  const x = tensor([batch, 1, 14, 14], randomValues(batch * 14 * 14, rng));
  const labels = Int32Array.from({ length: batch }, (_, n) => n % 3);
  trainBatch(network, x, labels);
  const result = trainBatch(network, x, labels);
  return {
    loss: result.loss,
    output: result.output.data.slice(),
    grads: network.params.map((param) => param.grad.slice()),
    layerPath: network.deltas.some((delta) => delta !== null),
  };
}

describe('the direct (transposed-convolution) input gradient', () => {
  it('agrees with a float64 direct convolution and is what conv2dBackwardData runs for its shapes', () => {
    const k = activeWasmKernels();
    const shapes = fc.record({
      batch: fc.integer({ min: 1, max: 3 }),
      channels: fc.integer({ min: 1, max: 9 }),
      filters: fc.integer({ min: 1, max: 17 }),
      kernel: fc.integer({ min: 1, max: 5 }),
      outH: fc.integer({ min: 1, max: 12 }),
      outW: fc.constantFrom(8, 16, 24),
    });
    fc.assert(
      fc.property(shapes, fc.integer({ min: 1, max: 1 << 30 }), (s, seed) => {
        const K = s.kernel;
        const [height, width] = [s.outH + K - 1, s.outW + K - 1];
        const xFloats = s.batch * s.channels * height * width;
        const r = new ScratchLayout(k, () => ({
          shape: 9,
          weight: s.filters * s.channels * K * K,
          dy: s.batch * s.filters * s.outH * s.outW,
          dx: xFloats,
          guard: GUARD,
          cols: (s.channels * K * K + s.filters) * s.outH * s.outW,
          pack: k.exports.packSize(Math.max(s.outH * s.outW, s.filters)),
        })).regions(s.batch);
        r.shape.ints.set([s.channels, height, width, s.filters, K, 1, 0, s.outH, s.outW]);
        const rng = new Rng(seed);
        for (const view of [r.weight.view, r.dy.view]) {
          for (let i = 0; i < view.length; i++) view[i] = rng.nextFloat() * 2 - 1;
        }
        r.dx.view.fill(Number.NaN);
        r.guard.view.fill(SENTINEL);
        k.exports.transposedBackwardData(r.shape.address, s.batch, r.dy.address, r.weight.address, r.dx.address);
        const direct = r.dx.view.slice();
        expectValuesAgree(direct, inputGradientByDefinition(s, r.weight.view, r.dy.view), s.filters * K * K, 'dx');
        expect(
          r.guard.view.every((v) => v === SENTINEL),
          'memory after dx',
        ).toBe(true);

        // 3×3 kernels over 3 or more channels and 25 or more outputs run Winograd (assembly/conv2d.ts, winogradPays)
        if (K === 3 && s.channels >= 3 && s.outH * s.outW >= 25) return;
        // fewer than 4 channels stay on im2col (assembly/conv2d-transposed.ts, transposedBackwardDataApplies)
        if (s.channels < 4) return;
        r.dx.view.fill(Number.NaN);
        const args = [r.shape.address, s.batch, r.dy.address, r.weight.address, r.dx.address] as const;
        k.exports.conv2dBackwardData(...args, r.cols.address, r.pack.address);
        expect(bytes(r.dx.view).equals(bytes(direct)), 'conv2dBackwardData runs the direct path').toBe(true);
      }),
      { numRuns: 80, examples: [[{ batch: 3, channels: 8, filters: 16, kernel: 5, outH: 8, outW: 8 }, 7]] },
    );
  });

  it('is not run for fewer than 4 channels, output rows not a multiple of 8, padding or a stride', () => {
    const k = activeWasmKernels();
    // conv2dBackwardData on these shapes gives im2col's bits, which a wrong dispatch would not reproduce exactly
    const cases = [
      { channels: 1, height: 28, width: 28, filters: 8, kernel: 5, stride: 1, pad: 0 },
      { channels: 4, height: 11, width: 11, filters: 3, kernel: 5, stride: 1, pad: 0 },
      { channels: 4, height: 12, width: 12, filters: 3, kernel: 5, stride: 1, pad: 2 },
      { channels: 4, height: 23, width: 23, filters: 3, kernel: 5, stride: 2, pad: 0 },
    ];
    for (const c of cases) {
      const outH = Math.floor((c.height + 2 * c.pad - c.kernel) / c.stride) + 1;
      const outW = Math.floor((c.width + 2 * c.pad - c.kernel) / c.stride) + 1;
      const r = new ScratchLayout(k, () => ({
        shape: 9,
        weight: c.filters * c.channels * c.kernel * c.kernel,
        dy: c.filters * outH * outW,
        dx: c.channels * c.height * c.width,
        cols: (c.channels * c.kernel * c.kernel + c.filters) * outH * outW,
        pack: k.exports.packSize(Math.max(outH * outW, c.filters)),
      })).regions(1);
      r.shape.ints.set([c.channels, c.height, c.width, c.filters, c.kernel, c.stride, c.pad, outH, outW]);
      const rng = new Rng(3);
      for (const view of [r.weight.view, r.dy.view]) {
        for (let i = 0; i < view.length; i++) view[i] = rng.nextFloat() * 2 - 1;
      }
      const args = [r.shape.address, 1, r.dy.address, r.weight.address, r.dx.address] as const;
      k.exports.im2colBackwardData(...args, r.cols.address, r.pack.address);
      const im2col = r.dx.view.slice();
      r.dx.view.fill(Number.NaN);
      k.exports.conv2dBackwardData(...args, r.cols.address, r.pack.address);
      expect(bytes(r.dx.view).equals(bytes(im2col)), JSON.stringify(c)).toBe(true);
    }
  });

  it('in a training step agrees with the TypeScript layers and is bit-identical on 1, 2 and 3 threads', async () => {
    const single = trainTwice('wasm', 45);
    const reference = trainTwice('typescript', 45);
    expect(single.layerPath, 'the wasm run took the data-parallel step').toBe(false);
    expect(Math.abs(single.loss - reference.loss)).toBeLessThan(1e-5 * (1 + reference.loss));
    expectValuesAgree(single.output, reference.output, 128, 'output');
    for (const [i, grad] of single.grads.entries()) expectValuesAgree(grad, reference.grads[i], 256, `grad ${i}`);
    for (const threads of [2, 3]) {
      await expect(setKernelThreads(threads, startNodeKernelThread)).resolves.toBe(threads);
      const split = trainTwice('wasm', 45);
      expect(split.loss).toBe(single.loss);
      expect(bytes(split.output).equals(bytes(single.output)), `output, ${threads} threads`).toBe(true);
      split.grads.forEach((grad, i) => {
        expect(bytes(grad).equals(bytes(single.grads[i])), `grad ${i}, ${threads} threads`).toBe(true);
      });
    }
  });
});
