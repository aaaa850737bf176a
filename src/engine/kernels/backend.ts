/**
 * Which kernels the layers run: the WebAssembly SIMD kernels when this host can instantiate them, else the
 * TypeScript ones, which stay the reference (tests compare the two) and the fallback. Both give the same
 * results within float32 rounding. `setKernelBackend` forces one (tests, benchmarks, a user setting).
 * The wasm kernels run on one thread until a host calls `setKernelThreads`; the thread count never changes
 * results (kernel-thread-pool.ts says why), only speed.
 * Of the two wasm builds the relaxed-SIMD one (fused multiply-adds) runs where the host validates it, the plain
 * SIMD one elsewhere; `setWasmBuild` forces one (tests compare them, the bench measures both GEMM peaks).
 */
import { type StartKernelThread, startThreadedKernels, type ThreadedKernels } from './wasm/threaded-kernels';
import {
  instantiateWasmKernels,
  preferredWasmBuild,
  type WasmBuildName,
  type WasmKernels,
  wasmBuildSupported,
} from './wasm/wasm-kernels';

export type KernelBackendName = 'wasm' | 'typescript';
export type KernelBackendChoice = KernelBackendName | 'auto';

let choice: KernelBackendChoice = 'auto';
let build: WasmBuildName | null = null;
const loaded = new Map<WasmBuildName, WasmKernels | Error>();
let threaded: ThreadedKernels | null = null;
/** setKernelThreads calls run one after another, so a later call always wins. */
let threadChange: Promise<unknown> = Promise.resolve();

function currentBuild(): WasmBuildName {
  build ??= preferredWasmBuild();
  return build;
}

function loadOnce(): WasmKernels | Error {
  const name = currentBuild();
  let kernels = loaded.get(name);
  if (kernels === undefined) {
    kernels = instantiateWasmKernels(name);
    loaded.set(name, kernels);
  }
  return kernels;
}

/**
 * Selects the wasm build ('auto': relaxed SIMD where the host supports it). Only on one thread: the kernel
 * threads run the build they started with. Throws when the host cannot run `next`.
 */
export function setWasmBuild(next: WasmBuildName | 'auto'): void {
  if (threaded !== null) throw new Error('choose the wasm build before starting kernel threads (set threads to 1)');
  const name = next === 'auto' ? preferredWasmBuild() : next;
  if (name === 'relaxed-simd' && !wasmBuildSupported(name)) {
    throw new Error('this host cannot run the relaxed-SIMD kernels (Node 20 needs --experimental-wasm-relaxed-simd)');
  }
  build = name;
}

/** The wasm build the kernels run (whether or not the TypeScript kernels are selected instead). */
export function activeWasmBuild(): WasmBuildName {
  return currentBuild();
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

/**
 * The wasm kernels when they are selected (or chosen automatically and available), else null for TypeScript.
 * Layers compare the result with the kernels they built their passes for: it changes when the thread count does.
 */
export function wasmKernels(): WasmKernels | null {
  if (choice === 'typescript') return null;
  const kernels = loadOnce();
  if (kernels instanceof Error) return null;
  return threaded?.kernels ?? kernels;
}

export function activeKernelBackend(): KernelBackendName {
  return wasmKernels() === null ? 'typescript' : 'wasm';
}

/** Threads the wasm kernels run on (1 when they run on the calling thread alone, also after a thread ended). */
export function kernelThreadCount(): number {
  const pool = threaded?.kernels.pool;
  return pool === undefined || pool.lost() !== null ? 1 : pool.size;
}

/**
 * Why the kernels fell back to the calling thread although threads were started (a kernel thread ended, e.g.
 * killed for memory), or null. Setting the thread count again starts fresh threads.
 */
export function lostKernelThreads(): string | null {
  return threaded?.kernels.pool.lost() ?? null;
}

/**
 * Runs the wasm kernels on `count` threads (the caller's included), starting count − 1 kernel threads with
 * `startThread`. Takes effect between two kernel calls, so it may be called while a run is training. Rejects,
 * leaving the previous threads in place, when the threads cannot start.
 */
export function setKernelThreads(count: number, startThread: StartKernelThread): Promise<number> {
  const change = threadChange.then(async () => {
    if (count === kernelThreadCount() && lostKernelThreads() === null) return count;
    const next = count > 1 ? await startThreadedKernels(count, startThread, currentBuild()) : null;
    threaded?.close();
    threaded = next;
    return kernelThreadCount();
  });
  threadChange = change.catch(() => {});
  return change;
}
