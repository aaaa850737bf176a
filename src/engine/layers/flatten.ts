/**
 * flatten: y[n, (c·H + h)·W + w] = x[n,c,h,w]; x [N,C,H,W] → y [N, C·H·W] in C,H,W order (as torch.nn.Flatten).
 * NCHW data is already in that order, so y is a view of x's data and dx a view of dy's: nothing is copied.
 */
import type { Param } from '../params';
import type { StateBuffer } from '../state-buffers';
import { sizeOf, type Tensor } from '../tensor';
import { keptFromForward, type Layer } from './layer';

export class Flatten implements Layer {
  readonly type = 'flatten';
  readonly params: readonly Param[] = [];
  readonly buffers: readonly StateBuffer[] = [];
  readonly children: readonly Layer[] = [];
  readonly outShape: readonly number[];
  private input: Tensor | null = null;
  private output: Tensor | null = null;
  private inputGrad: Tensor | null = null;

  constructor(
    readonly index: number,
    readonly inShape: readonly number[],
    readonly path: string = String(index),
  ) {
    this.outShape = [sizeOf(inShape)];
  }

  forward(x: Tensor): Tensor {
    if (this.output === null || this.output.data !== x.data) {
      this.output = { shape: [x.shape[0], ...this.outShape], data: x.data };
    }
    this.input = x;
    return this.output;
  }

  /**
   * In the forward pass this was: y[n, (c·H + h)·W + w] = x[n,c,h,w]
   * so now we have: dx[n,c,h,w] = dy[n, (c·H + h)·W + w], the same memory read with the input's shape.
   */
  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const x = keptFromForward(this.input, this.path);
    if (!needInputGrad) return null;
    if (this.inputGrad === null || this.inputGrad.data !== dy.data) {
      this.inputGrad = { shape: x.shape, data: dy.data };
    }
    return this.inputGrad;
  }
}
