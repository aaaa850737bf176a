/**
 * The im2col path of assembly/conv2d.ts and the columns the training step keeps from a convolution's forward pass
 * for its weight gradient. On random shapes (kernel 1–5, stride 1–3, padding 0–2; the stride-1 unpadded ones run
 * the dense im2col and col2im, with runs of 1–3 floats, 4–7 (an overlapping last vector), 8, 16, 24 and others):
 * the kept columns are exactly the im2col matrix by its definition, the keeping forward pass and the weight
 * gradient that reads them give the same bits as the passes that build their own columns (whole, and split by
 * rows and filters as threads split it), and forward, both gradients and the bias gradient agree with a float64
 * direct convolution. Then which columns are kept (Winograd shapes have none; a 64 MiB budget over the step's
 * layers, in layer order, at its boundary), the program the step compiles, and the step itself: keeping the
 * columns or building them again gives the same loss, outputs and gradients bit for bit, on 1 and 2 threads.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { setKernelBackend, setKernelThreads } from '../../src/engine/kernels/backend';
import { conv2dDims } from '../../src/engine/kernels/dims';
import { alignedFloats, ScratchLayout, type ScratchRegion } from '../../src/engine/kernels/wasm/scratch-layout';
import {
  compileTrainStep,
  KEPT_COLUMNS_BUDGET_FLOATS,
  type StepLayer,
} from '../../src/engine/kernels/wasm/train-step-program';
import { TrainStepWasm } from '../../src/engine/kernels/wasm/train-step-wasm';
import type { WasmKernels } from '../../src/engine/kernels/wasm/wasm-kernels';
import { createParam } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';
import { startNodeKernelThread } from '../../src/node/node-kernel-threads';
import { activeWasmKernels, expectValuesAgree, randomValues } from './compare-backends';

interface Shape {
  batch: number;
  channels: number;
  filters: number;
  height: number;
  width: number;
  kernel: number;
  stride: number;
  pad: number;
}

function outSize(s: Shape): { outH: number; outW: number } {
  return {
    outH: Math.floor((s.height + 2 * s.pad - s.kernel) / s.stride) + 1,
    outW: Math.floor((s.width + 2 * s.pad - s.kernel) / s.stride) + 1,
  };
}

type Region =
  | 'shape'
  | 'x'
  | 'weight'
  | 'bias'
  | 'dy'
  | 'y'
  | 'dx'
  | 'dWeight'
  | 'dBias'
  | 'dWeightT'
  | 'cols'
  | 'kept'
  | 'guard'
  | 'pack';

const GUARD = 16;
const SENTINEL = 12345.5;

/** One convolution's operands and scratch in the wasm memory. */
function layout(k: WasmKernels, s: Shape): Record<Region, ScratchRegion> {
  const { outH, outW } = outSize(s);
  const patch = s.channels * s.kernel * s.kernel;
  const outPlane = outH * outW;
  const r = new ScratchLayout<Region>(k, () => ({
    shape: 9,
    x: s.batch * s.channels * s.height * s.width,
    weight: s.filters * patch,
    bias: s.filters,
    dy: s.batch * s.filters * outPlane,
    y: s.batch * s.filters * outPlane,
    dx: s.batch * s.channels * s.height * s.width,
    dWeight: s.filters * patch,
    dBias: s.filters,
    dWeightT: s.filters * patch,
    cols: (patch + s.filters) * outPlane,
    kept: alignedFloats(s.batch * patch * outPlane),
    guard: GUARD,
    pack: k.exports.packSize(Math.max(outPlane, s.filters)),
  })).regions(s.batch);
  r.shape.ints.set([s.channels, s.height, s.width, s.filters, s.kernel, s.stride, s.pad, outH, outW]);
  return r;
}

/** cols[n][r, oh·OW + ow] = x[n, c, oh·s − p + kh, ow·s − p + kw] for r = (c·K + kh)·K + kw, 0 outside x. */
function im2colByDefinition(s: Shape, x: Float32Array): Float32Array {
  const { outH, outW } = outSize(s);
  const K = s.kernel;
  const patch = s.channels * K * K;
  const cols = new Float32Array(s.batch * patch * outH * outW);
  let at = 0;
  for (let n = 0; n < s.batch; n++) {
    for (let r = 0; r < patch; r++) {
      const [c, kh, kw] = [Math.floor(r / (K * K)), Math.floor(r / K) % K, r % K];
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++, at++) {
          const ih = oh * s.stride - s.pad + kh;
          const iw = ow * s.stride - s.pad + kw;
          const inside = ih >= 0 && ih < s.height && iw >= 0 && iw < s.width;
          cols[at] = inside ? x[((n * s.channels + c) * s.height + ih) * s.width + iw] : 0;
        }
      }
    }
  }
  return cols;
}

/** y, dx, dW and db by the definition in float64, from the im2col matrix of the definition. */
function direct(s: Shape, x: Float32Array, weight: Float32Array, bias: Float32Array, dy: Float32Array) {
  const { outH, outW } = outSize(s);
  const patch = s.channels * s.kernel * s.kernel;
  const outPlane = outH * outW;
  const cols = im2colByDefinition(s, x);
  const index = im2colByDefinition(
    s,
    Float32Array.from({ length: x.length }, (_, i) => i + 1),
  );
  const y = new Float64Array(s.batch * s.filters * outPlane);
  const dx = new Float64Array(x.length);
  const dWeight = new Float64Array(s.filters * patch);
  const dBias = new Float64Array(s.filters);
  for (let n = 0; n < s.batch; n++) {
    for (let o = 0; o < s.filters; o++) {
      for (let q = 0; q < outPlane; q++) {
        const yAt = (n * s.filters + o) * outPlane + q;
        let sum = bias[o];
        dBias[o] += dy[yAt];
        for (let r = 0; r < patch; r++) {
          const colAt = (n * patch + r) * outPlane + q;
          sum += weight[o * patch + r] * cols[colAt];
          dWeight[o * patch + r] += dy[yAt] * cols[colAt];
          if (index[colAt] > 0) dx[index[colAt] - 1] += weight[o * patch + r] * dy[yAt];
        }
        y[yAt] = sum;
      }
    }
  }
  return {
    cols,
    y: Float32Array.from(y),
    dx: Float32Array.from(dx),
    dWeight: Float32Array.from(dWeight),
    dBias: Float32Array.from(dBias),
  };
}

interface FilterRun {
  dWeight: Float32Array;
  dBias: Float32Array;
}

/** The weight gradient from zero, rows of dWᵀ and filters of db cut at rowCut and filterCut as two threads would. */
function weightGradient(
  k: WasmKernels,
  s: Shape,
  r: Record<Region, ScratchRegion>,
  kept: boolean,
  rowCut: number,
  filterCut: number,
): FilterRun {
  const patch = s.channels * s.kernel * s.kernel;
  r.dWeight.view.fill(0);
  r.dBias.view.fill(0);
  const parts: [number, number, number, number][] = [
    [0, rowCut, 0, filterCut],
    [rowCut, patch, filterCut, s.filters],
  ];
  for (const [rowStart, rowEnd, filterStart, filterEnd] of parts) {
    const gradients = [r.dWeight.address, r.dBias.address, r.dWeightT.address] as const;
    if (kept) {
      k.exports.im2colBackwardFilterKept(
        r.shape.address,
        s.batch,
        r.kept.address,
        r.dy.address,
        ...gradients,
        r.cols.address,
        r.pack.address,
        rowStart,
        rowEnd,
        filterStart,
        filterEnd,
      );
    } else {
      k.exports.im2colBackwardFilter(
        r.shape.address,
        s.batch,
        r.x.address,
        r.dy.address,
        ...gradients,
        r.cols.address,
        r.pack.address,
        rowStart,
        rowEnd,
        filterStart,
        filterEnd,
      );
    }
  }
  return { dWeight: r.dWeight.view.slice(), dBias: r.dBias.view.slice() };
}

const bytes = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

function expectSameBits(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(bytes(actual).equals(bytes(expected)), what).toBe(true);
}

/** Mostly stride 1 without padding (the dense im2col and col2im), widths that give every run length. */
const shapeArbitrary = fc
  .record({
    batch: fc.constantFrom(1, 3, 8),
    channels: fc.integer({ min: 1, max: 5 }),
    filters: fc.integer({ min: 1, max: 9 }),
    height: fc.integer({ min: 1, max: 14 }),
    width: fc.integer({ min: 1, max: 30 }),
    kernel: fc.integer({ min: 1, max: 5 }),
    stride: fc.constantFrom(1, 1, 1, 2, 3),
    pad: fc.constantFrom(0, 0, 0, 1, 2),
  })
  .filter((s) => s.height + 2 * s.pad >= s.kernel && s.width + 2 * s.pad >= s.kernel);

afterEach(async () => {
  setKernelBackend('auto');
  await setKernelThreads(1, startNodeKernelThread);
});

describe('kept im2col columns', () => {
  it('are the im2col matrix, give the same bits as rebuilt columns and agree with a float64 direct convolution', () => {
    const k = activeWasmKernels();
    const A1 = { batch: 8, channels: 1, filters: 8, height: 28, width: 28, kernel: 5, stride: 1, pad: 0 };
    const A2 = { batch: 8, channels: 8, filters: 16, height: 12, width: 12, kernel: 5, stride: 1, pad: 0 };
    fc.assert(
      fc.property(shapeArbitrary, fc.integer({ min: 0, max: 1_000_000 }), (s, seed) => {
        const rng = new Rng(seed);
        const { outH, outW } = outSize(s);
        const patch = s.channels * s.kernel * s.kernel;
        const x = randomValues(s.batch * s.channels * s.height * s.width, rng);
        const weight = randomValues(s.filters * patch, rng);
        const bias = randomValues(s.filters, rng);
        const dy = randomValues(s.batch * s.filters * outH * outW, rng);
        const expected = direct(s, x, weight, bias, dy);
        const r = layout(k, s);
        r.x.view.set(x);
        r.weight.view.set(weight);
        r.bias.view.set(bias);
        r.dy.view.set(dy);
        r.guard.view.fill(SENTINEL);
        const forward = [r.shape.address, s.batch, r.x.address, r.weight.address, r.bias.address, r.y.address] as const;

        k.exports.im2colForward(...forward, r.cols.address, r.pack.address);
        const rebuilt = r.y.view.slice();
        r.y.view.fill(Number.NaN);
        k.exports.im2colForwardKeeping(...forward, r.kept.address, r.pack.address);
        expectSameBits(r.y.view, rebuilt, 'y');
        expectSameBits(r.kept.view.subarray(0, expected.cols.length), expected.cols, 'kept columns');
        expect(
          r.guard.view.every((v) => v === SENTINEL),
          'memory after the kept columns',
        ).toBe(true);

        const rowCut = 4 * Math.floor(rng.nextInt(patch + 1) / 4);
        const filterCut = rng.nextInt(s.filters + 1);
        const whole = weightGradient(k, s, r, false, patch, s.filters);
        for (const kept of [false, true]) {
          const split = weightGradient(k, s, r, kept, rowCut, filterCut);
          expectSameBits(split.dWeight, whole.dWeight, `dW (kept ${kept}, rows cut at ${rowCut})`);
          expectSameBits(split.dBias, whole.dBias, `db (kept ${kept}, filters cut at ${filterCut})`);
        }

        k.exports.im2colBackwardData(
          r.shape.address,
          s.batch,
          r.dy.address,
          r.weight.address,
          r.dx.address,
          r.cols.address,
          r.pack.address,
        );
        expectValuesAgree(r.y.view, expected.y, patch, 'y');
        expectValuesAgree(r.dx.view, expected.dx, s.filters * s.kernel * s.kernel, 'dx');
        expectValuesAgree(whole.dWeight, expected.dWeight, s.batch * outH * outW, 'dW');
        expectValuesAgree(whole.dBias, expected.dBias, s.batch * outH * outW, 'db');
      }),
      {
        numRuns: 120,
        examples: [
          [A1, 1],
          [A2, 2],
        ],
      },
    );
  });

  it("are one sample's im2col matrix for im2col shapes, and none for Winograd shapes", () => {
    const e = activeWasmKernels().exports;
    // workload A's two convolutions
    expect(e.conv2dColumnsFloats(1, 28, 28, 5, 1, 0)).toBe(25 * 576);
    expect(e.conv2dColumnsFloats(8, 12, 12, 5, 1, 0)).toBe(200 * 64);
    // padding and stride: 3 × 9 rows of 4 × 4 positions
    expect(e.conv2dColumnsFloats(3, 7, 7, 3, 2, 1)).toBe(27 * 16);
    // 3×3, stride 1, 8 channels on 12 × 12: Winograd runs it, there are no columns
    expect(e.conv2dColumnsFloats(8, 12, 12, 3, 1, 1)).toBe(0);
    // 2 channels: im2col again
    expect(e.conv2dColumnsFloats(2, 12, 12, 3, 1, 1)).toBe(18 * 144);
  });
});

/** conv 1→3 5×5, relu, conv 3→4 3×3 stride 2 pad 1, then dense to 5 classes; on 1 × 12 × 11 inputs. */
function stepLayers(rng: Rng): { layers: StepLayer[]; inSize: number } {
  const conv = (path: number, inShape: number[], outShape: number[], kernel: number, stride: number, pad: number) => {
    const weight = createParam(path, 'weight', [outShape[0], inShape[0], kernel, kernel]);
    const bias = createParam(path, 'bias', [outShape[0]]);
    weight.data.set(randomValues(weight.data.length, rng));
    bias.data.set(randomValues(bias.data.length, rng));
    const dims = conv2dDims(0, inShape, outShape, kernel, stride, pad);
    return { type: 'conv2d' as const, dims, weight, bias };
  };
  const weight = createParam(4, 'weight', [5, 4 * 4 * 4]);
  const bias = createParam(4, 'bias', [5]);
  weight.data.set(randomValues(weight.data.length, rng));
  const layers: StepLayer[] = [
    conv(0, [1, 12, 11], [3, 8, 7], 5, 1, 0),
    { type: 'relu', size: 3 * 8 * 7 },
    conv(2, [3, 8, 7], [4, 4, 4], 3, 2, 1),
    { type: 'flatten' },
    { type: 'dense', inFeatures: 64, outFeatures: 5, weight, bias },
  ];
  return { layers, inSize: 12 * 11 };
}

describe('the training step with kept columns', () => {
  it('compiles a kept-columns region per im2col convolution, named in its forward and backward records', () => {
    const { layers, inSize } = stepLayers(new Rng(1));
    const sizes = { packSize: () => 64, convScratch: () => 64 };
    const keeping = compileTrainStep(layers, inSize, 5, 19, 3, { ...sizes, columns: () => 99 });
    const forwards = keeping.records.filter((record) => record[0] === 1);
    const backwards = keeping.records.filter((record) => record[0] === 9);
    expect(forwards.map((record) => keeping.sizes[record[8] as string])).toEqual([19 * 99, 19 * 99]);
    // one sample's columns: 25 rows × 56 positions, then 27 rows × 16 positions
    expect(forwards.map((record) => record[9])).toEqual([25 * 56, 27 * 16]);
    expect(backwards.map((record) => [record[12], record[13]])).toEqual(
      [...forwards].reverse().map((record) => [record[8], record[9]]),
    );
    const rebuilding = compileTrainStep(layers, inSize, 5, 19, 3, { ...sizes, columns: () => 0 });
    const words = rebuilding.records.filter((r) => r[0] === 1 || r[0] === 9).map((r) => r.slice(r[0] === 1 ? 8 : 12));
    expect(words).toEqual([
      ['', 0],
      ['', 0],
      ['', 0],
      ['', 0],
    ]);
  });

  it('keeps columns in layer order while all of them fit in 64 MiB', () => {
    const { layers, inSize } = stepLayers(new Rng(1));
    const sizes = { packSize: () => 64, convScratch: () => 64 };
    const kept = (firstLayer: number, secondLayer: number, batch: number) => {
      const columns = (d: { inChannels: number }) => (d.inChannels === 1 ? firstLayer : secondLayer);
      const step = compileTrainStep(layers, inSize, 5, batch, Math.ceil(batch / 8), { ...sizes, columns });
      return step.records.filter((record) => record[0] === 1).map((record) => record[8] !== '');
    };
    expect(KEPT_COLUMNS_BUDGET_FLOATS).toBe(16 * 1024 * 1024);
    // 16 samples of 1 Mi floats fill the budget exactly: the second layer's 16 floats no longer fit
    expect(kept(1 << 20, 1, 16)).toEqual([true, false]);
    expect(kept((1 << 20) - 1, 1, 16)).toEqual([true, true]);
    // the first layer alone is over: it builds its columns again, and the second still keeps its own
    expect(kept(1 << 20, 1, 17)).toEqual([false, true]);
    // a layer without columns (Winograd) keeps none
    expect(kept(0, 1, 16)).toEqual([false, true]);
  });

  it.each([1, 2])('gives the same bits as building the columns again, on %i thread(s)', async (threads) => {
    await expect(setKernelThreads(threads, startNodeKernelThread)).resolves.toBe(threads);
    const k = activeWasmKernels();
    const batch = 19;
    const { layers, inSize } = stepLayers(new Rng(4));
    const rng = new Rng(5);
    const x = randomValues(batch * inSize, rng);
    const labels = Int32Array.from({ length: batch }, (_, n) => (n * 3 + 1) % 5);
    const params = layers.flatMap((layer) =>
      layer.type === 'conv2d' || layer.type === 'dense' ? [layer.weight, layer.bias] : [],
    );
    const run = (keepColumns: boolean) => {
      const step = new TrainStepWasm(k, layers, inSize, 5, batch, keepColumns);
      const loss = step.run(x, labels, () => {});
      return {
        loss,
        outputs: layers.map((_, i) => step.output(i).slice()),
        grads: params.map((param) => param?.grad.slice() as Float32Array),
      };
    };
    const rebuilt = run(false);
    const kept = run(true);
    expect(kept.loss).toBe(rebuilt.loss);
    for (const [i, output] of kept.outputs.entries()) expectSameBits(output, rebuilt.outputs[i], `output ${i}`);
    for (const [i, grad] of kept.grads.entries()) expectSameBits(grad, rebuilt.grads[i], `gradient ${i}`);
  });
});
