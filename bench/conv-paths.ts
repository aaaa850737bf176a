/**
 * The two wasm paths of a convolution side by side on the same operands: im2col + gemm and Winograd F(2×2, 3×3)
 * (assembly/winograd.ts), forward, input gradient and weight gradient, on one thread. assembly/conv2d.ts runs Winograd only for the
 * shapes where this measured it faster; the micro-benchmark prints the ratios and the tests compare the values.
 */
import { conv2dDims } from '../src/engine/kernels/dims';
import { alignedFloats, ScratchLayout, type ScratchRegion } from '../src/engine/kernels/wasm/scratch-layout';
import type { WasmKernels } from '../src/engine/kernels/wasm/wasm-kernels';

export type ConvPath = 'im2col' | 'winograd';

export interface ConvShape {
  channels: number;
  filters: number;
  height: number;
  width: number;
  pad: number;
  batch: number;
}

/** In this order in the scratch: y and dx are each followed by an input, which tests check stays untouched. */
type Region =
  | 'shape'
  | 'weight'
  | 'bias'
  | 'y'
  | 'dy'
  | 'dx'
  | 'x'
  | 'dWeight'
  | 'dBias'
  | 'dWeightT'
  | 'cols'
  | 'pack';

/** One 3×3 stride-1 convolution laid out in the wasm scratch, its operands loaded once, run on either path. */
export class ConvPaths {
  private readonly regions: Record<Region, ScratchRegion>;
  readonly outHeight: number;
  readonly outWidth: number;

  constructor(
    private readonly kernels: WasmKernels,
    private readonly s: ConvShape,
  ) {
    const { channels, filters, height, width, pad, batch } = s;
    this.outHeight = height + 2 * pad - 2;
    this.outWidth = width + 2 * pad - 2;
    const d = conv2dDims(batch, [channels, height, width], [filters, this.outHeight, this.outWidth], 3, 1, pad);
    const e = kernels.exports;
    const outPlane = this.outHeight * this.outWidth;
    const cols = Math.max(
      e.conv2dScratchFloats(channels, height, width, filters, 3, 1, pad, batch),
      e.winogradForwardFloats(channels, height, width, filters, pad, batch),
      e.winogradBackwardDataFloats(channels, height, width, filters, pad, batch),
    );
    const layout = new ScratchLayout<Region>(kernels, () => ({
      shape: 9,
      weight: filters * channels * 9,
      bias: filters,
      y: batch * filters * outPlane,
      dy: batch * filters * outPlane,
      dx: batch * channels * height * width,
      x: batch * channels * height * width,
      dWeight: filters * channels * 9,
      dBias: filters,
      dWeightT: filters * channels * 9,
      cols: alignedFloats(cols),
      pack: e.packSize(Math.max(outPlane, filters, channels)),
    }));
    this.regions = layout.regions(batch);
    this.regions.shape.ints.set([channels, height, width, filters, 3, 1, pad, d.outHeight, d.outWidth]);
  }

  /** x, weight and bias of the forward pass; dy (the size of y) of the backward pass. */
  load(x: Float32Array, weight: Float32Array, bias: Float32Array, dy: Float32Array): void {
    const r = this.regions;
    r.x.view.set(x);
    r.weight.view.set(weight);
    r.bias.view.set(bias);
    r.dy.view.set(dy);
  }

  /** Copies of the loaded operands as they are now in the scratch. */
  inputs(): { x: Float32Array; weight: Float32Array; bias: Float32Array; dy: Float32Array } {
    const r = this.regions;
    return { x: r.x.view.slice(), weight: r.weight.view.slice(), bias: r.bias.view.slice(), dy: r.dy.view.slice() };
  }

  /** y = conv(x) on `path`. */
  forward(path: ConvPath): Float32Array {
    const r = this.regions;
    const e = this.kernels.exports;
    const args = [r.shape.address, this.s.batch, r.x.address, r.weight.address, r.bias.address, r.y.address] as const;
    if (path === 'im2col') e.im2colForward(...args, r.cols.address, r.pack.address);
    else e.winogradForward(...args, r.cols.address);
    return r.y.view;
  }

  /** dx = the input gradient for the loaded dy, on `path`. */
  backwardData(path: ConvPath): Float32Array {
    const r = this.regions;
    const e = this.kernels.exports;
    const args = [r.shape.address, this.s.batch, r.dy.address, r.weight.address, r.dx.address] as const;
    if (path === 'im2col') e.im2colBackwardData(...args, r.cols.address, r.pack.address);
    else e.winogradBackwardData(...args, r.cols.address);
    return r.dx.view;
  }

  /** dW (from zero) for the loaded x and dy, on `path`; the bias gradient is left out (the same on both paths). */
  backwardFilter(path: ConvPath): Float32Array {
    const r = this.regions;
    const e = this.kernels.exports;
    const { batch, channels } = this.s;
    r.dWeight.view.fill(0);
    if (path === 'im2col') {
      e.im2colBackwardFilter(
        r.shape.address,
        batch,
        r.x.address,
        r.dy.address,
        r.dWeight.address,
        r.dBias.address,
        r.dWeightT.address,
        r.cols.address,
        r.pack.address,
        0,
        channels * 9,
        0,
        0,
      );
    } else {
      e.winogradBackwardFilter(
        r.shape.address,
        batch,
        r.x.address,
        r.dy.address,
        r.dWeight.address,
        r.cols.address,
        0,
        channels,
      );
    }
    return r.dWeight.view;
  }
}
