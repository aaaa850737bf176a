/**
 * tanh: y = tanh(x), elementwise; x and y [N, ...] of any shape. dy/dx = 1 − y².
 */
import { ElementwiseActivation } from './elementwise';

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

export class Tanh extends ElementwiseActivation {
  readonly type = 'tanh';

  constructor(index: number, inShape: readonly number[], path = String(index)) {
    super(index, inShape, { forward: tanhForward, backward: tanhBackward, keeps: 'output' }, path);
  }
}
