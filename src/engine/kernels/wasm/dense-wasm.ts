/**
 * dense forward and backward on the wasm kernels (assembly/dense.ts: SIMD gemm), with the same contract as the
 * TypeScript functions in src/engine/layers/dense.ts: forward overwrites y, backward adds into the parameter
 * gradients and overwrites dx. On several threads each pass splits the columns of its product, so results never
 * change.
 */
import type { DenseDims } from '../dims';
import { shareStart } from './kernel-thread-pool';
import { alignedFloats, ScratchLayout, threadPart } from './scratch-layout';
import type { WasmKernels } from './wasm-kernels';

type Region = 'x' | 'weight' | 'bias' | 'y' | 'pack' | 'dx' | 'dWeight' | 'dBias';

/** gemm's packed panels are 8 columns wide: column shares start on multiples of it. */
const PANEL = 8;

export class DenseWasm {
  private readonly layout: ScratchLayout<Region>;
  private readonly packFloats: number;

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
    private readonly d: DenseDims,
  ) {
    const weights = d.outFeatures * d.inFeatures;
    // gemm packs Wᵀ (outFeatures columns) in forward, W and x (inFeatures columns) in backward
    this.packFloats = alignedFloats(kernels.exports.packSize(Math.max(d.inFeatures, d.outFeatures)));
    const threads = kernels.pool.size;
    this.layout = new ScratchLayout(kernels, (batch) => ({
      x: batch * d.inFeatures,
      weight: weights,
      bias: d.outFeatures,
      y: batch * d.outFeatures,
      pack: threads * this.packFloats,
      dx: batch * d.inFeatures,
      dWeight: weights,
      dBias: d.outFeatures,
    }));
  }

  /** Threads for a product with `columns` columns: as many as pay off, at most one per panel. */
  private threadsFor(columns: number): number {
    const { batch, inFeatures, outFeatures } = this.d;
    return Math.min(Math.ceil(columns / PANEL), this.kernels.pool.threadsFor(batch * inFeatures * outFeatures));
  }

  forward(x: Float32Array, weight: Float32Array, bias: Float32Array, y: Float32Array): void {
    const { batch, inFeatures, outFeatures } = this.d;
    const r = this.layout.regions(batch);
    r.x.view.set(x);
    r.weight.view.set(weight);
    r.bias.view.set(bias);
    const pool = this.kernels.pool;
    const threads = this.threadsFor(outFeatures);
    for (let t = 0; t < threads; t++) {
      pool.share(
        t,
        batch,
        inFeatures,
        outFeatures,
        r.x.address,
        r.weight.address,
        r.bias.address,
        r.y.address,
        threadPart(r.pack, this.packFloats, t),
        shareStart(outFeatures, threads, t, PANEL),
        shareStart(outFeatures, threads, t + 1, PANEL),
      );
    }
    pool.run('denseForward', threads);
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
    const { batch, inFeatures, outFeatures } = this.d;
    const r = this.layout.regions(batch);
    const pool = this.kernels.pool;
    r.x.view.set(x);
    r.y.view.set(dy);
    this.gradientsIn.dWeight = dWeight;
    this.gradientsIn.dBias = dBias;
    this.loadGradients();
    const threads = this.threadsFor(inFeatures);
    for (let t = 0; t < threads; t++) {
      pool.share(
        t,
        batch,
        inFeatures,
        outFeatures,
        r.x.address,
        r.y.address,
        r.dWeight.address,
        r.dBias.address,
        threadPart(r.pack, this.packFloats, t),
        shareStart(inFeatures, threads, t, PANEL),
        shareStart(inFeatures, threads, t + 1, PANEL),
        shareStart(outFeatures, threads, t, 1),
        shareStart(outFeatures, threads, t + 1, 1),
      );
    }
    pool.run('denseBackwardFilter', threads, this.loadGradients);
    dWeight.set(r.dWeight.view);
    dBias.set(r.dBias.view);
    if (dx === null) return;
    r.weight.view.set(weight);
    for (let t = 0; t < threads; t++) {
      pool.share(
        t,
        batch,
        inFeatures,
        outFeatures,
        r.y.address,
        r.weight.address,
        r.dx.address,
        threadPart(r.pack, this.packFloats, t),
        shareStart(inFeatures, threads, t, PANEL),
        shareStart(inFeatures, threads, t + 1, PANEL),
      );
    }
    pool.run('denseBackwardData', threads);
    dx.set(r.dx.view);
  }
}
