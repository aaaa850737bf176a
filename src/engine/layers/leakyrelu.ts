/**
 * leakyrelu: y = x for x > 0, else a·x (a = negativeSlope), elementwise; x and y [N, ...] of any shape.
 * Its derivative is 1 for x > 0 and a otherwise, including at x = 0 exactly (as torch.nn.LeakyReLU).
 */
import { type LeakyReluSpec, leakyReluSlope } from '../spec/types';
import { ElementwiseActivation } from './elementwise';

export function leakyReluForward(x: Float32Array, y: Float32Array, slope: number): void {
  for (let i = 0; i < y.length; i++) {
    const v = x[i];
    y[i] = v > 0 ? v : slope * v;
  }
}

/**
 * In the forward pass this was: y = x > 0 ? x : a·x
 * so now we have: dx = x > 0 ? dy : a·dy
 */
export function leakyReluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, slope: number): void {
  for (let i = 0; i < dx.length; i++) dx[i] = x[i] > 0 ? dy[i] : slope * dy[i];
}

export class LeakyRelu extends ElementwiseActivation {
  readonly type = 'leakyrelu';

  constructor(index: number, spec: LeakyReluSpec, inShape: readonly number[], path = String(index)) {
    const slope = leakyReluSlope(spec);
    super(
      index,
      inShape,
      {
        keeps: 'input',
        forward: (x, y) => leakyReluForward(x, y, slope),
        backward: (x, dy, dx) => leakyReluBackward(x, dy, dx, slope),
      },
      path,
    );
  }
}
