/**
 * leakyrelu: y = x for x > 0, else a·x (a = negativeSlope), elementwise; x and y [N, ...] of any shape.
 * Its derivative is 1 for x > 0 and a otherwise, including at x = 0 exactly (as torch.nn.LeakyReLU).
 * The functions below are the reference and fallback; with the wasm kernels active the layer runs on them
 * (src/engine/kernels/wasm/leakyrelu-wasm.ts), bit-identical.
 */
import { wasmKernels } from '../kernels/backend';
import { LeakyReluWasm } from '../kernels/wasm/leakyrelu-wasm';
import { type LeakyReluSpec, leakyReluSlope } from '../spec/types';
import { ElementwiseActivation, type ElementwiseKernels } from './elementwise';

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

/** The wasm kernels when they are active, else the TypeScript reference; one per layer (its scratch views). */
function leakyReluKernels(slope: number): ElementwiseKernels {
  let wasm: LeakyReluWasm | null = null;
  const passes = (): LeakyReluWasm | null => {
    const kernels = wasmKernels();
    if (kernels === null) return null;
    if (wasm?.kernels !== kernels) wasm = new LeakyReluWasm(kernels, slope);
    return wasm;
  };
  return {
    keeps: 'input',
    forward(x, y) {
      const kernels = passes();
      if (kernels === null) leakyReluForward(x, y, slope);
      else kernels.forward(x, y);
    },
    backward(x, dy, dx) {
      const kernels = passes();
      if (kernels === null) leakyReluBackward(x, dy, dx, slope);
      else kernels.backward(x, dy, dx);
    },
  };
}

export class LeakyRelu extends ElementwiseActivation {
  readonly type = 'leakyrelu';

  constructor(index: number, spec: LeakyReluSpec, inShape: readonly number[], path = String(index)) {
    const slope = leakyReluSlope(spec);
    super(index, inShape, leakyReluKernels(slope), path);
  }
}
