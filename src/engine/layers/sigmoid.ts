/**
 * sigmoid: y = 1 / (1 + e^(−x)), elementwise; x and y [N, ...] of any shape. dy/dx = y·(1 − y).
 */
import { ElementwiseActivation } from './elementwise';

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

export class Sigmoid extends ElementwiseActivation {
  readonly type = 'sigmoid';

  constructor(index: number, inShape: readonly number[], path = String(index)) {
    super(index, inShape, { forward: sigmoidForward, backward: sigmoidBackward, keeps: 'output' }, path);
  }
}
