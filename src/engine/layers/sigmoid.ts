/**
 * sigmoid: y = 1 / (1 + e^(−x)), elementwise; x and y [N, ...] of any shape. dy/dx = y·(1 − y).
 */
import type { Param } from '../params';
import { BatchBuffer, type Tensor } from '../tensor';
import { keptFromForward, type Layer } from './layer';

/** Evaluated as e^x / (1 + e^x) for negative x so that e^(−x) never overflows. */
export function sigmoidForward(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) {
    const v = x[i];
    if (v >= 0) {
      y[i] = 1 / (1 + Math.exp(-v));
    } else {
      const e = Math.exp(v);
      y[i] = e / (1 + e);
    }
  }
}

/**
 * In the forward pass this was: y = 1 / (1 + e^(−x))
 * so now we have: dx = dy · y · (1 − y)
 */
export function sigmoidBackward(y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < dx.length; i++) dx[i] = dy[i] * y[i] * (1 - y[i]);
}

export class Sigmoid implements Layer {
  readonly type = 'sigmoid';
  readonly params: readonly Param[] = [];
  readonly outShape: readonly number[];
  private readonly output: BatchBuffer;
  private readonly inputGrad: BatchBuffer;
  private result: Tensor | null = null;

  constructor(
    readonly index: number,
    readonly inShape: readonly number[],
  ) {
    this.outShape = inShape;
    this.output = new BatchBuffer(inShape);
    this.inputGrad = new BatchBuffer(inShape);
  }

  forward(x: Tensor): Tensor {
    const y = this.output.forBatch(x.shape[0]);
    sigmoidForward(x.data, y.data);
    this.result = y;
    return y;
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const y = keptFromForward(this.result, this.index);
    if (!needInputGrad) return null;
    const dx = this.inputGrad.forBatch(y.shape[0]);
    sigmoidBackward(y.data, dy.data, dx.data);
    return dx;
  }
}
