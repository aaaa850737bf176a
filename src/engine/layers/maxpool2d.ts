/**
 * maxpool2d: y[n,c,oh,ow] = max_{kh,kw<K} x[n, c, oh·s + kh, ow·s + kw]; x [N,C,H,W] → y [N,C,OH,OW].
 * Forward records which input won each window (ties go to the first maximum in row-major window order, as
 * PyTorch); backward routes each delta to that winner only. Windows may overlap (s < K).
 */
import { wasmKernels } from '../kernels/backend';
import type { Pool2dDims } from '../kernels/dims';
import { MaxPool2dWasm } from '../kernels/wasm/maxpool2d-wasm';
import type { Param } from '../params';
import type { MaxPool2dSpec } from '../spec/types';
import type { StateBuffer } from '../state-buffers';
import { BatchBuffer, sizeOf, type Tensor } from '../tensor';
import { keptFromForward, type Layer } from './layer';
import { pool2dDims, pool2dOutputShape } from './pooling';

/** y = maxpool(x), overwriting y; argmax[output index] = ih·W + iw of the winner inside its input plane. */
export function maxPool2dForward(x: Float32Array, y: Float32Array, argmax: Int32Array, d: Pool2dDims): void {
  const { batch, channels, inHeight, inWidth, pool, stride, outHeight, outWidth } = d;
  const inPlane = inHeight * inWidth;
  const outPlane = outHeight * outWidth;
  for (let plane = 0; plane < batch * channels; plane++) {
    const xPlane = plane * inPlane;
    const yPlane = plane * outPlane;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const windowStart = oh * stride * inWidth + ow * stride;
        let best = Number.NEGATIVE_INFINITY;
        let bestIndex = windowStart;
        for (let kh = 0; kh < pool; kh++) {
          const row = windowStart + kh * inWidth;
          for (let kw = 0; kw < pool; kw++) {
            const v = x[xPlane + row + kw];
            // strict > keeps the first of equal maxima; a NaN wins so that it propagates as in PyTorch
            if (v > best || Number.isNaN(v)) {
              best = v;
              bestIndex = row + kw;
            }
          }
        }
        y[yPlane + oh * outWidth + ow] = best;
        argmax[yPlane + oh * outWidth + ow] = bestIndex;
      }
    }
  }
}

/**
 * dx = dLoss/dx, overwriting dx.
 * In the forward pass this was: y[n,c,oh,ow] = x[n,c, argmax[n,c,oh,ow]]
 * so now we have: dx[n,c, argmax[n,c,oh,ow]] += dy[n,c,oh,ow]  (+= because overlapping windows can share a winner)
 */
export function maxPool2dBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array, d: Pool2dDims): void {
  const inPlane = d.inHeight * d.inWidth;
  const outPlane = d.outHeight * d.outWidth;
  const planes = d.batch * d.channels;
  dx.fill(0, 0, planes * inPlane);
  for (let plane = 0; plane < planes; plane++) {
    const xPlane = plane * inPlane;
    for (let i = plane * outPlane; i < (plane + 1) * outPlane; i++) dx[xPlane + argmax[i]] += dy[i];
  }
}

export class MaxPool2d implements Layer {
  readonly type = 'maxpool2d';
  readonly params: readonly Param[] = [];
  readonly buffers: readonly StateBuffer[] = [];
  readonly children: readonly Layer[] = [];
  readonly outShape: readonly number[];
  /**
   * The pool routing of the last forward: argmax[((n·C + c)·OH + oh)·OW + ow] = ih·W + iw, the position inside
   * input plane (n, c) that won that window. Valid for the first N·C·OH·OW entries (N of the last batch).
   */
  argmax = new Int32Array(0);
  private readonly dims: Pool2dDims;
  private readonly output: BatchBuffer;
  private readonly inputGrad: BatchBuffer;
  /** Both passes on the wasm kernels, made on first use when they are the active backend. */
  private wasm: MaxPool2dWasm | null = null;
  private input: Tensor | null = null;

  constructor(
    readonly index: number,
    spec: MaxPool2dSpec,
    readonly inShape: readonly number[],
    readonly path: string = String(index),
  ) {
    this.outShape = pool2dOutputShape(spec, inShape);
    this.dims = pool2dDims(spec, inShape, this.outShape);
    this.output = new BatchBuffer(this.outShape);
    this.inputGrad = new BatchBuffer(inShape);
  }

  forward(x: Tensor): Tensor {
    const batch = x.shape[0];
    const y = this.output.forBatch(batch);
    const needed = batch * sizeOf(this.outShape);
    if (this.argmax.length < needed) this.argmax = new Int32Array(needed);
    this.dims.batch = batch;
    const kernels = wasmKernels();
    if (kernels !== null) {
      if (this.wasm?.kernels !== kernels) this.wasm = new MaxPool2dWasm(kernels, this.dims);
      this.wasm.forward(x.data, y.data, this.argmax);
    } else {
      maxPool2dForward(x.data, y.data, this.argmax, this.dims);
    }
    this.input = x;
    return y;
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const x = keptFromForward(this.input, this.path);
    if (!needInputGrad) return null;
    const dx = this.inputGrad.forBatch(x.shape[0]);
    this.dims.batch = x.shape[0];
    const kernels = wasmKernels();
    if (kernels !== null) {
      if (this.wasm?.kernels !== kernels) this.wasm = new MaxPool2dWasm(kernels, this.dims);
      this.wasm.backward(dy.data, this.argmax, dx.data);
    } else {
      maxPool2dBackward(dy.data, this.argmax, dx.data, this.dims);
    }
    return dx;
  }

  /** The input row and column that won window (oh, ow) of channel c of sample n in the last forward. */
  winner(n: number, c: number, oh: number, ow: number): { h: number; w: number } {
    const { channels, inWidth, outHeight, outWidth } = this.dims;
    const position = this.argmax[((n * channels + c) * outHeight + oh) * outWidth + ow];
    return { h: Math.floor(position / inWidth), w: position % inWidth };
  }
}
