/**
 * Which code updates the parameters: the wasm kernel (kernels/wasm/optimizer-wasm.ts) while the wasm kernels are
 * active, else the TypeScript loops in sgd.ts and adam.ts, which stay the reference and the fallback. Both give
 * bit-identical results, so switching kernels mid-run changes nothing but speed.
 */
import { wasmKernels } from '../kernels/backend';
import { OptimizerWasm } from '../kernels/wasm/optimizer-wasm';
import type { Param } from '../params';

/** The wasm update for `params` on the active kernels (`current` while they are the same ones), or null. */
export function activeWasmUpdate(
  current: OptimizerWasm | null,
  params: readonly Param[],
  stateBuffers: 0 | 1 | 2,
): OptimizerWasm | null {
  const kernels = wasmKernels();
  if (kernels === null) return null;
  return current?.kernels === kernels ? current : new OptimizerWasm(kernels, params, stateBuffers);
}
