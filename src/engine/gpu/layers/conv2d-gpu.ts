/**
 * conv2d on the GPU, as src/engine/layers/conv2d.ts but for the whole batch at once: im2col writes every sample's
 * columns cols[n, r, p] into GPU memory, and each pass is one GEMM whose column index runs over (n, p):
 *   forward:  y[n,o,p]  = b[o] + Σ_r W[o,r] · cols[n,r,p]
 *   backward: dW[o,r]   = Σ_(n,p) dy[n,o,p] · cols[n,r,p]      db[o] = Σ_(n,p) dy[n,o,p]  (with bias=true)
 *             dcols[n,r,p] = Σ_o W[o,r] · dy[n,o,p], then col2im gathers dcols into dx
 * dcols reuses the cols buffer once dW has been computed from it.
 */

import { type Conv2dDims, conv2dDims } from '../../kernels/dims';
import type { Conv2d } from '../../layers/conv2d';
import type { Layer } from '../../layers/layer';
import { type Conv2dSpec, convPadding, convStride } from '../../spec/types';
import type { Dispatch, GpuContext } from '../gpu-context';
import { gemm, type MatrixView } from '../kernels/gemm';
import { col2im, im2col } from '../kernels/im2col';
import { sumRows } from '../kernels/reduce';
import { type GpuLayer, type GpuLayerInputs, sampleSize } from './gpu-layer';

export class Conv2dGpu implements GpuLayer {
  readonly layer: Layer;
  readonly output: GPUBuffer;
  private readonly ctx: GpuContext;
  private readonly input: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly grads: GPUBuffer;
  private readonly cols: GPUBuffer;
  private readonly dx: GPUBuffer;
  private readonly dims: Conv2dDims;
  private readonly weightOffset: number;
  /** The bias's first element, or null for a convolution without bias (bias=false: no buffer, no gradient). */
  private readonly biasOffset: number | null;

  constructor(inputs: GpuLayerInputs, spec: Conv2dSpec) {
    const { ctx, layer, maxBatch } = inputs;
    const conv = layer as Conv2d;
    this.ctx = ctx;
    this.layer = layer;
    this.input = inputs.input;
    this.params = inputs.params;
    this.grads = inputs.grads;
    this.dims = conv2dDims(0, layer.inShape, layer.outShape, spec.kernelSize, convStride(spec), convPadding(spec));
    this.weightOffset = inputs.offsetOf(conv.weight);
    this.biasOffset = conv.bias === null ? null : inputs.offsetOf(conv.bias);
    this.output = ctx.storage(maxBatch * sampleSize(layer.outShape), `${layer.path} conv2d y`);
    this.cols = ctx.storage(maxBatch * this.patch * this.plane, `${layer.path} conv2d cols`);
    this.dx = ctx.storage(maxBatch * sampleSize(layer.inShape), `${layer.path} conv2d dx`);
  }

  private get patch(): number {
    return this.dims.inChannels * this.dims.kernel * this.dims.kernel;
  }

  private get plane(): number {
    return this.dims.outHeight * this.dims.outWidth;
  }

  /** cols[n, r, p] as a matrix [r, (n,p)]. */
  private columns(): MatrixView {
    const { patch, plane } = this;
    return {
      buffer: this.cols,
      base: 0,
      rowStride: plane,
      colStride: 1,
      colInner: plane,
      colOuterStride: patch * plane,
    };
  }

  /** y or dy [n, o, p] as a matrix [o, (n,p)]. */
  private outputs(buffer: GPUBuffer): MatrixView {
    const { plane } = this;
    const outChannels = this.dims.outChannels;
    return { buffer, base: 0, rowStride: plane, colStride: 1, colInner: plane, colOuterStride: outChannels * plane };
  }

  forward(batch: number): Dispatch[] {
    const { ctx, patch, plane } = this;
    return [
      im2col(ctx, this.dims, batch, this.input, 0, this.cols),
      ...gemm(ctx, {
        m: this.dims.outChannels,
        n: batch * plane,
        k: patch,
        a: { buffer: this.params, base: this.weightOffset, rowStride: patch, colStride: 1 },
        b: this.columns(),
        c: this.outputs(this.output),
        ...(this.biasOffset === null ? {} : { bias: { buffer: this.params, base: this.biasOffset, per: 'row' } }),
      }),
    ];
  }

  backward(batch: number, dy: GPUBuffer, needInputGrad: boolean): Dispatch[] {
    const { ctx, patch, plane } = this;
    const outChannels = this.dims.outChannels;
    const columns = this.columns();
    const dispatches: Dispatch[] = [
      ...gemm(ctx, {
        m: outChannels,
        n: patch,
        k: batch * plane,
        a: this.outputs(dy),
        // colsᵀ: element ((n,p), r) of cols[n, r, p]
        b: {
          buffer: this.cols,
          base: 0,
          rowStride: 1,
          rowInner: plane,
          rowOuterStride: patch * plane,
          colStride: plane,
        },
        c: { buffer: this.grads, base: this.weightOffset, rowStride: patch, colStride: 1 },
      }),
    ];
    if (this.biasOffset !== null) {
      dispatches.push(
        sumRows(ctx, {
          src: dy,
          out: this.grads,
          outputs: outChannels,
          count: batch * plane,
          base: 0,
          jStride: plane,
          inner: plane,
          innerStride: 1,
          outerStride: outChannels * plane,
          outBase: this.biasOffset,
        }),
      );
    }
    if (!needInputGrad) return dispatches;
    dispatches.push(
      ...gemm(ctx, {
        m: patch,
        n: batch * plane,
        k: outChannels,
        // Wᵀ: element (r, o) of W[o, r]
        a: { buffer: this.params, base: this.weightOffset, rowStride: 1, colStride: patch },
        b: this.outputs(dy),
        c: columns,
      }),
      col2im(ctx, this.dims, batch, this.cols, this.dx, 0),
    );
    return dispatches;
  }

  inputGrad(): GPUBuffer {
    return this.dx;
  }
}
