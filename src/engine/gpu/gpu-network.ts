/**
 * A Network's device-resident twin: every parameter in one GPU buffer (module order, as network.params), their
 * gradients in another, every state buffer (batch norm's running statistics, as network.buffers) in a third, each
 * layer's activations and deltas in its own buffers sized for the largest batch, and
 * the dispatches of a forward and a backward pass recorded once per batch size and mode. The CPU Network keeps
 * the spec, the names and the copy of the parameters and buffers that export, inspection and the project file
 * read; it is brought up to date with downloadParameters().
 */
import type { Mode } from '../layers/layer';
import type { Network } from '../network';
import type { Param } from '../params';
import type { StateBuffer } from '../state-buffers';
import { type Dispatch, GpuContext, words } from './gpu-context';
import { convertInput } from './kernels/input';
import { type LossBuffers, lossForwardBackward } from './kernels/loss';
import { STEP_WORDS } from './kernels/optimizer';
import { sumRows } from './kernels/reduce';
import { createGpuLayer } from './layers/create-gpu-layer';
import { type GpuLayer, sampleSize } from './layers/gpu-layer';

/** A sum over the batch: one output, `count` consecutive elements. */
const WHOLE = 0xffffffff;

export type PixelBytes = 1 | 4;

export class GpuNetwork {
  readonly ctx: GpuContext;
  readonly layers: readonly GpuLayer[];
  readonly params: GPUBuffer;
  readonly grads: GPUBuffer;
  /** First element of each of network.params inside `params` and `grads`. */
  readonly offsets: readonly number[];
  readonly parameterCount: number;
  /** Every state buffer of network.buffers, float32 (num_batches_tracked too: exact to 2^24, as on the CPU). */
  readonly stateBuffers: GPUBuffer;
  /** First element of each of network.buffers inside `stateBuffers`. */
  readonly bufferOffsets: readonly number[];
  readonly bufferCount: number;
  /** The batch as uploaded: uint8 pixels packed four to a word, or float32 bits. */
  readonly raw: GPUBuffer;
  /** (mean, 1/std) per channel. */
  readonly normalization: GPUBuffer;
  readonly input: GPUBuffer;
  readonly labels: GPUBuffer;
  /** dLoss/d(network output) [maxBatch, classes]. */
  readonly lossGrad: GPUBuffer;
  /** Per-sample losses [maxBatch]. */
  readonly sampleLoss: GPUBuffer;
  /** The batch's loss sum Σ_n ℓ_n [1]. */
  readonly batchLoss: GPUBuffer;
  /** Predicted class per sample [maxBatch] (u32). */
  readonly predictions: GPUBuffer;
  /** The step uniform: see kernels/optimizer.ts STEP_WORDS. */
  readonly step: GPUBuffer;
  readonly inputSize: number;
  private readonly plans = new Map<string, Dispatch[]>();

  constructor(
    device: GPUDevice,
    readonly network: Network,
    readonly maxBatch: number,
  ) {
    const ctx = new GpuContext(device);
    this.ctx = ctx;
    const offsets: number[] = [];
    let total = 0;
    for (const param of network.params) {
      offsets.push(total);
      total += param.data.length;
    }
    this.offsets = offsets;
    this.parameterCount = total;
    this.params = ctx.storage(total, 'parameters');
    this.grads = ctx.storage(total, 'gradients');
    const bufferOffsets: number[] = [];
    let bufferTotal = 0;
    for (const buffer of network.buffers) {
      bufferOffsets.push(bufferTotal);
      bufferTotal += buffer.data.length;
    }
    this.bufferOffsets = bufferOffsets;
    this.bufferCount = bufferTotal;
    this.stateBuffers = ctx.storage(bufferTotal, 'state buffers');
    this.inputSize = sampleSize(network.inputShape);
    this.raw = ctx.storage(maxBatch * this.inputSize, 'batch upload');
    this.normalization = ctx.storage(2 * network.inputShape[0], 'normalization');
    this.input = ctx.storage(maxBatch * this.inputSize, 'input');
    this.labels = ctx.storage(maxBatch, 'labels');
    this.lossGrad = ctx.storage(maxBatch * network.classes, 'loss gradient');
    this.sampleLoss = ctx.storage(maxBatch, 'sample losses');
    this.batchLoss = ctx.storage(1, 'batch loss');
    this.predictions = ctx.storage(maxBatch, 'predictions');
    this.step = ctx.uniform(new Uint32Array(STEP_WORDS), 'step');
    this.setNormalization(undefined);

    const indexOf = new Map<Param, number>(network.params.map((param, i) => [param, i]));
    const bufferIndexOf = new Map<StateBuffer, number>(network.buffers.map((buffer, i) => [buffer, i]));
    const layers: GpuLayer[] = [];
    let input = this.input;
    for (const [i, layer] of network.layers.entries()) {
      const gpuLayer = createGpuLayer(network.spec.layers[i], {
        ctx,
        layer,
        maxBatch,
        input,
        params: this.params,
        grads: this.grads,
        offsetOf: (param) => offsets[indexOf.get(param) as number],
        buffers: this.stateBuffers,
        bufferOffsetOf: (buffer) => bufferOffsets[bufferIndexOf.get(buffer) as number],
        step: this.step,
      });
      layers.push(gpuLayer);
      input = gpuLayer.output;
    }
    this.layers = layers;
    this.uploadParameters();
  }

  get output(): GPUBuffer {
    return this.layers[this.layers.length - 1].output;
  }

  /** Per-channel mean and std applied after scaling, as fillBatch; undefined leaves inputs as they are. */
  setNormalization(norm: { mean: readonly number[]; std: readonly number[] } | undefined): void {
    const channels = this.network.inputShape[0];
    const values = new Float32Array(2 * channels);
    for (let c = 0; c < channels; c++) {
      values[2 * c] = norm ? norm.mean[c] : 0;
      values[2 * c + 1] = norm ? 1 / norm.std[c] : 1;
    }
    this.ctx.write({ buffer: this.normalization, offset: 0 }, values);
  }

  /** Copies the CPU network's parameters and state buffers to the GPU. */
  uploadParameters(): void {
    this.network.params.forEach((param, i) => {
      this.ctx.write({ buffer: this.params, offset: this.offsets[i] }, param.data);
    });
    this.network.buffers.forEach((buffer, i) => {
      this.ctx.write({ buffer: this.stateBuffers, offset: this.bufferOffsets[i] }, buffer.data);
    });
  }

  /**
   * Copies the GPU's parameters and state buffers into the CPU network, in its layout (a sync point: it waits for
   * the GPU), so export, inspection and a run continued on the CPU see the GPU's state.
   */
  async downloadParameters(): Promise<void> {
    const values = await this.ctx.read({ buffer: this.params, offset: 0 }, this.parameterCount);
    this.network.params.forEach((param, i) => {
      param.data.set(values.subarray(this.offsets[i], this.offsets[i] + param.data.length));
    });
    if (this.bufferCount === 0) return;
    const buffers = await this.ctx.read({ buffer: this.stateBuffers, offset: 0 }, this.bufferCount);
    this.network.buffers.forEach((buffer, i) => {
      buffer.data.set(buffers.subarray(this.bufferOffsets[i], this.bufferOffsets[i] + buffer.data.length));
    });
  }

  /** Reads one whole buffer region as float32 (tests and inspection). */
  read(buffer: GPUBuffer, count: number): Promise<Float32Array> {
    return this.ctx.read({ buffer, offset: 0 }, count);
  }

  /** Converts the uploaded batch into the float input. */
  inputPass(batch: number, pixelBytes: PixelBytes): Dispatch[] {
    return this.plan(`input ${batch} ${pixelBytes}`, () => [
      convertInput(
        this.ctx,
        batch * this.inputSize,
        this.network.inputShape[1] * this.network.inputShape[2],
        this.network.inputShape[0],
        pixelBytes,
        this.raw,
        this.normalization,
        this.input,
      ),
    ]);
  }

  forwardPass(batch: number, mode: Mode): Dispatch[] {
    return this.plan(`forward ${batch} ${mode}`, () => this.layers.flatMap((layer) => layer.forward(batch, mode)));
  }

  /** The loss of the network output against `labels`: per-sample losses, predictions, dLoss/dy, batchLoss. */
  lossPass(batch: number): Dispatch[] {
    return this.plan(`loss ${batch}`, () => {
      const buffers: LossBuffers = {
        y: this.output,
        labels: this.labels,
        dy: this.lossGrad,
        loss: this.sampleLoss,
        predictions: this.predictions,
        predictionBase: 0,
      };
      const classes = this.network.classes;
      return [
        lossForwardBackward(this.ctx, this.network.loss.name, batch, classes, buffers),
        sumRows(this.ctx, {
          src: this.sampleLoss,
          out: this.batchLoss,
          outputs: 1,
          count: batch,
          base: 0,
          jStride: 0,
          inner: WHOLE,
          innerStride: 1,
          outerStride: 0,
          outBase: 0,
        }),
      ];
    });
  }

  /**
   * Backpropagates lossGrad (or `dOut`) through every layer after a forward pass in `mode`; gradients are
   * overwritten.
   */
  backwardPass(
    batch: number,
    dOut: GPUBuffer = this.lossGrad,
    inputGradient = false,
    mode: Mode = 'train',
  ): Dispatch[] {
    const key = `backward ${batch} ${inputGradient} ${dOut === this.lossGrad ? 'loss' : 'given'} ${mode}`;
    return this.plan(key, () => {
      const dispatches: Dispatch[] = [];
      let dy = dOut;
      for (let i = this.layers.length - 1; i >= 0; i--) {
        const layer = this.layers[i];
        dispatches.push(...layer.backward(batch, dy, i > 0 || inputGradient, mode));
        dy = layer.inputGrad(dy);
      }
      return dispatches;
    });
  }

  /** Where backwardPass leaves dLoss/dx when asked for it. */
  inputGrad(dOut: GPUBuffer = this.lossGrad): GPUBuffer {
    let dy = dOut;
    for (let i = this.layers.length - 1; i >= 0; i--) dy = this.layers[i].inputGrad(dy);
    return dy;
  }

  /**
   * Writes the step uniform: dropout seed, first-step flag, learning rate, Adam's bias corrections and AdamW's
   * shrink factor.
   */
  writeStep(seed: number, firstStep: boolean, lr: number, stepSize: number, correction2: number, shrink = 1): void {
    const values = words([
      seed,
      firstStep ? 1 : 0,
      { f32: lr },
      { f32: stepSize },
      { f32: correction2 },
      { f32: shrink },
      0,
      0,
    ]);
    this.ctx.write({ buffer: this.step, offset: 0 }, values);
  }

  dispose(): void {
    this.ctx.dispose();
    this.plans.clear();
  }

  private plan(key: string, make: () => Dispatch[]): Dispatch[] {
    let dispatches = this.plans.get(key);
    if (dispatches === undefined) {
      dispatches = make();
      this.plans.set(key, dispatches);
    }
    return dispatches;
  }
}
