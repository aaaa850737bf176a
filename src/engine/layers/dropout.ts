/**
 * dropout (inverted): in training y = x · m / (1 − p) with m ~ Bernoulli(1 − p) per element, drawn from the
 * run's one Rng; in evaluation y = x. Scaling while training keeps E[y] = x, so evaluation needs no rescale.
 * x and y [N, ...] of any shape; p is the spec's rate.
 */
import type { Param } from '../params';
import type { Rng } from '../rng';
import { type DropoutSpec, LAYER_DEFAULTS } from '../spec/types';
import type { StateBuffer } from '../state-buffers';
import { BatchBuffer, type Tensor } from '../tensor';
import { keptFromForward, type Layer, type Mode } from './layer';

/** Fills mask with 0 (dropped, probability p) or 1/(1 − p) (kept), one Rng draw per element. */
export function drawDropoutMask(mask: Float32Array, rate: number, rng: Rng): void {
  const keptScale = 1 / (1 - rate);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.nextFloat() < rate ? 0 : keptScale;
}

export function dropoutForward(x: Float32Array, mask: Float32Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) y[i] = x[i] * mask[i];
}

/**
 * In the forward pass this was: y = x · mask
 * so now we have: dx = dy · mask
 */
export function dropoutBackward(dy: Float32Array, mask: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < dx.length; i++) dx[i] = dy[i] * mask[i];
}

export class Dropout implements Layer {
  readonly type = 'dropout';
  readonly params: readonly Param[] = [];
  readonly buffers: readonly StateBuffer[] = [];
  readonly children: readonly Layer[] = [];
  readonly outShape: readonly number[];
  readonly rate: number;
  private readonly mask: BatchBuffer;
  private readonly output: BatchBuffer;
  private readonly inputGrad: BatchBuffer;
  private input: Tensor | null = null;
  private lastMode: Mode = 'eval';

  constructor(
    readonly index: number,
    spec: DropoutSpec,
    readonly inShape: readonly number[],
    private readonly rng: Rng,
    readonly path: string = String(index),
  ) {
    // a spec read from a file may leave the rate out (the schema then applies the default)
    this.rate = spec.rate ?? LAYER_DEFAULTS.dropout.rate;
    this.outShape = inShape;
    this.mask = new BatchBuffer(inShape);
    this.output = new BatchBuffer(inShape);
    this.inputGrad = new BatchBuffer(inShape);
  }

  forward(x: Tensor, mode: Mode): Tensor {
    this.input = x;
    this.lastMode = mode;
    if (mode === 'eval' || this.rate === 0) return x;
    const batch = x.shape[0];
    const mask = this.mask.forBatch(batch);
    const y = this.output.forBatch(batch);
    drawDropoutMask(mask.data, this.rate, this.rng);
    dropoutForward(x.data, mask.data, y.data);
    return y;
  }

  backward(dy: Tensor, needInputGrad: boolean): Tensor | null {
    const x = keptFromForward(this.input, this.path);
    if (!needInputGrad) return null;
    if (this.lastMode === 'eval' || this.rate === 0) return dy;
    const batch = x.shape[0];
    const dx = this.inputGrad.forBatch(batch);
    dropoutBackward(dy.data, this.mask.forBatch(batch).data, dx.data);
    return dx;
  }
}
