/**
 * dense forward and backward on the wasm kernels (assembly/dense.ts: SIMD gemm), with the same contract as the
 * TypeScript functions in src/engine/layers/dense.ts: forward overwrites y, backward adds into the parameter
 * gradients and overwrites dx.
 */
import type { DenseDims } from '../../layers/dense';
import { ScratchLayout } from './scratch-layout';
import type { WasmKernels } from './wasm-kernels';

type Region = 'x' | 'weight' | 'bias' | 'y' | 'pack' | 'dx' | 'dWeight' | 'dBias';

export class DenseWasm {
  private readonly layout: ScratchLayout<Region>;

  constructor(
    private readonly kernels: WasmKernels,
    private readonly d: DenseDims,
  ) {
    const weights = d.outFeatures * d.inFeatures;
    // gemm packs Wᵀ (outFeatures columns) in forward, W and x (inFeatures columns) in backward
    const pack = kernels.exports.packSize(Math.max(d.inFeatures, d.outFeatures));
    this.layout = new ScratchLayout(kernels, (batch) => ({
      x: batch * d.inFeatures,
      weight: weights,
      bias: d.outFeatures,
      y: batch * d.outFeatures,
      pack,
      dx: batch * d.inFeatures,
      dWeight: weights,
      dBias: d.outFeatures,
    }));
  }

  forward(x: Float32Array, weight: Float32Array, bias: Float32Array, y: Float32Array): void {
    const { batch, inFeatures, outFeatures } = this.d;
    const r = this.layout.regions(batch);
    r.x.view.set(x);
    r.weight.view.set(weight);
    r.bias.view.set(bias);
    this.kernels.exports.denseForward(
      batch,
      inFeatures,
      outFeatures,
      r.x.address,
      r.weight.address,
      r.bias.address,
      r.y.address,
      r.pack.address,
    );
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
    const k = this.kernels.exports;
    r.x.view.set(x);
    r.y.view.set(dy);
    r.dWeight.view.set(dWeight);
    r.dBias.view.set(dBias);
    k.denseBackwardFilter(
      batch,
      inFeatures,
      outFeatures,
      r.x.address,
      r.y.address,
      r.dWeight.address,
      r.dBias.address,
      r.pack.address,
    );
    dWeight.set(r.dWeight.view);
    dBias.set(r.dBias.view);
    if (dx === null) return;
    r.weight.view.set(weight);
    k.denseBackwardData(batch, inFeatures, outFeatures, r.y.address, r.weight.address, r.dx.address, r.pack.address);
    dx.set(r.dx.view);
  }
}
