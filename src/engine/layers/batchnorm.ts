/**
 * batchnorm, exactly torch.nn.BatchNorm2d on x [N,C,H,W] and BatchNorm1d on x [N,F] (F plays C, with H·W = 1):
 *   training:   μ_c = mean of x[·,c,·,·] over the M = N·H·W values of the batch, σ²_c their *biased* variance,
 *               x̂ = (x − μ_c) / √(σ²_c + ε),  y = γ_c · x̂ + β_c,
 *               running_mean ← (1 − m)·running_mean + m·μ_c,
 *               running_var  ← (1 − m)·running_var  + m·σ²_c·M/(M − 1)   (the *unbiased* variance),
 *               num_batches_tracked ← num_batches_tracked + 1
 *   evaluation: x̂ = (x − running_mean_c) / √(running_var_c + ε),  y = γ_c · x̂ + β_c
 * γ ("{path}.weight") starts at 1 and β ("{path}.bias") at 0; the running statistics start at 0 and 1.
 * Sums run in float64, so the statistics do not depend on the batch's order beyond float32 storage.
 * The functions below are the reference (and the fallback); with the wasm kernels active the layer runs both
 * modes on them (src/engine/kernels/wasm/batchnorm-wasm.ts): the same arithmetic, the float64 sums in another order.
 */
import { wasmKernels } from '../kernels/backend';
import { BatchNormWasm } from '../kernels/wasm/batchnorm-wasm';
import { createParam, type Param } from '../params';
import { type BatchNormSpec, batchNormEps, batchNormMomentum } from '../spec/types';
import { createBuffer, type StateBuffer } from '../state-buffers';
import { BatchBuffer, type Tensor } from '../tensor';
import { keptFromForward, type Layer, type Mode } from './layer';

/** Per-channel sizes of a batch: x is read as [N, C, plane]. */
export interface BatchNormDims {
  batch: number;
  channels: number;
  /** H·W for images, 1 for flat features. */
  plane: number;
}

/** Batch statistics: mean[c] and the biased variance var[c], over the N·plane values of channel c. */
export function batchStatistics(x: Float32Array, d: BatchNormDims, mean: Float64Array, variance: Float64Array): void {
  const { batch, channels, plane } = d;
  const count = batch * plane;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) {
      const start = (n * channels + c) * plane;
      for (let p = 0; p < plane; p++) sum += x[start + p];
    }
    const mu = sum / count;
    let squares = 0;
    for (let n = 0; n < batch; n++) {
      const start = (n * channels + c) * plane;
      for (let p = 0; p < plane; p++) {
        const centered = x[start + p] - mu;
        squares += centered * centered;
      }
    }
    mean[c] = mu;
    variance[c] = squares / count;
  }
}

/** x̂ = (x − mean[c]) · invStd[c] and y = γ[c]·x̂ + β[c], overwriting xHat and y. */
export function batchNormForward(
  x: Float32Array,
  mean: ArrayLike<number>,
  invStd: Float64Array,
  gamma: Float32Array,
  beta: Float32Array,
  xHat: Float32Array,
  y: Float32Array,
  d: BatchNormDims,
): void {
  const { batch, channels, plane } = d;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const start = (n * channels + c) * plane;
      const mu = mean[c];
      const scale = invStd[c];
      for (let p = start; p < start + plane; p++) {
        const normalized = (x[p] - mu) * scale;
        xHat[p] = normalized;
        y[p] = gamma[c] * normalized + beta[c];
      }
    }
  }
}

/**
 * Adds dγ and dβ, and writes dx unless it is null.
 * In the forward pass this was: y = γ·x̂ + β, so dβ_c = Σ dy and dγ_c = Σ dy·x̂ (sums over n and the plane).
 * In training x̂ = (x − μ)/√(σ² + ε) with μ and σ² functions of the whole batch, so now we have:
 *   dx = γ/√(σ² + ε) · (dy − mean(dy) − x̂ · mean(dy·x̂))       (means over the M values of the channel)
 * In evaluation μ and σ² are constants (the running statistics), so dx = γ/√(running_var + ε) · dy.
 */
export function batchNormBackward(
  dy: Float32Array,
  xHat: Float32Array,
  invStd: Float64Array,
  gamma: Float32Array,
  dGamma: Float32Array,
  dBeta: Float32Array,
  dx: Float32Array | null,
  training: boolean,
  d: BatchNormDims,
): void {
  const { batch, channels, plane } = d;
  const count = batch * plane;
  for (let c = 0; c < channels; c++) {
    let sumDy = 0;
    let sumDyXHat = 0;
    for (let n = 0; n < batch; n++) {
      const start = (n * channels + c) * plane;
      for (let p = start; p < start + plane; p++) {
        sumDy += dy[p];
        sumDyXHat += dy[p] * xHat[p];
      }
    }
    dBeta[c] += sumDy;
    dGamma[c] += sumDyXHat;
    if (dx === null) continue;
    const scale = gamma[c] * invStd[c];
    const meanDy = training ? sumDy / count : 0;
    const meanDyXHat = training ? sumDyXHat / count : 0;
    for (let n = 0; n < batch; n++) {
      const start = (n * channels + c) * plane;
      for (let p = start; p < start + plane; p++) dx[p] = scale * (dy[p] - meanDy - xHat[p] * meanDyXHat);
    }
  }
}

export class BatchNorm implements Layer {
  readonly type = 'batchnorm';
  readonly outShape: readonly number[];
  readonly weight: Param;
  readonly bias: Param;
  readonly params: readonly Param[];
  readonly runningMean: StateBuffer;
  readonly runningVar: StateBuffer;
  readonly numBatchesTracked: StateBuffer;
  readonly buffers: readonly StateBuffer[];
  readonly children: readonly Layer[] = [];
  readonly momentum: number;
  readonly eps: number;
  /** The statistics of the last forward (the batch's in training), for backward and for inspection. */
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  private readonly invStd: Float64Array;
  private readonly dims: BatchNormDims;
  private readonly output: BatchBuffer;
  private readonly normalized: BatchBuffer;
  private readonly inputGrad: BatchBuffer;
  private input: Tensor | null = null;
  private lastMode: Mode = 'eval';
  /** Both passes on the wasm kernels, made on first use when they are the active backend. */
  private wasm: BatchNormWasm | null = null;
  /**
   * Whether `normalized` lacks the last forward's x̂: evaluation on the wasm kernels skips copying it out (only
   * a backward pass reads it, and evaluation rarely runs one), and backward computes it again.
   */
  private normalizedMissing = false;

  constructor(
    readonly index: number,
    spec: BatchNormSpec,
    readonly inShape: readonly number[],
    readonly path: string = String(index),
  ) {
    const channels = inShape[0];
    this.outShape = inShape;
    this.momentum = batchNormMomentum(spec);
    this.eps = batchNormEps(spec);
    this.weight = createParam(path, 'weight', [channels]);
    this.bias = createParam(path, 'bias', [channels]);
    this.weight.data.fill(1);
    this.params = [this.weight, this.bias];
    this.runningMean = createBuffer(`${path}.running_mean`, [channels], 0);
    this.runningVar = createBuffer(`${path}.running_var`, [channels], 1);
    this.numBatchesTracked = createBuffer(`${path}.num_batches_tracked`, [], 0);
    this.buffers = [this.runningMean, this.runningVar, this.numBatchesTracked];
    this.mean = new Float64Array(channels);
    this.variance = new Float64Array(channels);
    this.invStd = new Float64Array(channels);
    this.dims = { batch: 0, channels, plane: inShape.length === 3 ? inShape[1] * inShape[2] : 1 };
    this.output = new BatchBuffer(inShape);
    this.normalized = new BatchBuffer(inShape);
    this.inputGrad = new BatchBuffer(inShape);
  }

  forward(x: Tensor, mode: Mode): Tensor {
    const batch = x.shape[0];
    this.dims.batch = batch;
    const wasm = this.wasmPasses();
    wasm?.load(x.data, batch);
    if (mode === 'train') this.trainStatistics(x, wasm);
    else {
      for (let c = 0; c < this.dims.channels; c++) {
        this.mean[c] = this.runningMean.data[c];
        this.variance[c] = this.runningVar.data[c];
      }
    }
    for (let c = 0; c < this.dims.channels; c++) this.invStd[c] = 1 / Math.sqrt(this.variance[c] + this.eps);
    const y = this.output.forBatch(batch);
    const xHat = this.normalized.forBatch(batch);
    this.normalizedMissing = wasm !== null && mode === 'eval';
    if (wasm !== null) {
      const keptXHat = this.normalizedMissing ? null : xHat.data;
      wasm.normalize(batch, this.mean, this.invStd, this.weight.data, this.bias.data, keptXHat, y.data);
    } else {
      batchNormForward(x.data, this.mean, this.invStd, this.weight.data, this.bias.data, xHat.data, y.data, this.dims);
    }
    this.input = x;
    this.lastMode = mode;
    return y;
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const x = keptFromForward(this.input, this.path);
    const batch = x.shape[0];
    const dx = needInputGrad ? this.inputGrad.forBatch(batch) : null;
    const xHat = this.normalized.forBatch(batch);
    const training = this.lastMode === 'train';
    const wasm = this.wasmPasses();
    if (this.normalizedMissing) this.normalizeAgain(x, wasm);
    if (wasm !== null) {
      const { weight, bias } = this;
      wasm.backward(
        batch,
        dy.data,
        xHat.data,
        this.invStd,
        weight.data,
        weight.grad,
        bias.grad,
        dx?.data ?? null,
        training,
      );
      return dx;
    }
    batchNormBackward(
      dy.data,
      xHat.data,
      this.invStd,
      this.weight.data,
      this.weight.grad,
      this.bias.grad,
      dx?.data ?? null,
      training,
      this.dims,
    );
    return dx;
  }

  /** The batch's statistics, and the running statistics moved towards them (PyTorch refuses M = 1 likewise). */
  private trainStatistics(x: Tensor, wasm: BatchNormWasm | null): void {
    const { batch, plane } = this.dims;
    const count = batch * plane;
    if (count < 2) {
      throw new Error(
        `layer ${this.path} (batchnorm): training needs more than one value per channel, but a batch of ${batch} ` +
          `gives ${count}; use a batch size of at least 2, and one that does not leave a last batch of 1 sample ` +
          '(PyTorch refuses this too), or remove the layer',
      );
    }
    if (wasm !== null) wasm.statistics(batch, this.mean, this.variance);
    else batchStatistics(x.data, this.dims, this.mean, this.variance);
    this.updateRunningStatistics(count);
  }

  /**
   * Moves the running statistics towards the batch's (this.mean, this.variance over `count` values per channel;
   * the running variance takes the unbiased one) and counts the batch. The data-parallel step calls it too.
   */
  updateRunningStatistics(count: number): void {
    const m = this.momentum;
    const unbiased = count / (count - 1);
    for (let c = 0; c < this.dims.channels; c++) {
      this.runningMean.data[c] = (1 - m) * this.runningMean.data[c] + m * this.mean[c];
      this.runningVar.data[c] = (1 - m) * this.runningVar.data[c] + m * this.variance[c] * unbiased;
    }
    this.numBatchesTracked.data[0] += 1;
  }

  /**
   * x̂ of the last forward into `normalized`, from its input and statistics. Without the wasm kernels (switched
   * off since that forward) the reference also writes y again: the same values, as nothing changed in between.
   */
  private normalizeAgain(x: Tensor, wasm: BatchNormWasm | null): void {
    const batch = x.shape[0];
    const xHat = this.normalized.forBatch(batch).data;
    const { mean, invStd, weight, bias } = this;
    if (wasm !== null) {
      wasm.load(x.data, batch);
      wasm.normalize(batch, mean, invStd, weight.data, bias.data, xHat, null);
    } else {
      batchNormForward(x.data, mean, invStd, weight.data, bias.data, xHat, this.output.forBatch(batch).data, this.dims);
    }
    this.normalizedMissing = false;
  }

  /** The wasm passes when the wasm kernels are active (made again when they change, e.g. with the threads). */
  private wasmPasses(): BatchNormWasm | null {
    const kernels = wasmKernels();
    if (kernels === null) return null;
    if (this.wasm?.kernels !== kernels) this.wasm = new BatchNormWasm(kernels, this.dims.channels, this.dims.plane);
    return this.wasm;
  }
}
