/**
 * The optimizers on the wasm kernels allocate nothing per step either: workload A trained with SGD (momentum,
 * nesterov, weight decay), Adam and AdamW for 200 steps after warm-up grows no wasm memory and no JS heap beyond
 * V8's bookkeeping allowance, on 1 and 2 threads (the plain-SGD step alone: no-allocation.test.ts). The whole
 * Trainer.step the app runs is measured too: it hands a StepReport with per-layer statistics to its listeners at
 * every step, a few hundred bytes by design, and nothing of a tensor's size.
 */
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { WORKLOAD_A } from '../../bench/workloads';
import type { Dataset } from '../../src/engine/data/dataset';
import { setKernelBackend, setKernelThreads } from '../../src/engine/kernels/backend';
import { buildNetwork } from '../../src/engine/network';
import { createOptimizer } from '../../src/engine/optim/create-optimizer';
import type { OptimizerConfig } from '../../src/engine/optim/optimizer';
import { Rng } from '../../src/engine/rng';
import { tensor } from '../../src/engine/tensor';
import { trainBatch } from '../../src/engine/trainer/train-batch';
import { Trainer } from '../../src/engine/trainer/trainer';
import { startNodeKernelThread } from '../../src/node/node-kernel-threads';
import { measureSteps } from './step-allocations';

/** Bytes per step allowed for V8's own bookkeeping; workload A's smallest parameter copy (650 floats) is 2.6 KB. */
const ALLOWANCE_PER_STEP = 8192;
/** Trainer.step's report: a StepReport and one statistics object per layer, well under a kilobyte per layer. */
const REPORT_ALLOWANCE_PER_STEP = ALLOWANCE_PER_STEP + 1024 * WORKLOAD_A.spec.layers.length;

const OPTIMIZERS: OptimizerConfig[] = [
  { type: 'sgd', lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
  { type: 'adam', lr: 1e-3, weightDecay: 1e-4 },
  { type: 'adamw', lr: 1e-3 },
];
const THREADS = [1, Math.min(2, availableParallelism())];

afterEach(async () => {
  setKernelBackend('auto');
  await setKernelThreads(1, startNodeKernelThread);
});

/** 20 batches of workload A's shape, random pixels and labels. */
function randomDataset(): Dataset {
  const rng = new Rng(3);
  const { channels, height, width } = WORKLOAD_A.spec.input;
  const count = 20 * WORKLOAD_A.batch;
  const pixels = new Uint8Array(count * channels * height * width);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.nextInt(256);
  const labels = Int32Array.from({ length: count }, () => rng.nextInt(10));
  const classNames = Array.from({ length: 10 }, (_, i) => String(i));
  return { count, shape: { channels, height, width }, pixels, labels, classNames };
}

describe('optimizer steps on the wasm kernels allocate nothing', () => {
  it('the count sees a typed array allocated per step (it lives outside the JS heap)', async () => {
    setKernelBackend('wasm');
    let kept = new Float32Array(0);
    const { heapBytesPerStep } = measureSteps(() => {
      kept = new Float32Array(16_384);
      kept[0] = 1;
    });
    expect(kept[0]).toBe(1);
    expect(heapBytesPerStep).toBeGreaterThan(8 * ALLOWANCE_PER_STEP);
  });

  for (const threads of THREADS) {
    it.each(OPTIMIZERS.map((config) => [config.type, config] as const))(
      `%s on ${threads} thread(s): no wasm memory growth, no JS heap growth beyond V8 bookkeeping`,
      async (_type, config) => {
        await setKernelThreads(threads, startNodeKernelThread);
        setKernelBackend('wasm');
        const network = buildNetwork(WORKLOAD_A.spec, new Rng(1));
        const optimizer = createOptimizer(network.params, config);
        const data = randomDataset();
        const x = tensor([WORKLOAD_A.batch, 1, 28, 28], Float32Array.from(data.pixels.subarray(0, 32 * 784)));
        const labels = data.labels.subarray(0, WORKLOAD_A.batch);
        const { heapBytesPerStep, wasmGrowth } = measureSteps(() => {
          trainBatch(network, x, labels);
          optimizer.step();
        });
        console.log(`${config.type}, ${threads} thread(s): ${heapBytesPerStep.toFixed(0)} bytes of JS heap per step`);
        expect(wasmGrowth).toBe(0);
        expect(heapBytesPerStep).toBeLessThan(ALLOWANCE_PER_STEP);
      },
    );
  }

  it('Trainer.step (Adam, 2 threads where there are 2 cores): no wasm growth, only its step report on the heap', async () => {
    await setKernelThreads(THREADS[1], startNodeKernelThread);
    setKernelBackend('wasm');
    const network = buildNetwork(WORKLOAD_A.spec, new Rng(1));
    const trainer = new Trainer(
      network,
      { train: randomDataset() },
      {
        epochs: 1_000,
        batchSize: WORKLOAD_A.batch,
        optimizer: OPTIMIZERS[1],
      },
    );
    const { heapBytesPerStep, wasmGrowth } = measureSteps(() => trainer.step());
    console.log(`Trainer.step: ${heapBytesPerStep.toFixed(0)} bytes of JS heap per step`);
    expect(wasmGrowth).toBe(0);
    expect(heapBytesPerStep).toBeLessThan(REPORT_ALLOWANCE_PER_STEP);
  });
});
