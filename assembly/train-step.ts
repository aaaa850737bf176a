/**
 * One training step, data parallel: the host lays out every activation, gradient and parameter of the step in
 * linear memory once (src/engine/kernels/wasm/train-step-wasm.ts) and writes a program, one record of OP_WORDS
 * i32 per pass: the forward passes in layer order (a residual block's body, then its shortcut, then their sum),
 * the loss, then the backward passes in reverse. trainChunks runs a run of records (a phase) on each of its
 * chunks of samples in turn, so one fork-join covers a phase. A network without batch norm is one phase; each
 * batch norm ends a phase twice, after its per-chunk statistics (forward) and after its per-chunk gradient sums
 * (backward), because the host must combine those over the whole batch before the next phase can go on.
 * Every address in a record is that of sample 0; a pass on chunk c moves it to the chunk's first sample.
 * Weight gradients go to the chunk's own slab (each parameter's part cleared by a record just before the pass
 * that adds into it), never to a shared sum, and sumChunks adds the slabs in chunk order afterwards; per-chunk
 * batch norm partial sums go to the chunk's own slot. A chunk's work is the same whichever thread runs it, so
 * the step is bit-identical for any thread count, and running a chunk again (after a thread died) gives the
 * same result.
 */

import {
  batchNormBackwardData,
  batchNormChunkGradientSums,
  batchNormChunkStatistics,
  batchNormNormalize,
} from './batch-norm';
import {
  conv2dBackwardData,
  conv2dBackwardFilter,
  conv2dForward,
  im2colBackwardFilterKept,
  im2colForwardKeeping,
} from './conv2d';
import { denseBackwardData, denseBackwardFilter, denseForwardTransposed } from './dense';
import { reluBackward, reluForward } from './elementwise';
import { globalAvgPoolBackward, globalAvgPoolForward } from './global-avg-pool';
import { leakyReluBackward, leakyReluForward } from './leaky-relu';
import { maxPool2dBackward, maxPool2dForward } from './maxpool2d';
import { reluMaxPool2x2Backward, reluMaxPool2x2Forward } from './relu-maxpool';
import { residualAdd } from './residual-add';

/** i32 per program record; the opcode is the first. */
const OP_WORDS = 16;

// [op, shape, x, xSample, weight, bias, y, ySample, keptCols or 0, colsSample]: with keptCols, an im2col-path
// convolution leaves each sample's im2col matrix (colsSample floats) there for its CONV_BACKWARD
const CONV_FORWARD = 1;
// [op, x, y, sample]
const RELU_FORWARD = 2;
// [op, channels, inHeight, inWidth, pool, stride, outHeight, outWidth, x, y, argmax]
const MAXPOOL_FORWARD = 3;
// [op, features, units, x, weightT, bias, y]: weightT is Wᵀ [features, units], transposed by the host once per step
const DENSE_FORWARD = 4;
// [op, classes, logits, labels, dLogits, losses]: losses are f64 per sample
const SOFTMAX_CROSS_ENTROPY = 5;
// [op, features, units, x, dy, weight, dWeight, dBias, dx or 0]: dWeight, dBias are offsets in the chunk's slab, or
// dWeight is −1 for a layer whose weight gradient the host computes over the whole batch afterwards
const DENSE_BACKWARD = 6;
// [op, x, dy, dx, sample]
const RELU_BACKWARD = 7;
// [op, channels, inHeight, inWidth, pool, stride, outHeight, outWidth, dy, argmax, dx]
const MAXPOOL_BACKWARD = 8;
// [op, shape, x, xSample, dy, ySample, weight, dWeight, dBias, dx or 0, patch, filters, keptCols or 0, colsSample]:
// with keptCols, the weight gradient reads the im2col matrices its CONV_FORWARD kept instead of building them
const CONV_BACKWARD = 9;
// [op, a, b, out, sample]: out = a · b elementwise (dropout: y = x · mask forward, dx = dy · mask backward)
const MULTIPLY = 10;
// [op, byte offset in the slab, bytes]: clears a parameter's part of the chunk's slab before its pass adds into it
const CLEAR_SLAB = 11;
// [op, x, y, sample, slope as f64 (two words)]
const LEAKY_RELU_FORWARD = 12;
// [op, x, dy, dx, sample, slope as f64 (two words)]
const LEAKY_RELU_BACKWARD = 13;
// [op, channels, plane, x, y]
const GLOBAL_AVG_POOL_FORWARD = 14;
// [op, channels, plane, dy, dx]
const GLOBAL_AVG_POOL_BACKWARD = 15;
// [op, a, b, out, sample]: out = a + b (a residual block's two branches)
const ADD = 16;
// [op, channels, plane, x, partials]: chunk c's two f64 per channel at partials + c · channels · 16
const BATCH_NORM_STATISTICS = 17;
// [op, channels, plane, x, xHat, y, gamma, beta, coefficients]: f64 mean[C] then invStd[C] at coefficients
const BATCH_NORM_NORMALIZE = 18;
// [op, channels, plane, dy, xHat, partials]: as BATCH_NORM_STATISTICS
const BATCH_NORM_GRADIENT_SUMS = 19;
// [op, channels, plane, dy, xHat, dx, coefficients]: f64 scale[C], meanDy[C], meanDyXHat[C] at coefficients + 16·C
const BATCH_NORM_BACKWARD_DATA = 20;
// [op, channels, inHeight, inWidth, outHeight, outWidth, x, relu's y, pool's y, argmax]: a relu then a 2×2 max-pool
// with stride 2 in one pass (assembly/relu-maxpool.ts)
const RELU_MAXPOOL_FORWARD = 21;
// [op, channels, inHeight, inWidth, outHeight, outWidth, pool's dy, argmax, pool's y, relu's dx]
const RELU_MAXPOOL_BACKWARD = 22;

function word(record: usize, index: i32): i32 {
  return load<i32>(record + ((<usize>index) << 2));
}

/** The f64 held in words index and index + 1 (little endian, as the host wrote it). */
function float64Word(record: usize, index: i32): f64 {
  return load<f64>(record + ((<usize>index) << 2));
}

/** Address of sample `n` of a batch at `base` whose samples are `sampleFloats` floats each. */
function at(base: i32, n: i32, sampleFloats: i32): usize {
  return <usize>base + ((<usize>n * <usize>sampleFloats) << 2);
}

/**
 * Softmax cross-entropy of `count` samples, fused with its backward, the same math as
 * src/engine/losses/softmax-cross-entropy.ts (float64 inside, probabilities rounded to float32 as there):
 * losses[n] = log Σ_k e^(y_nk) − y_n,t_n and dy_nk = (p_nk − [k = t_n]) / batch.
 */
function softmaxCrossEntropy(
  count: i32,
  classes: i32,
  logits: usize,
  labels: usize,
  dLogits: usize,
  losses: usize,
  batch: i32,
): void {
  const scale: f64 = 1.0 / <f64>batch;
  for (let n = 0; n < count; n++) {
    const row = logits + ((<usize>(n * classes)) << 2);
    const dRow = dLogits + ((<usize>(n * classes)) << 2);
    let max = load<f32>(row);
    for (let k = 1; k < classes; k++) {
      const v = load<f32>(row + ((<usize>k) << 2));
      if (v > max) max = v;
    }
    let sumExp: f64 = 0;
    for (let k = 0; k < classes; k++) sumExp += Math.exp(<f64>load<f32>(row + ((<usize>k) << 2)) - <f64>max);
    for (let k = 0; k < classes; k++) {
      const p = <f32>(Math.exp(<f64>load<f32>(row + ((<usize>k) << 2)) - <f64>max) / sumExp);
      store<f32>(dRow + ((<usize>k) << 2), <f32>(<f64>p * scale));
    }
    const label = load<i32>(labels + ((<usize>n) << 2));
    const labelAt = dRow + ((<usize>label) << 2);
    const p = <f32>(Math.exp(<f64>load<f32>(row + ((<usize>label) << 2)) - <f64>max) / sumExp);
    store<f32>(labelAt, <f32>((<f64>p - 1) * scale));
    const loss = <f64>max + Math.log(sumExp) - <f64>load<f32>(row + ((<usize>label) << 2));
    store<f64>(losses + ((<usize>n) << 3), loss);
  }
}

/** out[i] = a[i] · b[i] for `count` floats, one rounding each, as src/engine/layers/dropout.ts. */
function multiply(count: i32, a: usize, b: usize, out: usize): void {
  const bytes = (<usize>count) << 2;
  const vectorBytes = bytes & ~15;
  let i: usize = 0;
  for (; i < vectorBytes; i += 16) v128.store(out + i, f32x4.mul(v128.load(a + i), v128.load(b + i)));
  for (; i < bytes; i += 4) store<f32>(out + i, load<f32>(a + i) * load<f32>(b + i));
}

/** Runs one record of the block layers (opcodes 11 and up) on samples [n0, n0 + count) of chunk `chunk`. */
function runBlockRecord(r: usize, op: i32, chunk: i32, n0: i32, count: i32, slab: usize): void {
  if (op === CLEAR_SLAB) {
    memory.fill(slab + <usize>word(r, 1), 0, <usize>word(r, 2));
  } else if (op === LEAKY_RELU_FORWARD) {
    const sample = word(r, 3);
    leakyReluForward(count * sample, at(word(r, 1), n0, sample), at(word(r, 2), n0, sample), float64Word(r, 4));
  } else if (op === LEAKY_RELU_BACKWARD) {
    const sample = word(r, 4);
    leakyReluBackward(
      count * sample,
      at(word(r, 1), n0, sample),
      at(word(r, 2), n0, sample),
      at(word(r, 3), n0, sample),
      float64Word(r, 5),
    );
  } else if (op === GLOBAL_AVG_POOL_FORWARD || op === GLOBAL_AVG_POOL_BACKWARD) {
    const channels = word(r, 1);
    const plane = word(r, 2);
    if (op === GLOBAL_AVG_POOL_FORWARD) {
      globalAvgPoolForward(count * channels, plane, at(word(r, 3), n0, channels * plane), at(word(r, 4), n0, channels));
    } else {
      globalAvgPoolBackward(
        count * channels,
        plane,
        at(word(r, 3), n0, channels),
        at(word(r, 4), n0, channels * plane),
      );
    }
  } else if (op === ADD) {
    const sample = word(r, 4);
    residualAdd(count * sample, at(word(r, 1), n0, sample), at(word(r, 2), n0, sample), at(word(r, 3), n0, sample));
  } else if (op === BATCH_NORM_STATISTICS || op === BATCH_NORM_GRADIENT_SUMS) {
    const channels = word(r, 1);
    const plane = word(r, 2);
    const sample = channels * plane;
    const partials = <usize>word(r, op === BATCH_NORM_STATISTICS ? 4 : 5) + ((<usize>(chunk * channels)) << 4);
    if (op === BATCH_NORM_STATISTICS) {
      batchNormChunkStatistics(count, channels, plane, at(word(r, 3), n0, sample), partials);
    } else {
      batchNormChunkGradientSums(
        count,
        channels,
        plane,
        at(word(r, 3), n0, sample),
        at(word(r, 4), n0, sample),
        partials,
      );
    }
  } else if (op === BATCH_NORM_NORMALIZE) {
    const channels = word(r, 1);
    const plane = word(r, 2);
    const sample = channels * plane;
    const coefficients = <usize>word(r, 8);
    batchNormNormalize(
      count,
      channels,
      plane,
      at(word(r, 3), n0, sample),
      at(word(r, 4), n0, sample),
      at(word(r, 5), n0, sample),
      <usize>word(r, 6),
      <usize>word(r, 7),
      coefficients,
      coefficients + ((<usize>channels) << 3),
    );
  } else if (op === BATCH_NORM_BACKWARD_DATA) {
    const channels = word(r, 1);
    const plane = word(r, 2);
    const sample = channels * plane;
    const coefficients = <usize>word(r, 6) + ((<usize>channels) << 4);
    batchNormBackwardData(
      count,
      channels,
      plane,
      at(word(r, 3), n0, sample),
      at(word(r, 4), n0, sample),
      at(word(r, 5), n0, sample),
      coefficients,
      coefficients + ((<usize>channels) << 3),
      coefficients + ((<usize>channels) << 4),
    );
  } else if (op === RELU_MAXPOOL_FORWARD || op === RELU_MAXPOOL_BACKWARD) {
    const channels = word(r, 1);
    const inSample = channels * word(r, 2) * word(r, 3);
    const outSample = channels * word(r, 4) * word(r, 5);
    const planes = count * channels;
    if (op === RELU_MAXPOOL_FORWARD) {
      reluMaxPool2x2Forward(
        planes,
        word(r, 2),
        word(r, 3),
        word(r, 4),
        word(r, 5),
        at(word(r, 6), n0, inSample),
        at(word(r, 7), n0, inSample),
        at(word(r, 8), n0, outSample),
        at(word(r, 9), n0, outSample),
      );
    } else {
      reluMaxPool2x2Backward(
        planes,
        word(r, 2),
        word(r, 3),
        word(r, 4),
        word(r, 5),
        at(word(r, 6), n0, outSample),
        at(word(r, 7), n0, outSample),
        at(word(r, 8), n0, outSample),
        at(word(r, 9), n0, inSample),
      );
    }
  } else {
    unreachable();
  }
}

/** Runs one record on samples [n0, n0 + count) of chunk `chunk`; `slab` is the chunk's gradient slab. */
function runRecord(
  r: usize,
  chunk: i32,
  n0: i32,
  count: i32,
  batch: i32,
  slab: usize,
  cols: usize,
  pack: usize,
  dwt: usize,
): void {
  const op = word(r, 0);
  if (op >= CLEAR_SLAB) {
    runBlockRecord(r, op, chunk, n0, count, slab);
  } else if (op === CONV_FORWARD) {
    const shape = <usize>word(r, 1);
    const x = at(word(r, 2), n0, word(r, 3));
    const y = at(word(r, 6), n0, word(r, 7));
    const keptCols = word(r, 8);
    if (keptCols !== 0) {
      im2colForwardKeeping(
        shape,
        count,
        x,
        <usize>word(r, 4),
        <usize>word(r, 5),
        y,
        at(keptCols, n0, word(r, 9)),
        pack,
      );
    } else {
      conv2dForward(shape, count, x, <usize>word(r, 4), <usize>word(r, 5), y, cols, pack);
    }
  } else if (op === RELU_FORWARD) {
    const sample = word(r, 3);
    reluForward(count * sample, at(word(r, 1), n0, sample), at(word(r, 2), n0, sample));
  } else if (op === MAXPOOL_FORWARD || op === MAXPOOL_BACKWARD) {
    const channels = word(r, 1);
    const inSample = channels * word(r, 2) * word(r, 3);
    const outSample = channels * word(r, 6) * word(r, 7);
    if (op === MAXPOOL_FORWARD) {
      maxPool2dForward(
        count * channels,
        word(r, 2),
        word(r, 3),
        word(r, 4),
        word(r, 5),
        word(r, 6),
        word(r, 7),
        at(word(r, 8), n0, inSample),
        at(word(r, 9), n0, outSample),
        at(word(r, 10), n0, outSample),
      );
    } else {
      maxPool2dBackward(
        count * channels,
        word(r, 2),
        word(r, 3),
        word(r, 4),
        word(r, 5),
        word(r, 6),
        word(r, 7),
        at(word(r, 8), n0, outSample),
        at(word(r, 9), n0, outSample),
        at(word(r, 10), n0, inSample),
      );
    }
  } else if (op === DENSE_FORWARD) {
    const features = word(r, 1);
    const units = word(r, 2);
    denseForwardTransposed(
      count,
      features,
      units,
      at(word(r, 3), n0, features),
      <usize>word(r, 4),
      <usize>word(r, 5),
      at(word(r, 6), n0, units),
      pack,
    );
  } else if (op === SOFTMAX_CROSS_ENTROPY) {
    const classes = word(r, 1);
    softmaxCrossEntropy(
      count,
      classes,
      at(word(r, 2), n0, classes),
      at(word(r, 3), n0, 1),
      at(word(r, 4), n0, classes),
      at(word(r, 5), n0, 2),
      batch,
    );
  } else if (op === DENSE_BACKWARD) {
    const features = word(r, 1);
    const units = word(r, 2);
    const x = at(word(r, 3), n0, features);
    const dy = at(word(r, 4), n0, units);
    if (word(r, 6) >= 0) {
      const dWeight = slab + <usize>word(r, 6);
      const dBias = slab + <usize>word(r, 7);
      denseBackwardFilter(count, features, units, x, dy, dWeight, dBias, pack, 0, features, 0, units);
    }
    const dx = word(r, 8);
    if (dx !== 0) {
      denseBackwardData(count, features, units, dy, <usize>word(r, 5), at(dx, n0, features), pack, 0, features);
    }
  } else if (op === MULTIPLY) {
    const sample = word(r, 4);
    multiply(count * sample, at(word(r, 1), n0, sample), at(word(r, 2), n0, sample), at(word(r, 3), n0, sample));
  } else if (op === RELU_BACKWARD) {
    const sample = word(r, 4);
    reluBackward(count * sample, at(word(r, 1), n0, sample), at(word(r, 2), n0, sample), at(word(r, 3), n0, sample));
  } else if (op === CONV_BACKWARD) {
    const shape = <usize>word(r, 1);
    const xSample = word(r, 3);
    const ySample = word(r, 5);
    const x = at(word(r, 2), n0, xSample);
    const dy = at(word(r, 4), n0, ySample);
    const dWeight = slab + <usize>word(r, 7);
    const dBias = slab + <usize>word(r, 8);
    const keptCols = word(r, 12);
    if (keptCols !== 0) {
      const sampleCols = at(keptCols, n0, word(r, 13));
      im2colBackwardFilterKept(
        shape,
        count,
        sampleCols,
        dy,
        dWeight,
        dBias,
        dwt,
        cols,
        pack,
        0,
        word(r, 10),
        0,
        word(r, 11),
      );
    } else {
      conv2dBackwardFilter(shape, count, x, dy, dWeight, dBias, dwt, cols, pack, 0, word(r, 10), 0, word(r, 11));
    }
    const dx = word(r, 9);
    if (dx !== 0) conv2dBackwardData(shape, count, dy, <usize>word(r, 6), at(dx, n0, xSample), cols, pack);
  } else {
    unreachable();
  }
}

/**
 * Runs the `ops` records at `program` (one phase) on chunks [chunkStart, chunkEnd) of a batch of `batch` samples
 * split into chunks of `chunkSize`. Chunk c's weight gradients go to the slab at slabs + c · slabBytes. `scratch`
 * is this thread's own: one sample's im2col matrix (colsBytes), gemm's packing buffer (packBytes), then a conv's
 * dWᵀ.
 */
export function trainChunks(
  program: usize,
  ops: i32,
  chunkStart: i32,
  chunkEnd: i32,
  chunkSize: i32,
  batch: i32,
  slabs: usize,
  slabBytes: i32,
  scratch: usize,
  colsBytes: i32,
  packBytes: i32,
): void {
  const cols = scratch;
  const pack = scratch + <usize>colsBytes;
  const dwt = pack + <usize>packBytes;
  for (let c = chunkStart; c < chunkEnd; c++) {
    const n0 = c * chunkSize;
    const count = min(chunkSize, batch - n0);
    const slab = slabs + <usize>c * <usize>slabBytes;
    for (let i = 0; i < ops; i++) {
      runRecord(program + ((<usize>(i * OP_WORDS)) << 2), c, n0, count, batch, slab, cols, pack, dwt);
    }
  }
}

/**
 * Floats [start, end) of the step's gradients: out = slab 0 + slab 1 + … + slab (chunks − 1), added one slab
 * after another in chunk order, so the sum is the same however the range is split. start is a multiple of 4.
 * out is not a slab, so running a range again gives the same result.
 */
export function sumChunks(slabs: usize, slabBytes: i32, chunks: i32, out: usize, start: i32, end: i32): void {
  const offset = (<usize>start) << 2;
  const bytes = (<usize>(end - start)) << 2;
  const sum = out + offset;
  memory.copy(sum, slabs + offset, bytes);
  const vectorBytes = bytes & ~15;
  for (let c = 1; c < chunks; c++) {
    const slab = slabs + <usize>c * <usize>slabBytes + offset;
    let i: usize = 0;
    for (; i < vectorBytes; i += 16) v128.store(sum + i, f32x4.add(v128.load(sum + i), v128.load(slab + i)));
    for (; i < bytes; i += 4) store<f32>(sum + i, load<f32>(sum + i) + load<f32>(slab + i));
  }
}
