/**
 * The machine's WebAssembly GEMM peak as this benchmark measures it: our own wasm gemm on square float32 matrices
 * (sizes that stay in cache, the best case) on one thread, per second of CPU time so that other jobs on a shared
 * machine do not lower it, for each wasm build the host runs (plain SIMD; relaxed SIMD, whose multiply-adds are
 * fused). Other figures are reported as a share of the peak of the build the engine runs.
 */
import {
  instantiateWasmKernels,
  type WasmBuildName,
  wasmBuildSupported,
} from '../src/engine/kernels/wasm/wasm-kernels';
import { Rng } from '../src/engine/rng';

export interface GemmPeak {
  build: WasmBuildName;
  gflops: number;
  size: number;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

export function measureGemmPeak(build: WasmBuildName, seconds = 0.4): GemmPeak {
  const kernels = instantiateWasmKernels(build);
  if (kernels instanceof Error) {
    throw new Error(
      `the ${build} wasm kernels cannot run here (${kernels.message}), so there is no GEMM peak to measure`,
    );
  }
  let best: GemmPeak = { build, gflops: 0, size: 0 };
  for (const size of [128, 256, 384]) {
    const matrix = size * size;
    const pack = kernels.exports.packSize(size);
    kernels.reserve(3 * matrix + pack);
    const heap = kernels.heap;
    const base = kernels.scratchStart / 4;
    const rng = new Rng(3);
    for (let i = 0; i < 2 * matrix; i++) heap[base + i] = rng.nextFloat() - 0.5;
    const [a, b, c, p] = [0, matrix, 2 * matrix, 3 * matrix].map((offset) => (base + offset) * 4);
    const run = () => kernels.exports.gemm(size, size, size, a, size, 1, b, size, 1, c, size, 0, p);
    run();
    let reps = 0;
    const start = cpuSeconds();
    while (cpuSeconds() - start < seconds) {
      run();
      reps++;
    }
    const gflops = (2 * size ** 3 * reps) / (cpuSeconds() - start) / 1e9;
    if (gflops > best.gflops) best = { build, gflops, size };
  }
  return best;
}

/** The peak of every build this host runs, plain SIMD first. */
export function measureGemmPeaks(seconds?: number): GemmPeak[] {
  const builds: WasmBuildName[] = ['simd', 'relaxed-simd'];
  return builds.filter(wasmBuildSupported).map((build) => measureGemmPeak(build, seconds));
}
