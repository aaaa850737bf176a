/**
 * Which kernels the layers run: the WebAssembly SIMD kernels when this host can instantiate them, else the
 * TypeScript ones, which stay the reference (tests compare the two) and the fallback. Both give the same
 * results within float32 rounding. `setKernelBackend` forces one (tests, benchmarks, a user setting).
 */
import { instantiateWasmKernels, type WasmKernels } from './wasm/wasm-kernels';

export type KernelBackendName = 'wasm' | 'typescript';
export type KernelBackendChoice = KernelBackendName | 'auto';

let choice: KernelBackendChoice = 'auto';
let loaded: WasmKernels | Error | null = null;

function loadOnce(): WasmKernels | Error {
  loaded ??= instantiateWasmKernels();
  return loaded;
}

/** Selects the kernels for every layer's next forward/backward; 'wasm' throws when this host cannot run them. */
export function setKernelBackend(next: KernelBackendChoice): void {
  if (next === 'wasm') {
    const kernels = loadOnce();
    if (kernels instanceof Error) {
      throw new Error(`WebAssembly SIMD kernels cannot run here (${kernels.message}); use the TypeScript kernels`);
    }
  }
  choice = next;
}

/** The wasm kernels when they are selected (or chosen automatically and available), else null for TypeScript. */
export function wasmKernels(): WasmKernels | null {
  if (choice === 'typescript') return null;
  const kernels = loadOnce();
  return kernels instanceof Error ? null : kernels;
}

export function activeKernelBackend(): KernelBackendName {
  return wasmKernels() === null ? 'typescript' : 'wasm';
}
