/**
 * A whole training step of a plain layer stack on the wasm kernels in one fork-join (assembly/train-step.ts):
 * forward, softmax cross-entropy and backward of every chunk of CHUNK_SAMPLES samples run on one thread, the
 * chunks spread over the threads; the per-chunk weight gradients are then summed in chunk order. Because the
 * chunk size is a constant and not the thread count, results are bit-identical for any number of threads.
 * The plan lays out, once per batch size, the parameters, the input, every layer's output and input gradient,
 * the max-pool winners, the labels, the per-sample losses, the gradient slabs and each thread's scratch in the
 * wasm memory, and writes the program the threads run. Layers pass addresses, not copies: per step only the
 * input, the labels and the parameters go in, and the gradients, the losses and the outputs come out.
 * Nothing persists in wasm memory between steps (the program too is copied in at every step), so the per-layer
 * kernels and the plans of other batch sizes may use the same memory in between.
 */
import { conv2dScratchFloats } from './conv2d-wasm';
import { shareStart } from './kernel-thread-pool';
import { alignedFloats, ScratchLayout, type ScratchRegion, threadPart } from './scratch-layout';
import {
  type BatchLevelDense,
  OP_WORDS,
  type ProgramLayout,
  SHAPE_WORDS,
  type StepLayer,
  writeTrainStepProgram,
} from './train-step-program';

export type { StepLayer } from './train-step-program';

import type { WasmKernels } from './wasm-kernels';

/** Samples per chunk: a constant, so that how the weight-gradient sums are grouped never depends on the threads. */
export const CHUNK_SAMPLES = 8;

/**
 * Dense layers with at least this many weights get their weight gradient over the whole batch after the chunks
 * (one product with the batch as its inner dimension, split over the threads by columns as in dense-wasm.ts)
 * rather than per chunk: a slab per chunk of a large matrix costs more memory traffic than the product itself.
 * It depends on the shapes only, never on the thread count.
 */
const BATCH_LEVEL_WEIGHTS = 65536;

/** gemm's packed panels are 8 columns wide: column shares start on multiples of it. */
const PANEL = 8;

/** A parameter (or a bias-free convolution's zero bias) with its place in the memory and in a gradient slab. */
interface ParamSlot {
  values: Float32Array;
  /** Where its gradient goes, or null for a bias-free convolution's bias. */
  grad: Float32Array | null;
  region: string;
  /** Float offset of its gradient inside a slab, or −1 when it is summed over the whole batch (its own region). */
  slabOffset: number;
}

export class TrainStepWasm {
  readonly chunks: number;
  private readonly layout: ScratchLayout<string>;
  private readonly params: ParamSlot[] = [];
  private readonly slabFloats: number;
  private readonly scratchFloats: number;
  private readonly colsFloats: number;
  private readonly packFloats: number;
  /** Records in the program: at most two per layer and the loss, fewer when the first layers need no backward. */
  private ops = 0;
  private readonly maxOps: number;
  /** Per convolution (by layer), its shape block's offset in i32 after the program's records. */
  private readonly shapeAt = new Map<number, number>();
  /**
   * The program's records and shape blocks, copied into wasm memory at every run: the per-layer kernels use the
   * same memory between steps (evaluation, inspection), and other batch sizes' plans overlap this one.
   */
  private program = new Int32Array(0);
  /** Per layer: the region holding its output (flatten names its input's). */
  private readonly outputRegion: string[] = [];
  private regions: Record<string, ScratchRegion> | null = null;
  private losses: Float64Array<ArrayBufferLike> = new Float64Array(0);
  /** The dropout layers (by index) and their masks in wasm memory, in layer order. */
  private readonly dropouts: number[] = [];
  private masks: Float32Array[] = [];
  /** Per parameter, its gradient summed over the chunks (or the batch). */
  private gradViews: Float32Array[] = [];
  /** The dense layers (by index) whose weight gradients are summed over the whole batch, and their operands. */
  private readonly batchLevelLayers: number[] = [];
  private batchLevel: BatchLevelDense[] = [];
  /** Clears the batch-level gradient being computed; also when a thread died during it (see KernelThreadPool.run). */
  private clearing: BatchLevelDense | null = null;
  private readonly clearGradient = (): void => {
    this.clearing?.dWeight.view.fill(0);
    this.clearing?.dBias.view.fill(0);
  };

  constructor(
    readonly kernels: WasmKernels,
    private readonly layers: readonly StepLayer[],
    inSize: number,
    private readonly classes: number,
    readonly batch: number,
  ) {
    this.chunks = Math.ceil(batch / CHUNK_SAMPLES);
    const sizes: Record<string, number> = {};
    let slabFloats = 0;
    const addParam = (values: Float32Array, grad: Float32Array | null, region: string, batchLevel = false) => {
      sizes[region] = values.length;
      if (batchLevel) {
        sizes[`d${region}`] = values.length;
        this.params.push({ values, grad, region, slabOffset: -1 });
        return;
      }
      this.params.push({ values, grad, region, slabOffset: slabFloats });
      slabFloats += alignedFloats(values.length);
    };
    let cols = 0;
    let pack = 0;
    let weightsT = 0;
    let ops = 1; // the loss
    let size = inSize;
    sizes.x = batch * inSize;
    let previous = 'x';
    layers.forEach((layer, i) => {
      if (layer.type === 'flatten') {
        this.outputRegion.push(previous);
        return;
      }
      ops += 2;
      if (layer.type === 'conv2d') {
        const d = layer.dims;
        const outPlane = d.outHeight * d.outWidth;
        const patch = d.inChannels * d.kernel * d.kernel;
        this.shapeAt.set(i, SHAPE_WORDS * this.shapeAt.size);
        addParam(layer.weight.data, layer.weight.grad, `weight${i}`);
        const bias = layer.bias;
        addParam(bias?.data ?? new Float32Array(d.outChannels), bias?.grad ?? null, `bias${i}`);
        cols = Math.max(cols, conv2dScratchFloats(kernels, d, CHUNK_SAMPLES));
        pack = Math.max(pack, kernels.exports.packSize(Math.max(outPlane, d.outChannels)));
        weightsT = Math.max(weightsT, patch * d.outChannels);
        size = d.outChannels * outPlane;
      } else if (layer.type === 'dense') {
        const batchLevel = layer.inFeatures * layer.outFeatures >= BATCH_LEVEL_WEIGHTS;
        if (batchLevel) this.batchLevelLayers.push(i);
        addParam(layer.weight.data, layer.weight.grad, `weight${i}`, batchLevel);
        addParam(layer.bias.data, layer.bias.grad, `bias${i}`, batchLevel);
        pack = Math.max(pack, kernels.exports.packSize(Math.max(layer.inFeatures, layer.outFeatures)));
        size = layer.outFeatures;
      } else if (layer.type === 'maxpool2d') {
        const d = layer.dims;
        size = d.channels * d.outHeight * d.outWidth;
        sizes[`argmax${i}`] = batch * size;
      } else if (layer.type === 'dropout') {
        sizes[`mask${i}`] = batch * size;
        this.dropouts.push(i);
      }
      sizes[`y${i}`] = batch * size;
      sizes[`dy${i}`] = batch * size;
      previous = `y${i}`;
      this.outputRegion.push(previous);
    });
    if (size !== classes) throw new Error(`the last layer gives ${size} values per sample, not ${classes} classes`);
    this.maxOps = ops;
    this.slabFloats = slabFloats;
    this.colsFloats = alignedFloats(cols);
    this.packFloats = alignedFloats(pack);
    this.scratchFloats = this.colsFloats + this.packFloats + alignedFloats(weightsT);
    sizes.labels = batch;
    sizes.losses = 2 * batch;
    sizes.program = ops * OP_WORDS + SHAPE_WORDS * this.shapeAt.size;
    sizes.slabs = this.chunks * slabFloats;
    sizes.gradients = slabFloats;
    sizes.scratch = kernels.pool.size * this.scratchFloats;
    this.layout = new ScratchLayout(kernels, () => sizes);
  }

  /**
   * Trains on x [batch, ...] with `labels`: writes every parameter's gradient (replacing it) and returns the mean
   * loss. drawMask fills each dropout layer's mask (batch × its sample size), in layer order, before anything
   * runs. The outputs stay in wasm memory until the next kernel call: read them with output().
   */
  run(x: Float32Array, labels: Int32Array, drawMask: (layer: number, mask: Float32Array) => void): number {
    const r = this.prepare();
    for (let d = 0; d < this.dropouts.length; d++) drawMask(this.dropouts[d], this.masks[d]);
    r.program.ints.set(this.program);
    r.x.view.set(x);
    const labelInts = r.labels.ints;
    for (let n = 0; n < this.batch; n++) labelInts[n] = labels[n];
    for (let p = 0; p < this.params.length; p++) r[this.params[p].region].view.set(this.params[p].values);
    const pool = this.kernels.pool;
    const chunks = this.chunks;
    const threads = Math.min(pool.size, chunks);
    const slabBytes = this.slabFloats * 4;
    for (let t = 0; t < threads; t++) {
      pool.share(
        t,
        r.program.address,
        this.ops,
        shareStart(chunks, threads, t, 1),
        shareStart(chunks, threads, t + 1, 1),
        CHUNK_SAMPLES,
        this.batch,
        r.slabs.address,
        slabBytes,
        threadPart(r.scratch, this.scratchFloats, t),
        this.colsFloats * 4,
        this.packFloats * 4,
      );
    }
    pool.run('trainChunks', threads);
    const sumThreads = Math.min(threads, pool.threadsFor(this.slabFloats * chunks));
    for (let t = 0; t < sumThreads; t++) {
      const start = shareStart(this.slabFloats, sumThreads, t, 4);
      const end = shareStart(this.slabFloats, sumThreads, t + 1, 4);
      pool.share(t, r.slabs.address, slabBytes, chunks, r.gradients.address, start, end);
    }
    pool.run('sumChunks', sumThreads);
    for (let i = 0; i < this.batchLevel.length; i++) this.batchLevelGradient(this.batchLevel[i], r);
    for (let p = 0; p < this.params.length; p++) this.params[p].grad?.set(this.gradViews[p]);
    let total = 0;
    for (let n = 0; n < this.batch; n++) total += this.losses[n];
    return total / this.batch;
  }

  /** dW = dyᵀ · x and db = Σ_n dy over the whole batch, split over the threads by columns of dW and units of db. */
  private batchLevelGradient(dense: BatchLevelDense, r: Record<string, ScratchRegion>): void {
    const { features, units } = dense;
    const pool = this.kernels.pool;
    this.clearing = dense;
    this.clearGradient();
    const threads = Math.min(Math.ceil(features / PANEL), pool.threadsFor(this.batch * features * units));
    for (let t = 0; t < threads; t++) {
      pool.share(
        t,
        this.batch,
        features,
        units,
        dense.x,
        dense.dy,
        dense.dWeight.address,
        dense.dBias.address,
        threadPart(r.scratch, this.scratchFloats, t) + this.colsFloats * 4,
        shareStart(features, threads, t, PANEL),
        shareStart(features, threads, t + 1, PANEL),
        shareStart(units, threads, t, 1),
        shareStart(units, threads, t + 1, 1),
      );
    }
    pool.run('denseBackwardFilter', threads, this.clearGradient);
  }

  /** Layer i's output of the last run, batch × its sample size, in wasm memory. */
  output(i: number): Float32Array {
    return (this.regions as Record<string, ScratchRegion>)[this.outputRegion[i]].view;
  }

  /** The regions, laid out and the program written again whenever memory grew (a new buffer). */
  private prepare(): Record<string, ScratchRegion> {
    const r = this.layout.regions(this.batch);
    if (r === this.regions) return r;
    this.regions = r;
    this.losses = new Float64Array(r.losses.view.buffer, r.losses.address, this.batch);
    this.masks = this.dropouts.map((i) => r[`mask${i}`].view);
    const sums = r.gradients.view;
    this.gradViews = this.params.map((p) =>
      p.slabOffset < 0 ? r[`d${p.region}`].view : sums.subarray(p.slabOffset, p.slabOffset + p.values.length),
    );
    const layout: ProgramLayout = {
      layers: this.layers,
      outputRegion: this.outputRegion,
      shapeAt: this.shapeAt,
      maxOps: this.maxOps,
      classes: this.classes,
      batchLevelLayers: this.batchLevelLayers,
      slabOffset: (region) => this.params.find((p) => p.region === region)?.slabOffset ?? 0,
    };
    const written = writeTrainStepProgram(layout, r);
    this.program = written.words;
    this.ops = written.ops;
    this.batchLevel = written.batchLevel;
    return r;
  }
}
