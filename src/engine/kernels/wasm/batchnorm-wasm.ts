/**
 * batchnorm's passes on the wasm kernels (assembly/batch-norm.ts), with the contracts of batchStatistics,
 * batchNormForward and batchNormBackward in src/engine/layers/batchnorm.ts:
 * - statistics: each chunk of CHUNK_SAMPLES samples gives its sum and squared deviations per channel (the train
 *   step's kernel); the chunks are combined here in chunk order, as the train step does (train-step-wasm.ts);
 * - normalize: x̂ and y in float64, rounded once, as the reference;
 * - backward: per-chunk Σ dy and Σ dy·x̂ (the train step's kernel) combined in chunk order into dβ, dγ, then dx
 *   in float64 as the reference.
 * The elementwise passes compute exactly what the reference computes, so evaluation's y and dx are the
 * reference's bit for bit; the sums are float64 sums in another order (per chunk, two lanes), which can move a
 * statistic or a parameter gradient by a float32 rounding. (The train step runs the same kernels; float32
 * elementwise passes were a little faster but a rounding or two off, which made the central-difference checks
 * of the layers too noisy.)
 * The chunks are fixed by the batch alone, and the elementwise passes split by samples, so results are
 * bit-identical for any thread count. Operands are copied into the scratch area and results out, per call.
 */
import { chunkSum, combineChunkStatistics } from './batchnorm-chunk-sums';
import { shareStart } from './kernel-thread-pool';
import { ScratchLayout, type ScratchRegion } from './scratch-layout';
import { CHUNK_SAMPLES } from './train-step-wasm';
import type { WasmKernels } from './wasm-kernels';

type RegionName = 'x' | 'xHat' | 'y' | 'gamma' | 'beta' | 'coefficients' | 'partials';

/** Float64 per-channel arrays in the `coefficients` region, in this order. */
const COEFFICIENTS = ['mean', 'invStd', 'scale', 'meanDy', 'meanDyXHat'] as const;

function chunksOf(batch: number): number {
  return Math.ceil(batch / CHUNK_SAMPLES);
}

export class BatchNormWasm {
  private readonly layout: ScratchLayout<RegionName>;
  private readonly sample: number;
  private current: Record<RegionName, ScratchRegion> | null = null;
  private coefficients: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private partials: Float64Array<ArrayBufferLike> = new Float64Array(0);

  constructor(
    readonly kernels: WasmKernels,
    private readonly channels: number,
    private readonly plane: number,
  ) {
    this.sample = channels * plane;
    // backward reuses the regions: dy in x, dx in y
    this.layout = new ScratchLayout(kernels, (batch) => ({
      x: batch * this.sample,
      xHat: batch * this.sample,
      y: batch * this.sample,
      gamma: channels,
      beta: channels,
      coefficients: 2 * COEFFICIENTS.length * channels,
      partials: chunksOf(batch) * channels * 4,
    }));
  }

  /** Copies the batch x [batch, C, plane] in, for statistics() and normalize(); arrays hold exactly one batch. */
  load(x: Float32Array, batch: number): void {
    this.regions(batch).x.view.set(x);
  }

  /** mean[c] and the biased variance[c] of the loaded batch (as batchStatistics). */
  statistics(batch: number, mean: Float64Array, variance: Float64Array): void {
    const r = this.regions(batch);
    this.runChunks('batchNormStatisticsChunks', batch, r.x.address, r.partials.address, 0);
    const { channels, plane, partials } = this;
    combineChunkStatistics(partials, { batch, chunkSize: CHUNK_SAMPLES, channels, plane }, mean, variance);
  }

  /**
   * x̂ = (x − mean[c])·invStd[c] and y = γ[c]·x̂ + β[c] of the loaded batch, copied out into xHat and y where
   * they are not null (evaluation leaves x̂ in wasm memory: only a backward pass would read it).
   */
  normalize(
    batch: number,
    mean: ArrayLike<number>,
    invStd: Float64Array,
    gamma: Float32Array,
    beta: Float32Array,
    xHat: Float32Array | null,
    y: Float32Array | null,
  ): void {
    const r = this.regions(batch);
    const channels = this.channels;
    for (let c = 0; c < channels; c++) {
      this.coefficients[c] = mean[c];
      this.coefficients[channels + c] = invStd[c];
    }
    r.gamma.view.set(gamma);
    r.beta.view.set(beta);
    const pool = this.kernels.pool;
    const threads = this.sampleThreads(batch);
    const meanAt = r.coefficients.address;
    for (let t = 0; t < threads; t++) {
      const start = shareStart(batch, threads, t, 1);
      const offset = start * this.sample * 4;
      pool.share(
        t,
        shareStart(batch, threads, t + 1, 1) - start,
        channels,
        this.plane,
        r.x.address + offset,
        r.xHat.address + offset,
        r.y.address + offset,
        r.gamma.address,
        r.beta.address,
        meanAt,
        meanAt + channels * 8,
      );
    }
    pool.run('batchNormNormalize', threads);
    xHat?.set(r.xHat.view);
    y?.set(r.y.view);
  }

  /** As batchNormBackward: adds dγ and dβ, and writes dx unless it is null. */
  backward(
    batch: number,
    dy: Float32Array,
    xHat: Float32Array,
    invStd: Float64Array,
    gamma: Float32Array,
    dGamma: Float32Array,
    dBeta: Float32Array,
    dx: Float32Array | null,
    training: boolean,
  ): void {
    const r = this.regions(batch);
    r.x.view.set(dy);
    r.xHat.view.set(xHat);
    this.runChunks('batchNormGradientSumsChunks', batch, r.x.address, r.xHat.address, r.partials.address);
    const { channels, partials, coefficients } = this;
    const chunks = chunksOf(batch);
    const count = batch * this.plane;
    for (let c = 0; c < channels; c++) {
      const sumDy = chunkSum(partials, chunks, channels, c, 0);
      const sumDyXHat = chunkSum(partials, chunks, channels, c, 1);
      dBeta[c] += sumDy;
      dGamma[c] += sumDyXHat;
      coefficients[2 * channels + c] = gamma[c] * invStd[c];
      coefficients[3 * channels + c] = training ? sumDy / count : 0;
      coefficients[4 * channels + c] = training ? sumDyXHat / count : 0;
    }
    if (dx === null) return;
    const pool = this.kernels.pool;
    const threads = this.sampleThreads(batch);
    const at = r.coefficients.address;
    for (let t = 0; t < threads; t++) {
      const start = shareStart(batch, threads, t, 1);
      const offset = start * this.sample * 4;
      pool.share(
        t,
        shareStart(batch, threads, t + 1, 1) - start,
        channels,
        this.plane,
        r.x.address + offset,
        r.xHat.address + offset,
        r.y.address + offset,
        at + 2 * channels * 8,
        at + 3 * channels * 8,
        at + 4 * channels * 8,
      );
    }
    pool.run('batchNormBackwardData', threads);
    dx.set(r.y.view);
  }

  /** A chunk kernel over the batch's chunks, split over the threads by ranges of whole chunks. */
  private runChunks(
    kernel: 'batchNormStatisticsChunks' | 'batchNormGradientSumsChunks',
    batch: number,
    first: number,
    second: number,
    third: number,
  ): void {
    const chunks = chunksOf(batch);
    const pool = this.kernels.pool;
    const threads = Math.min(chunks, pool.threadsFor(batch * this.sample));
    for (let t = 0; t < threads; t++) {
      const start = shareStart(chunks, threads, t, 1);
      const end = shareStart(chunks, threads, t + 1, 1);
      pool.share(t, start, end, CHUNK_SAMPLES, batch, this.channels, this.plane, first, second, third);
    }
    pool.run(kernel, threads);
  }

  private sampleThreads(batch: number): number {
    return Math.min(batch, this.kernels.pool.threadsFor(batch * this.sample));
  }

  /** The regions for `batch`, with float64 views of the per-channel arrays made again whenever they move. */
  private regions(batch: number): Record<RegionName, ScratchRegion> {
    const r = this.layout.regions(batch);
    if (r !== this.current) {
      const buffer = r.coefficients.view.buffer;
      this.coefficients = new Float64Array(buffer, r.coefficients.address, COEFFICIENTS.length * this.channels);
      this.partials = new Float64Array(buffer, r.partials.address, r.partials.view.length / 2);
      this.current = r;
    }
    return r;
  }
}
