/**
 * tanh: y = tanh(x), elementwise; x and y [N, ...] of any shape. dy/dx = 1 − y².
 */
import type { Param } from '../params';
import { BatchBuffer, type Tensor } from '../tensor';
import { keptFromForward, type Layer } from './layer';

export function tanhForward(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) y[i] = Math.tanh(x[i]);
}

/**
 * In the forward pass this was: y = tanh(x)
 * so now we have: dx = dy · (1 − y²)
 */
export function tanhBackward(y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < dx.length; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
}

export class Tanh implements Layer {
  readonly type = 'tanh';
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
    tanhForward(x.data, y.data);
    this.result = y;
    return y;
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const y = keptFromForward(this.result, this.index);
    if (!needInputGrad) return null;
    const dx = this.inputGrad.forBatch(y.shape[0]);
    tanhBackward(y.data, dy.data, dx.data);
    return dx;
  }
}
