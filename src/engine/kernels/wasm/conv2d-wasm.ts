/**
 * conv2d forward and backward on the wasm kernels (assembly/conv2d.ts: Winograd F(2×2, 3×3) or im2col + SIMD gemm,
 * chosen by shape), with the same contract as the TypeScript functions in src/engine/layers/conv2d.ts: forward
 * overwrites y, backward adds into the parameter gradients and overwrites dx. On several threads, forward and the
 * input gradient split the batch; the weight gradient splits the rows of dWᵀ (on the Winograd path, the channels
 * those rows start; see conv2dBackwardFilter), so results never change.
 */
import type { Conv2dDims } from '../dims';
import { shareStart } from './kernel-thread-pool';
import { alignedFloats, ScratchLayout, type ScratchRegion, threadPart } from './scratch-layout';
import type { WasmKernels } from './wasm-kernels';

type Region = 'shape' | 'x' | 'weight' | 'bias' | 'y' | 'cols' | 'pack' | 'dx' | 'dWeight' | 'dBias' | 'dWeightT';

/** gemm's register block is 4 rows: shares of dWᵀ rows start on multiples of it. */
const ROW_BLOCK = 4;

/**
 * Floats of the `cols` scratch one thread's conv2d kernels need for calls of up to `samples` samples: one sample's
 * im2col matrix, or the Winograd path's transformed inputs, filters and outputs where that path runs the shape
 * (assembly/conv2d.ts decides by shape; the module computes the size so the rule lives in one place).
 */
export function conv2dScratchFloats(kernels: WasmKernels, d: Conv2dDims, samples: number): number {
  const { inChannels, inHeight, inWidth, outChannels, kernel, stride, pad } = d;
  return kernels.exports.conv2dScratchFloats(inChannels, inHeight, inWidth, outChannels, kernel, stride, pad, samples);
}

/**
 * Floats of one sample's im2col matrix, which a training step may keep from this convolution's forward pass for its
 * weight gradient, or 0 where Winograd runs the shape (assembly/conv2d.ts conv2dColumnsFloats).
 */
export function conv2dColumnsFloats(kernels: WasmKernels, d: Conv2dDims): number {
  const { inChannels, inHeight, inWidth, kernel, stride, pad } = d;
  return kernels.exports.conv2dColumnsFloats(inChannels, inHeight, inWidth, kernel, stride, pad);
}

export class Conv2dWasm {
  private readonly layout: ScratchLayout<Region>;
  private readonly inSize: number;
  private readonly outSize: number;
  private readonly patch: number;
  private readonly colsFloats: number;
  private readonly packFloats: number;
  /** Multiply-adds of one sample in any one of the three passes. */
  private readonly sampleWork: number;

  /** The parameter gradients the running backward adds into (see loadGradients). */
  private readonly gradientsIn: { dWeight: Float32Array; dBias: Float32Array } = {
    dWeight: new Float32Array(0),
    dBias: new Float32Array(0),
  };
  /**
   * Copies the parameter gradients into the scratch: before the weight-gradient kernel, and again if a kernel
   * thread dies during it (the pool then runs the kernel over from these values; see KernelThreadPool.run).
   */
  private readonly loadGradients = (): void => {
    const r = this.layout.regions(this.d.batch);
    r.dWeight.view.set(this.gradientsIn.dWeight);
    r.dBias.view.set(this.gradientsIn.dBias);
  };

  constructor(
    readonly kernels: WasmKernels,
    private readonly d: Conv2dDims,
  ) {
    const outPlane = d.outHeight * d.outWidth;
    this.inSize = d.inChannels * d.inHeight * d.inWidth;
    this.outSize = d.outChannels * outPlane;
    this.patch = d.inChannels * d.kernel * d.kernel;
    this.sampleWork = this.outSize * this.patch;
    // a thread's share of the batch is at most the whole batch
    this.colsFloats = alignedFloats(conv2dScratchFloats(kernels, d, d.batch));
    // gemm packs cols (outPlane columns) in forward and backward-data, dyᵀ (outChannels columns) in backward-filter
    this.packFloats = alignedFloats(kernels.exports.packSize(Math.max(outPlane, d.outChannels)));
    const threads = kernels.pool.size;
    const weights = d.outChannels * this.patch;
    this.layout = new ScratchLayout(kernels, (batch) => ({
      shape: 9,
      x: batch * this.inSize,
      weight: weights,
      bias: d.outChannels,
      y: batch * this.outSize,
      cols: threads * this.colsFloats,
      pack: threads * this.packFloats,
      dx: batch * this.inSize,
      dWeight: weights,
      dBias: d.outChannels,
      dWeightT: weights,
    }));
  }

  /** The regions for this batch, with the shape block filled in (the kernels read it at every call). */
  private regions(): Record<Region, ScratchRegion> {
    const d = this.d;
    const r = this.layout.regions(d.batch);
    const shape = r.shape.ints;
    shape[0] = d.inChannels;
    shape[1] = d.inHeight;
    shape[2] = d.inWidth;
    shape[3] = d.outChannels;
    shape[4] = d.kernel;
    shape[5] = d.stride;
    shape[6] = d.pad;
    shape[7] = d.outHeight;
    shape[8] = d.outWidth;
    return r;
  }

  /** Threads for a pass over the batch: as many as pay off, at most one per sample. */
  private batchThreads(): number {
    return Math.min(this.d.batch, this.kernels.pool.threadsFor(this.d.batch * this.sampleWork));
  }

  forward(x: Float32Array, weight: Float32Array, bias: Float32Array, y: Float32Array): void {
    const { batch } = this.d;
    const r = this.regions();
    r.x.view.set(x);
    r.weight.view.set(weight);
    r.bias.view.set(bias);
    const pool = this.kernels.pool;
    const threads = this.batchThreads();
    for (let t = 0; t < threads; t++) {
      const start = shareStart(batch, threads, t, 1);
      pool.share(
        t,
        r.shape.address,
        shareStart(batch, threads, t + 1, 1) - start,
        r.x.address + start * this.inSize * 4,
        r.weight.address,
        r.bias.address,
        r.y.address + start * this.outSize * 4,
        threadPart(r.cols, this.colsFloats, t),
        threadPart(r.pack, this.packFloats, t),
      );
    }
    pool.run('conv2dForward', threads);
    y.set(r.y.view);
  }

  /** Adds into dWeight and dBias; writes dx unless it is null (the first layer needs no input gradient). */
  backward(
    x: Float32Array,
    dy: Float32Array,
    weight: Float32Array,
    dWeight: Float32Array,
    dBias: Float32Array,
    dx: Float32Array | null,
  ): void {
    const { batch, outChannels } = this.d;
    const r = this.regions();
    const pool = this.kernels.pool;
    r.x.view.set(x);
    r.y.view.set(dy);
    this.gradientsIn.dWeight = dWeight;
    this.gradientsIn.dBias = dBias;
    this.loadGradients();
    const filterThreads = Math.min(Math.ceil(this.patch / ROW_BLOCK), pool.threadsFor(batch * this.sampleWork));
    for (let t = 0; t < filterThreads; t++) {
      pool.share(
        t,
        r.shape.address,
        batch,
        r.x.address,
        r.y.address,
        r.dWeight.address,
        r.dBias.address,
        r.dWeightT.address,
        threadPart(r.cols, this.colsFloats, t),
        threadPart(r.pack, this.packFloats, t),
        shareStart(this.patch, filterThreads, t, ROW_BLOCK),
        shareStart(this.patch, filterThreads, t + 1, ROW_BLOCK),
        shareStart(outChannels, filterThreads, t, 1),
        shareStart(outChannels, filterThreads, t + 1, 1),
      );
    }
    pool.run('conv2dBackwardFilter', filterThreads, this.loadGradients);
    dWeight.set(r.dWeight.view);
    dBias.set(r.dBias.view);
    if (dx === null) return;
    r.weight.view.set(weight);
    const threads = this.batchThreads();
    for (let t = 0; t < threads; t++) {
      const start = shareStart(batch, threads, t, 1);
      pool.share(
        t,
        r.shape.address,
        shareStart(batch, threads, t + 1, 1) - start,
        r.y.address + start * this.outSize * 4,
        r.weight.address,
        r.dx.address + start * this.inSize * 4,
        threadPart(r.cols, this.colsFloats, t),
        threadPart(r.pack, this.packFloats, t),
      );
    }
    pool.run('conv2dBackwardData', threads);
    dx.set(r.dx.view);
  }
}
