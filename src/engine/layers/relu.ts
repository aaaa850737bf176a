/**
 * relu: y = max(0, x), elementwise; x and y [N, ...] of any shape.
 * Its derivative is 1 for x > 0 and 0 otherwise, including at x = 0 exactly (as PyTorch).
 */
import { wasmKernels } from '../kernels/backend';
import { ReluWasm } from '../kernels/wasm/relu-wasm';
import { ElementwiseActivation, type ElementwiseKernels } from './elementwise';

export function reluForward(x: Float32Array, y: Float32Array): void {
  const count = y.length;
  for (let i = 0; i < count; i++) {
    const v = x[i];
    y[i] = v > 0 ? v : 0;
  }
}

/**
 * In the forward pass this was: y = x > 0 ? x : 0
 * so now we have: dx = x > 0 ? dy : 0
 */
export function reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array): void {
  const count = dx.length;
  for (let i = 0; i < count; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
}

/**
 * The wasm SIMD kernels when they are the active backend (branch-free, several times faster on activations of
 * random sign, where the TypeScript loop's branch mispredicts half the time), else the TypeScript reference.
 * One per layer: its scratch views are sized for that layer's activations.
 */
function reluKernels(): ElementwiseKernels {
  let wasm: ReluWasm | null = null;
  return {
    keeps: 'input',
    forward(x, y) {
      const kernels = wasmKernels();
      if (kernels === null) return reluForward(x, y);
      if (wasm?.kernels !== kernels) wasm = new ReluWasm(kernels);
      wasm.forward(x, y);
    },
    backward(x, dy, dx) {
      const kernels = wasmKernels();
      if (kernels === null) return reluBackward(x, dy, dx);
      if (wasm?.kernels !== kernels) wasm = new ReluWasm(kernels);
      wasm.backward(x, dy, dx);
    },
  };
}

export class Relu extends ElementwiseActivation {
  readonly type = 'relu';

  constructor(index: number, inShape: readonly number[], path = String(index)) {
    super(index, inShape, reluKernels(), path);
  }
}
