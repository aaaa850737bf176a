/**
 * im2col + gemm against Winograd F(2×2, 3×3) on the 3×3 stride-1 convolutions of workload B and the Small ResNet
 * template (at Fashion-MNIST's 28×28), forward, input gradient and weight gradient, one chunk of the data-parallel step (8 samples),
 * one thread, each wasm build, in CPU time. The two paths alternate round after round and each reports its median
 * round, so a busy shared machine slows both alike. assembly/conv2d.ts chooses Winograd for the shape classes where it won here.
 */

import {
  instantiateWasmKernels,
  type WasmBuildName,
  wasmBuildSupported,
} from '../src/engine/kernels/wasm/wasm-kernels';
import { Rng } from '../src/engine/rng';
import { type ConvPath, ConvPaths, type ConvShape } from './conv-paths';

const CHUNK = 8;

export const CONV_SHAPES: readonly { name: string; shape: ConvShape }[] = [
  { name: 'B conv1 1→32 @28', shape: { channels: 1, filters: 32, height: 28, width: 28, pad: 1, batch: CHUNK } },
  { name: 'B conv2 32→64 @14', shape: { channels: 32, filters: 64, height: 14, width: 14, pad: 1, batch: CHUNK } },
  { name: 'ResNet stem 1→16 @28', shape: { channels: 1, filters: 16, height: 28, width: 28, pad: 1, batch: CHUNK } },
  { name: 'ResNet 16→16 @28', shape: { channels: 16, filters: 16, height: 28, width: 28, pad: 1, batch: CHUNK } },
  { name: 'ResNet 32→32 @14', shape: { channels: 32, filters: 32, height: 14, width: 14, pad: 1, batch: CHUNK } },
  { name: 'ResNet 64→64 @7', shape: { channels: 64, filters: 64, height: 7, width: 7, pad: 1, batch: CHUNK } },
];

export interface ConvPathTiming {
  build: WasmBuildName;
  name: string;
  pass: 'forward' | 'backward data' | 'backward filter';
  im2colMs: number;
  winogradMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function randomArray(size: number, rng: Rng): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.nextFloat() - 0.5;
  return values;
}

/** CPU time of this process in ms: a shared machine's waits for a core are not counted. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Median CPU-ms per call of each path over `rounds` alternating rounds of `reps` calls. */
function timePaths(run: (path: ConvPath) => void, rounds: number, reps: number): Record<ConvPath, number> {
  const times: Record<ConvPath, number[]> = { im2col: [], winograd: [] };
  for (let round = 0; round < rounds; round++) {
    for (const path of ['im2col', 'winograd'] as const) {
      const start = cpuMs();
      for (let i = 0; i < reps; i++) run(path);
      times[path].push((cpuMs() - start) / reps);
    }
  }
  return { im2col: median(times.im2col), winograd: median(times.winograd) };
}

export function measureConvPaths(build: WasmBuildName, rounds = 21, reps = 10): ConvPathTiming[] {
  const kernels = instantiateWasmKernels(build);
  if (kernels instanceof Error) throw new Error(`the ${build} wasm kernels cannot run here (${kernels.message})`);
  const timings: ConvPathTiming[] = [];
  for (const { name, shape } of CONV_SHAPES) {
    const paths = new ConvPaths(kernels, shape);
    const rng = new Rng(5);
    const outSize = shape.batch * shape.filters * paths.outHeight * paths.outWidth;
    paths.load(
      randomArray(shape.batch * shape.channels * shape.height * shape.width, rng),
      randomArray(shape.filters * shape.channels * 9, rng),
      randomArray(shape.filters, rng),
      randomArray(outSize, rng),
    );
    // warm up both paths so that V8's optimizing tier runs every round
    for (let i = 0; i < 5; i++) for (const path of ['im2col', 'winograd'] as const) paths.forward(path);
    for (let i = 0; i < 5; i++) for (const path of ['im2col', 'winograd'] as const) paths.backwardData(path);
    for (let i = 0; i < 5; i++) for (const path of ['im2col', 'winograd'] as const) paths.backwardFilter(path);
    const forward = timePaths((path) => paths.forward(path), rounds, reps);
    timings.push({ build, name, pass: 'forward', im2colMs: forward.im2col, winogradMs: forward.winograd });
    const backward = timePaths((path) => paths.backwardData(path), rounds, reps);
    timings.push({ build, name, pass: 'backward data', im2colMs: backward.im2col, winogradMs: backward.winograd });
    const filter = timePaths((path) => paths.backwardFilter(path), rounds, reps);
    timings.push({ build, name, pass: 'backward filter', im2colMs: filter.im2col, winogradMs: filter.winograd });
  }
  return timings;
}

/** Both builds this host runs, plain SIMD first. */
export function measureConvPathsAllBuilds(rounds?: number, reps?: number): ConvPathTiming[] {
  const builds: WasmBuildName[] = ['simd', 'relaxed-simd'];
  return builds.filter(wasmBuildSupported).flatMap((build) => measureConvPaths(build, rounds, reps));
}

export function formatConvPathTiming(t: ConvPathTiming): string {
  const ratio = t.im2colMs / t.winogradMs;
  return `conv ${t.build.padEnd(12)} ${t.name.padEnd(22)} ${t.pass.padEnd(15)} im2col ${t.im2colMs.toFixed(3).padStart(7)} ms  winograd ${t.winogradMs.toFixed(3).padStart(7)} ms  speed-up ${ratio.toFixed(2)}×`;
}
