/**
 * relu: y = max(0, x), elementwise; x and y [N, ...] of any shape.
 * Its derivative is 1 for x > 0 and 0 otherwise, including at x = 0 exactly (as PyTorch).
 */
import type { Param } from '../params';
import { BatchBuffer, type Tensor } from '../tensor';
import { keptFromForward, type Layer } from './layer';

export function reluForward(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) y[i] = x[i] > 0 ? x[i] : 0;
}

/**
 * In the forward pass this was: y = x > 0 ? x : 0
 * so now we have: dx = x > 0 ? dy : 0
 */
export function reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < dx.length; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
}

export class Relu implements Layer {
  readonly type = 'relu';
  readonly params: readonly Param[] = [];
  readonly outShape: readonly number[];
  private readonly output: BatchBuffer;
  private readonly inputGrad: BatchBuffer;
  private input: Tensor | null = null;

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
    reluForward(x.data, y.data);
    this.input = x;
    return y;
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const x = keptFromForward(this.input, this.index);
    if (!needInputGrad) return null;
    const dx = this.inputGrad.forBatch(x.shape[0]);
    reluBackward(x.data, dy.data, dx.data);
    return dx;
  }
}
