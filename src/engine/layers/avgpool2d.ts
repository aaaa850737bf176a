/**
 * avgpool2d: y[n,c,oh,ow] = (1/K²) Σ_{kh,kw<K} x[n, c, oh·s + kh, ow·s + kw]; x [N,C,H,W] → y [N,C,OH,OW].
 * No padding, so every window holds K² inputs.
 */

import type { Pool2dDims } from '../kernels/dims';
import type { Param } from '../params';
import type { AvgPool2dSpec } from '../spec/types';
import type { StateBuffer } from '../state-buffers';
import { BatchBuffer, type Tensor } from '../tensor';
import { keptFromForward, type Layer } from './layer';
import { pool2dDims, pool2dOutputShape } from './pooling';

export function avgPool2dForward(x: Float32Array, y: Float32Array, d: Pool2dDims): void {
  const { batch, channels, inHeight, inWidth, pool, stride, outHeight, outWidth } = d;
  const inPlane = inHeight * inWidth;
  const outPlane = outHeight * outWidth;
  const scale = 1 / (pool * pool);
  for (let plane = 0; plane < batch * channels; plane++) {
    const xPlane = plane * inPlane;
    const yPlane = plane * outPlane;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const windowStart = xPlane + oh * stride * inWidth + ow * stride;
        let sum = 0;
        for (let kh = 0; kh < pool; kh++) {
          const row = windowStart + kh * inWidth;
          for (let kw = 0; kw < pool; kw++) sum += x[row + kw];
        }
        y[yPlane + oh * outWidth + ow] = sum * scale;
      }
    }
  }
}

/**
 * dx = dLoss/dx, overwriting dx.
 * In the forward pass this was: y[n,c,oh,ow] = (1/K²) Σ_{kh,kw} x[n,c,oh·s+kh, ow·s+kw]
 * so now we have: dx[n,c,oh·s+kh, ow·s+kw] += dy[n,c,oh,ow] / K²  for every kh, kw
 */
export function avgPool2dBackward(dy: Float32Array, dx: Float32Array, d: Pool2dDims): void {
  const { batch, channels, inHeight, inWidth, pool, stride, outHeight, outWidth } = d;
  const inPlane = inHeight * inWidth;
  const outPlane = outHeight * outWidth;
  const scale = 1 / (pool * pool);
  dx.fill(0, 0, batch * channels * inPlane);
  for (let plane = 0; plane < batch * channels; plane++) {
    const xPlane = plane * inPlane;
    const yPlane = plane * outPlane;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const share = dy[yPlane + oh * outWidth + ow] * scale;
        const windowStart = xPlane + oh * stride * inWidth + ow * stride;
        for (let kh = 0; kh < pool; kh++) {
          const row = windowStart + kh * inWidth;
          for (let kw = 0; kw < pool; kw++) dx[row + kw] += share;
        }
      }
    }
  }
}

export class AvgPool2d implements Layer {
  readonly type = 'avgpool2d';
  readonly params: readonly Param[] = [];
  readonly buffers: readonly StateBuffer[] = [];
  readonly children: readonly Layer[] = [];
  readonly outShape: readonly number[];
  private readonly dims: Pool2dDims;
  private readonly output: BatchBuffer;
  private readonly inputGrad: BatchBuffer;
  private input: Tensor | null = null;

  constructor(
    readonly index: number,
    spec: AvgPool2dSpec,
    readonly inShape: readonly number[],
    readonly path: string = String(index),
  ) {
    this.outShape = pool2dOutputShape(spec, inShape);
    this.dims = pool2dDims(spec, inShape, this.outShape);
    this.output = new BatchBuffer(this.outShape);
    this.inputGrad = new BatchBuffer(inShape);
  }

  forward(x: Tensor): Tensor {
    const y = this.output.forBatch(x.shape[0]);
    this.dims.batch = x.shape[0];
    avgPool2dForward(x.data, y.data, this.dims);
    this.input = x;
    return y;
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const x = keptFromForward(this.input, this.path);
    if (!needInputGrad) return null;
    const dx = this.inputGrad.forBatch(x.shape[0]);
    avgPool2dBackward(dy.data, dx.data, this.dims);
    return dx;
  }
}
