/**
 * Kept against rebuilt im2col columns on workload A's two convolutions (1→8 5×5 at 28×28, 8→16 5×5 at 12×12), one
 * chunk of the data-parallel step (8 samples), one thread, the relaxed-SIMD build where the host runs it, in CPU
 * time: the forward pass writing its columns into the step's kept region (im2colForwardKeeping) or into a thread's
 * scratch (im2colForward), and the weight gradient reading the kept columns (im2colBackwardFilterKept) or building
 * them again (im2colBackwardFilter, as the layer path and layers over the budget do); the input gradient for scale.
 * The two ways alternate round after round and each reports its median round, so a busy shared machine slows both
 * alike. Run: node_modules/.bin/rolldown bench/conv-columns-micro.ts --file /tmp/conv-columns.mjs --platform node
 * --format esm && node --experimental-wasm-relaxed-simd /tmp/conv-columns.mjs
 */
import { ScratchLayout } from '../src/engine/kernels/wasm/scratch-layout';
import { instantiateWasmKernels, preferredWasmBuild, type WasmKernels } from '../src/engine/kernels/wasm/wasm-kernels';
import { Rng } from '../src/engine/rng';

const CHUNK = 8;
const SHAPES = [
  { name: 'A conv1 1→8 @28', channels: 1, filters: 8, size: 28, kernel: 5 },
  { name: 'A conv2 8→16 @12', channels: 8, filters: 16, size: 12, kernel: 5 },
];

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** The passes of one shape on its own operands, each way. */
function passes(kernels: WasmKernels, s: (typeof SHAPES)[number]): Record<string, () => void> {
  const e = kernels.exports;
  const out = s.size - s.kernel + 1;
  const patch = s.channels * s.kernel * s.kernel;
  const plane = out * out;
  const r = new ScratchLayout(kernels, () => ({
    shape: 9,
    x: CHUNK * s.channels * s.size * s.size,
    weight: s.filters * patch,
    bias: s.filters,
    y: CHUNK * s.filters * plane,
    dy: CHUNK * s.filters * plane,
    dx: CHUNK * s.channels * s.size * s.size,
    dWeight: s.filters * patch,
    dBias: s.filters,
    dWeightT: s.filters * patch,
    cols: e.conv2dScratchFloats(s.channels, s.size, s.size, s.filters, s.kernel, 1, 0, CHUNK),
    kept: CHUNK * e.conv2dColumnsFloats(s.channels, s.size, s.size, s.kernel, 1, 0),
    pack: e.packSize(Math.max(plane, s.filters)),
  })).regions(CHUNK);
  const rng = new Rng(5);
  for (const name of ['x', 'weight', 'bias', 'dy'] as const) {
    const view = r[name].view;
    for (let i = 0; i < view.length; i++) view[i] = rng.nextFloat() - 0.5;
  }
  r.shape.ints.set([s.channels, s.size, s.size, s.filters, s.kernel, 1, 0, out, out]);
  const forward = [r.shape.address, CHUNK, r.x.address, r.weight.address, r.bias.address, r.y.address] as const;
  const gradients = [r.dWeight.address, r.dBias.address, r.dWeightT.address] as const;
  const dy = r.dy.address;
  return {
    'forward, kept': () => e.im2colForwardKeeping(...forward, r.kept.address, r.pack.address),
    'forward, scratch': () => e.im2colForward(...forward, r.cols.address, r.pack.address),
    'weight gradient, kept': () =>
      e.im2colBackwardFilterKept(
        r.shape.address,
        CHUNK,
        r.kept.address,
        dy,
        ...gradients,
        r.cols.address,
        r.pack.address,
        0,
        patch,
        0,
        s.filters,
      ),
    'weight gradient, rebuilt': () =>
      e.im2colBackwardFilter(
        r.shape.address,
        CHUNK,
        r.x.address,
        dy,
        ...gradients,
        r.cols.address,
        r.pack.address,
        0,
        patch,
        0,
        s.filters,
      ),
    'input gradient, im2col': () =>
      e.im2colBackwardData(r.shape.address, CHUNK, dy, r.weight.address, r.dx.address, r.cols.address, r.pack.address),
    ...(out % 8 === 0
      ? {
          'input gradient, direct': () =>
            e.transposedBackwardData(r.shape.address, CHUNK, dy, r.weight.address, r.dx.address),
        }
      : {}),
  };
}

function main(rounds = 21, reps = 200): void {
  const build = preferredWasmBuild();
  const kernels = instantiateWasmKernels(build);
  if (kernels instanceof Error) throw kernels;
  for (const shape of SHAPES) {
    const runs = passes(kernels, shape);
    const times: Record<string, number[]> = {};
    for (let round = -1; round < rounds; round++) {
      for (const [name, run] of Object.entries(runs)) {
        const start = cpuMs();
        for (let i = 0; i < reps; i++) run();
        // round −1 warms V8's optimizing tier up
        if (round >= 0) (times[name] ??= []).push(((cpuMs() - start) / reps) * 1000);
      }
    }
    for (const [name, values] of Object.entries(times)) {
      console.log(
        `${build} ${shape.name.padEnd(18)} ${name.padEnd(26)} ${median(values).toFixed(1).padStart(7)} µs/chunk`,
      );
    }
  }
}

main();
