/**
 * What the elementwise activations (relu, leakyrelu, sigmoid, tanh) share: y = f(x) value by value, in a buffer reused
 * step to step, and dx = dy · f′ computed from whichever of x or y the derivative is cheapest from.
 */
import type { Param } from '../params';
import type { StateBuffer } from '../state-buffers';
import { BatchBuffer, type Tensor } from '../tensor';
import { keptFromForward, type Layer } from './layer';

export interface ElementwiseKernels {
  forward(x: Float32Array, y: Float32Array): void;
  /** `kept` is the forward's input or output, as `keeps` says. */
  backward(kept: Float32Array, dy: Float32Array, dx: Float32Array): void;
  keeps: 'input' | 'output';
}

export abstract class ElementwiseActivation implements Layer {
  abstract readonly type: 'relu' | 'sigmoid' | 'tanh' | 'leakyrelu';
  readonly params: readonly Param[] = [];
  readonly buffers: readonly StateBuffer[] = [];
  readonly children: readonly Layer[] = [];
  readonly outShape: readonly number[];
  private readonly output: BatchBuffer;
  private readonly inputGrad: BatchBuffer;
  private kept: Tensor | null = null;

  constructor(
    readonly index: number,
    readonly inShape: readonly number[],
    private readonly kernels: ElementwiseKernels,
    readonly path: string = String(index),
  ) {
    this.outShape = inShape;
    this.output = new BatchBuffer(inShape);
    this.inputGrad = new BatchBuffer(inShape);
  }

  forward(x: Tensor): Tensor {
    const y = this.output.forBatch(x.shape[0]);
    this.kernels.forward(x.data, y.data);
    this.kept = this.kernels.keeps === 'input' ? x : y;
    return y;
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const kept = keptFromForward(this.kept, this.path);
    if (!needInputGrad) return null;
    const dx = this.inputGrad.forBatch(kept.shape[0]);
    this.kernels.backward(kept.data, dy.data, dx.data);
    return dx;
  }
}
