/**
 * A whole training step on the wasm kernels (assembly/train-step.ts), data parallel: forward, softmax
 * cross-entropy and backward of every chunk of CHUNK_SAMPLES samples run on one thread, the chunks spread over
 * the threads; the per-chunk weight gradients are then summed in chunk order. Layers: conv2d (with or without
 * bias), relu, leakyrelu, maxpool2d, globalavgpool, flatten, dropout, dense, batchnorm (training) and residual
 * blocks (nested too). A network without batch norm is one fork-join per step; each batch norm needs the whole
 * batch's statistics, so it splits the step into phases: a fork-join runs the chunks up to it, the host combines
 * the per-chunk partial sums in chunk order (statistics and running statistics exactly as BatchNorm.forward),
 * and the next fork-join normalizes and goes on; its backward does the same with Σ dy and Σ dy·x̂.
 * Because the chunk size is a constant and not the thread count, and every cross-chunk sum runs in chunk order,
 * results are bit-identical for any number of threads.
 * The plan lays out, once per batch size, the parameters, the input, every layer's output and input gradient,
 * what backward needs (max-pool winners, dropout masks, x̂, im2col columns), the labels, the per-sample losses,
 * the gradient slabs and each thread's scratch in the wasm memory, and compiles the program the threads run
 * (train-step-program.ts). Layers pass addresses, not copies: per step only the input, the labels and the
 * parameters go in, and the gradients, the losses and the outputs come out.
 * Nothing persists in wasm memory between steps (the program too is copied in at every step), so the per-layer
 * kernels and the plans of other batch sizes may use the same memory in between.
 */
import { chunkSum, combineChunkStatistics } from './batchnorm-chunk-sums';
import { conv2dColumnsFloats, conv2dScratchFloats } from './conv2d-wasm';
import { shareStart } from './kernel-thread-pool';
import { ScratchLayout, type ScratchRegion, threadPart } from './scratch-layout';
import {
  type Barrier,
  type BatchLevelDense,
  compileTrainStep,
  OP_WORDS,
  SHAPE_PREFIX,
  SHAPE_WORDS,
  type StepLayer,
  type StepProgram,
} from './train-step-program';

export type { StepBatchNorm, StepLayer } from './train-step-program';

import type { WasmKernels } from './wasm-kernels';

/** Samples per chunk: a constant, so that how the weight-gradient sums are grouped never depends on the threads. */
export const CHUNK_SAMPLES = 8;

/** gemm's packed panels are 8 columns wide: column shares start on multiples of it. */
const PANEL = 8;

/** A batch-level dense gradient with its regions resolved. */
interface ResolvedDense {
  dense: BatchLevelDense;
  dWeight: ScratchRegion;
  dBias: ScratchRegion;
}

export class TrainStepWasm {
  readonly chunks: number;
  private readonly step: StepProgram;
  private readonly layout: ScratchLayout<string>;
  private readonly scratchFloats: number;
  /**
   * The program's records and shape blocks, copied into wasm memory at every run: the per-layer kernels use the
   * same memory between steps (evaluation, inspection), and other batch sizes' plans overlap this one.
   */
  private program = new Int32Array(0);
  private regions: Record<string, ScratchRegion> | null = null;
  private losses: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private partials: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private masks: Float32Array[] = [];
  /** Each batch norm's coefficients (float64 views of its region), by region name. */
  private coefficients = new Map<string, Float64Array>();
  /** Per parameter, its gradient summed over the chunks (or the batch). */
  private gradViews: Float32Array[] = [];
  private batchLevel: ResolvedDense[] = [];
  /** Clears the batch-level gradient being computed; also when a thread died during it (see KernelThreadPool.run). */
  private clearing: ResolvedDense | null = null;
  private readonly clearGradient = (): void => {
    this.clearing?.dWeight.view.fill(0);
    this.clearing?.dBias.view.fill(0);
  };

  constructor(
    readonly kernels: WasmKernels,
    layers: readonly StepLayer[],
    inSize: number,
    classes: number,
    readonly batch: number,
    /**
     * Whether im2col convolutions keep their forward columns for the weight gradient where the budget allows
     * (train-step-program.ts); false builds them again in every weight gradient, as over the budget. The results
     * are the same bits either way (tests/kernels/conv-kept-columns.test.ts compares them).
     */
    keepColumns = true,
  ) {
    this.chunks = Math.ceil(batch / CHUNK_SAMPLES);
    this.step = compileTrainStep(layers, inSize, classes, batch, this.chunks, {
      packSize: (columns) => kernels.exports.packSize(columns),
      convScratch: (dims) => conv2dScratchFloats(kernels, dims, CHUNK_SAMPLES),
      columns: (dims) => (keepColumns ? conv2dColumnsFloats(kernels, dims) : 0),
    });
    const step = this.step;
    this.scratchFloats = step.colsFloats + step.packFloats + step.weightsTFloats;
    const sizes: Record<string, number> = {
      ...step.sizes,
      slabs: this.chunks * step.slabFloats,
      gradients: step.slabFloats,
      scratch: kernels.pool.size * this.scratchFloats,
    };
    this.layout = new ScratchLayout(kernels, () => sizes);
  }

  /**
   * Trains on x [batch, ...] with `labels`: writes every parameter's gradient (replacing it), updates the batch
   * norms' running statistics and returns the mean loss. drawMask fills each dropout mask (batch × its sample
   * size) with the given rate, in the order the layers run forward, before anything runs. The outputs stay in
   * wasm memory until the next kernel call: read them with output().
   */
  run(x: Float32Array, labels: Int32Array, drawMask: (rate: number, mask: Float32Array) => void): number {
    const r = this.prepare();
    const step = this.step;
    for (let d = 0; d < step.dropouts.length; d++) drawMask(step.dropouts[d].rate, this.masks[d]);
    r.program.ints.set(this.program);
    r.x.view.set(x);
    const labelInts = r.labels.ints;
    for (let n = 0; n < this.batch; n++) labelInts[n] = labels[n];
    for (let p = 0; p < step.params.length; p++) r[step.params[p].region].view.set(step.params[p].values);
    for (let i = 0; i < step.transposes.length; i++) {
      const { weight, weightT, rows, cols } = step.transposes[i];
      this.kernels.exports.transpose(rows, cols, r[weight].address, r[weightT].address);
    }
    for (let i = 0; i < step.phases.length; i++) {
      const phase = step.phases[i];
      this.runPhase(r, phase.start, phase.end);
      if (phase.barrier !== null) this.combine(phase.barrier);
    }
    const pool = this.kernels.pool;
    const chunks = this.chunks;
    const slabFloats = step.slabFloats;
    const sumThreads = Math.min(pool.size, chunks, pool.threadsFor(slabFloats * chunks));
    for (let t = 0; t < sumThreads; t++) {
      const start = shareStart(slabFloats, sumThreads, t, 4);
      const end = shareStart(slabFloats, sumThreads, t + 1, 4);
      pool.share(t, r.slabs.address, slabFloats * 4, chunks, r.gradients.address, start, end);
    }
    if (slabFloats > 0) pool.run('sumChunks', sumThreads);
    for (let i = 0; i < this.batchLevel.length; i++) this.batchLevelGradient(this.batchLevel[i], r);
    for (let p = 0; p < step.params.length; p++) step.params[p].grad?.set(this.gradViews[p]);
    let total = 0;
    for (let n = 0; n < this.batch; n++) total += this.losses[n];
    return total / this.batch;
  }

  /** Records [start, end) on every chunk, the chunks spread over the threads: one fork-join. */
  private runPhase(r: Record<string, ScratchRegion>, start: number, end: number): void {
    const pool = this.kernels.pool;
    const chunks = this.chunks;
    const threads = Math.min(pool.size, chunks);
    for (let t = 0; t < threads; t++) {
      pool.share(
        t,
        r.program.address + start * OP_WORDS * 4,
        end - start,
        shareStart(chunks, threads, t, 1),
        shareStart(chunks, threads, t + 1, 1),
        CHUNK_SAMPLES,
        this.batch,
        r.slabs.address,
        this.step.slabFloats * 4,
        threadPart(r.scratch, this.scratchFloats, t),
        this.step.colsFloats * 4,
        this.step.packFloats * 4,
      );
    }
    pool.run('trainChunks', threads);
  }

  /**
   * A batch norm's per-chunk partial sums combined over the batch, chunk by chunk in chunk order.
   * Statistics: the batch mean and biased variance (combineChunkStatistics); the layer moves its running
   * statistics towards them, and the normalization gets 1/√(σ² + ε).
   * Gradients: dβ = Σ dy and dγ = Σ dy·x̂, and dx's coefficients γ·invStd, mean(dy) and mean(dy·x̂).
   */
  private combine(barrier: Barrier): void {
    const norm = barrier.norm;
    const { channels, plane } = norm;
    const count = this.batch * plane;
    const coefficients = this.coefficients.get(barrier.coefficients) as Float64Array;
    const partials = this.partials;
    if (barrier.kind === 'statistics') {
      combineChunkStatistics(
        partials,
        { batch: this.batch, chunkSize: CHUNK_SAMPLES, channels, plane },
        norm.mean,
        norm.variance,
      );
      norm.updateRunningStatistics(count);
      for (let c = 0; c < channels; c++) {
        coefficients[c] = norm.mean[c];
        coefficients[channels + c] = 1 / Math.sqrt(norm.variance[c] + norm.eps);
      }
      return;
    }
    const r = this.regions as Record<string, ScratchRegion>;
    const dWeight = r[barrier.dWeight].view;
    const dBias = r[barrier.dBias].view;
    const gamma = norm.weight.data;
    for (let c = 0; c < channels; c++) {
      const sumDy = chunkSum(partials, this.chunks, channels, c, 0);
      const sumDyXHat = chunkSum(partials, this.chunks, channels, c, 1);
      dBias[c] = sumDy;
      dWeight[c] = sumDyXHat;
      coefficients[2 * channels + c] = gamma[c] * coefficients[channels + c];
      coefficients[3 * channels + c] = sumDy / count;
      coefficients[4 * channels + c] = sumDyXHat / count;
    }
  }

  /** dW = dyᵀ · x and db = Σ_n dy over the whole batch, split over the threads by columns of dW and units of db. */
  private batchLevelGradient(resolved: ResolvedDense, r: Record<string, ScratchRegion>): void {
    const { features, units } = resolved.dense;
    const pool = this.kernels.pool;
    this.clearing = resolved;
    this.clearGradient();
    const threads = Math.min(Math.ceil(features / PANEL), pool.threadsFor(this.batch * features * units));
    for (let t = 0; t < threads; t++) {
      pool.share(
        t,
        this.batch,
        features,
        units,
        r[resolved.dense.x].address,
        r[resolved.dense.dy].address,
        resolved.dWeight.address,
        resolved.dBias.address,
        threadPart(r.scratch, this.scratchFloats, t) + this.step.colsFloats * 4,
        shareStart(features, threads, t, PANEL),
        shareStart(features, threads, t + 1, PANEL),
        shareStart(units, threads, t, 1),
        shareStart(units, threads, t + 1, 1),
      );
    }
    pool.run('denseBackwardFilter', threads, this.clearGradient);
  }

  /** Top-level layer i's output of the last run, batch × its sample size, in wasm memory. */
  output(i: number): Float32Array {
    return (this.regions as Record<string, ScratchRegion>)[this.step.outputs[i]].view;
  }

  /** The regions, laid out and the program resolved again whenever memory grew (a new buffer). */
  private prepare(): Record<string, ScratchRegion> {
    const r = this.layout.regions(this.batch);
    if (r === this.regions) return r;
    this.regions = r;
    const step = this.step;
    const buffer = r.losses.view.buffer;
    this.losses = new Float64Array(buffer, r.losses.address, this.batch);
    this.partials = new Float64Array(buffer, r.partials.address, r.partials.view.length / 2);
    this.masks = step.dropouts.map((dropout) => r[dropout.mask].view);
    this.coefficients = new Map();
    for (const phase of step.phases) {
      const name = phase.barrier?.coefficients;
      if (name === undefined) continue;
      this.coefficients.set(name, new Float64Array(buffer, r[name].address, r[name].view.length / 2));
    }
    const sums = r.gradients.view;
    this.gradViews = step.params.map((p) =>
      p.slabOffset < 0 ? r[`d${p.region}`].view : sums.subarray(p.slabOffset, p.slabOffset + p.values.length),
    );
    this.batchLevel = step.batchLevel.map((dense) => ({ dense, dWeight: r[dense.dWeight], dBias: r[dense.dBias] }));
    const shapesAt = step.records.length * OP_WORDS;
    const program = new Int32Array(r.program.ints.length);
    const address = (word: number | string): number => {
      if (typeof word === 'number') return word;
      if (word === '') return 0;
      if (word.startsWith(SHAPE_PREFIX)) {
        return r.program.address + 4 * (shapesAt + SHAPE_WORDS * Number(word.slice(SHAPE_PREFIX.length)));
      }
      return r[word].address;
    };
    for (const [i, words] of step.records.entries()) program.set(words.map(address), i * OP_WORDS);
    for (const [k, shape] of step.shapes.entries()) program.set(shape, shapesAt + SHAPE_WORDS * k);
    this.program = program;
    return r;
  }
}
