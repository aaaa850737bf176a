/**
 * The machine's WebAssembly SIMD GEMM peak as this benchmark measures it: our own wasm gemm on square
 * float32 matrices (sizes that stay in cache, the best case) on one thread, per second of CPU time so that other
 * jobs on a shared machine do not lower it. Other figures are reported as a share of it.
 */
import { wasmKernels } from '../src/engine/kernels/backend';
import { Rng } from '../src/engine/rng';

export interface GemmPeak {
  gflops: number;
  size: number;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

export function measureGemmPeak(seconds = 0.4): GemmPeak {
  const kernels = wasmKernels();
  if (kernels === null) throw new Error('the wasm kernels cannot run here, so there is no wasm GEMM peak to measure');
  let best: GemmPeak = { gflops: 0, size: 0 };
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
    if (gflops > best.gflops) best = { gflops, size };
  }
  return best;
}
