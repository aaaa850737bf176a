/**
 * A focused micro-benchmark for the costs the full bench's profile points at: per-layer CPU-ms of workloads A
 * and B (forward and backward, one thread), im2col + gemm against Winograd on the 3×3 stride-1 convolutions
 * (bench/conv-paths-micro.ts) and the time to parse Fashion-MNIST, quicker to iterate on than `npm run bench`.
 * Build and run: `npx vite build --ssr bench/micro.ts --outDir out/bench-micro` then `node out/bench-micro/micro.js`.
 * Options: --steps N (default 20), --no-fashion, --conv-only (just the convolution paths).
 */
import './relaxed-simd';
import { resolveSource } from '../src/engine/data/source/resolve';
import { createNodeFileSource } from '../src/node/node-files';
import { formatConvPathTiming, measureConvPathsAllBuilds } from './conv-paths-micro';
import { FASHION_MNIST_DIR, fashionMnistAvailable } from './fashion-mnist';
import { profileLayers } from './profile';
import { WORKLOAD_A, WORKLOAD_B } from './workloads';

const args = process.argv.slice(2);
const steps = args.includes('--steps') ? Number(args[args.indexOf('--steps') + 1]) : 20;

for (const timing of measureConvPathsAllBuilds()) console.log(formatConvPathTiming(timing));
if (args.includes('--conv-only')) process.exit(0);

for (const workload of [WORKLOAD_A, WORKLOAD_B]) {
  const layers = profileLayers(workload, steps);
  let total = 0;
  for (const layer of layers) {
    total += layer.forwardMs + layer.backwardMs;
    console.log(
      `${workload.name} ${String(layer.index).padStart(2)} ${layer.type.padEnd(9)} fwd ${layer.forwardMs.toFixed(2).padStart(6)} ms  bwd ${layer.backwardMs.toFixed(2).padStart(6)} ms`,
    );
  }
  console.log(`${workload.name} total ${total.toFixed(1)} CPU-ms per step`);
}

if (!args.includes('--no-fashion') && fashionMnistAvailable()) {
  const source = createNodeFileSource();
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    await resolveSource(FASHION_MNIST_DIR, source);
    console.log(`Fashion-MNIST parse: ${((performance.now() - start) / 1000).toFixed(3)} s`);
  }
}
