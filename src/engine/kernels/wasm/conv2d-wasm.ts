/**
 * conv2d forward and backward on the wasm kernels (assembly/conv2d.ts: im2col + SIMD gemm per sample), with the
 * same contract as the TypeScript functions in src/engine/layers/conv2d.ts: forward overwrites y, backward adds
 * into the parameter gradients and overwrites dx.
 */
import type { Conv2dDims } from '../../layers/conv2d';
import { ScratchLayout } from './scratch-layout';
import type { WasmKernels } from './wasm-kernels';

type Region = 'x' | 'weight' | 'bias' | 'y' | 'cols' | 'pack' | 'dx' | 'dWeight' | 'dBias' | 'dWeightT';

export class Conv2dWasm {
  private readonly layout: ScratchLayout<Region>;

  constructor(
    private readonly kernels: WasmKernels,
    private readonly d: Conv2dDims,
  ) {
    const inSize = d.inChannels * d.inHeight * d.inWidth;
    const outPlane = d.outHeight * d.outWidth;
    const patch = d.inChannels * d.kernel * d.kernel;
    const weights = d.outChannels * patch;
    // gemm packs cols (outPlane columns) in forward and backward-data, dyᵀ (outChannels columns) in backward-filter
    const pack = kernels.exports.packSize(Math.max(outPlane, d.outChannels));
    this.layout = new ScratchLayout(kernels, (batch) => ({
      x: batch * inSize,
      weight: weights,
      bias: d.outChannels,
      y: batch * d.outChannels * outPlane,
      cols: patch * outPlane,
      pack,
      dx: batch * inSize,
      dWeight: weights,
      dBias: d.outChannels,
      dWeightT: weights,
    }));
  }

  private setShape(): void {
    const d = this.d;
    this.kernels.exports.setConvShape(
      d.inChannels,
      d.inHeight,
      d.inWidth,
      d.outChannels,
      d.kernel,
      d.stride,
      d.pad,
      d.outHeight,
      d.outWidth,
    );
  }

  forward(x: Float32Array, weight: Float32Array, bias: Float32Array, y: Float32Array): void {
    const r = this.layout.regions(this.d.batch);
    r.x.view.set(x);
    r.weight.view.set(weight);
    r.bias.view.set(bias);
    this.setShape();
    this.kernels.exports.conv2dForward(
      this.d.batch,
      r.x.address,
      r.weight.address,
      r.bias.address,
      r.y.address,
      r.cols.address,
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
    const { batch } = this.d;
    const r = this.layout.regions(batch);
    const k = this.kernels.exports;
    r.x.view.set(x);
    r.y.view.set(dy);
    r.dWeight.view.set(dWeight);
    r.dBias.view.set(dBias);
    this.setShape();
    k.conv2dBackwardFilter(
      batch,
      r.x.address,
      r.y.address,
      r.dWeight.address,
      r.dBias.address,
      r.dWeightT.address,
      r.cols.address,
      r.pack.address,
    );
    dWeight.set(r.dWeight.view);
    dBias.set(r.dBias.view);
    if (dx === null) return;
    r.weight.view.set(weight);
    k.conv2dBackwardData(batch, r.y.address, r.weight.address, r.dx.address, r.cols.address, r.pack.address);
    dx.set(r.dx.view);
  }
}
