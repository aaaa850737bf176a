/**
 * Runs one layer forward and backward on the TypeScript kernels and on the wasm kernels with the same
 * parameters and inputs, and checks that every output agrees within float32 rounding of a sum of `terms`
 * products (the two backends add in different orders: float64 vs float32 accumulators, blocked vs not).
 */
import { expect } from 'vitest';
import { type KernelBackendChoice, setKernelBackend, wasmKernels } from '../../src/engine/kernels/backend';
import type { WasmKernels } from '../../src/engine/kernels/wasm/wasm-kernels';
import { createLayer } from '../../src/engine/layers/create-layer';
import type { MaxPool2d } from '../../src/engine/layers/maxpool2d';
import { Rng } from '../../src/engine/rng';
import type { LayerSpec } from '../../src/engine/spec/types';
import { type Tensor, tensor } from '../../src/engine/tensor';

export interface PassResult {
  y: Float32Array;
  dx: Float32Array;
  grads: Float32Array[];
}

/** The wasm kernels, made the active backend, for tests that call them directly. */
export function activeWasmKernels(): WasmKernels {
  setKernelBackend('wasm');
  const kernels = wasmKernels();
  if (kernels === null) throw new Error('the wasm kernels do not run here');
  return kernels;
}

export function randomValues(size: number, rng: Rng): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = 2 * rng.nextFloat() - 1;
  return values;
}

export function runPasses(
  backend: KernelBackendChoice,
  spec: LayerSpec,
  x: Tensor,
  seed: number,
  steps: number,
): PassResult {
  setKernelBackend(backend);
  try {
    const layer = createLayer(spec, 0, x.shape.slice(1), new Rng(seed));
    const rng = new Rng(seed + 1);
    for (const param of layer.params) param.data.set(randomValues(param.data.length, rng));
    let y: Tensor = x;
    let dx: Tensor | null = null;
    // several steps with the same buffers: reused scratch must not leak values from one step into the next
    for (let step = 0; step < steps; step++) {
      y = layer.forward(x, 'train');
      const dy = tensor(y.shape, randomValues(y.data.length, new Rng(seed + 2)));
      dx = layer.backward(dy, true);
    }
    if (dx === null) throw new Error('no input gradient');
    return { y: y.data.slice(), dx: dx.data.slice(), grads: layer.params.map((param) => param.grad.slice()) };
  } finally {
    setKernelBackend('auto');
  }
}

/** |wasm − ts| ≤ 1e-5·(1 + |ts|)·√terms for every element, sized for float32 sums of `terms` products of O(1) values. */
export function expectValuesAgree(wasm: Float32Array, reference: Float32Array, terms: number, what: string): void {
  expect(wasm.length, `${what} length`).toBe(reference.length);
  const scale = 1e-5 * Math.sqrt(terms);
  for (let i = 0; i < reference.length; i++) {
    const allowed = scale * (1 + Math.abs(reference[i]));
    if (!(Math.abs(wasm[i] - reference[i]) <= allowed)) {
      expect.fail(`${what}[${i}]: wasm ${wasm[i]}, typescript ${reference[i]} (allowed ${allowed.toExponential(2)})`);
    }
  }
}

/** Forward, input gradient and every parameter gradient agree between the two backends. */
export function expectBackendsAgree(spec: LayerSpec, inputShape: readonly number[], seed: number, terms: number): void {
  const x = tensor(
    inputShape,
    randomValues(
      inputShape.reduce((a, b) => a * b, 1),
      new Rng(seed),
    ),
  );
  const steps = 2;
  const reference = runPasses('typescript', spec, x, seed, steps);
  const wasm = runPasses('wasm', spec, x, seed, steps);
  expectValuesAgree(wasm.y, reference.y, terms, 'y');
  expectValuesAgree(wasm.dx, reference.dx, terms * 4, 'dx');
  wasm.grads.forEach((grad, i) => {
    expectValuesAgree(grad, reference.grads[i], terms * inputShape[0] * steps * 64, `grad ${i}`);
  });
}

/** Integers 0..4 as floats: many ties inside pooling windows. */
export function randomGrid(size: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: size }, () => rng.nextInt(5));
}

/** maxpool2d forward (values, winners) and backward of dy = 1, 2, 3, … on the chosen backend. */
export function runMaxPool(
  backend: KernelBackendChoice,
  spec: LayerSpec,
  shape: readonly number[],
  values: Float32Array,
): { y: Float32Array; argmax: Int32Array; dx: Float32Array } {
  setKernelBackend(backend);
  try {
    const layer = createLayer(spec, 0, shape.slice(1), new Rng(0));
    const y = layer.forward(tensor(shape, values), 'train');
    const dx = layer.backward(
      tensor(
        y.shape,
        Float32Array.from(y.data, (_, i) => i + 1),
      ),
      true,
    );
    if (dx === null) throw new Error('no input gradient');
    return { y: y.data.slice(), argmax: (layer as MaxPool2d).argmax.slice(0, y.data.length), dx: dx.data.slice() };
  } finally {
    setKernelBackend('auto');
  }
}
