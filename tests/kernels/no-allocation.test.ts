/**
 * A training step on the wasm kernels allocates nothing once shapes are known: across 200 steps of workload A
 * (after warm-up) wasm memory does not grow at all, and the JS heap takes no more than an allowance per step for
 * what V8 itself keeps while it is still optimizing (feedback, code; ~0.6–3.5 KB per step on the development
 * machine depending on how far tier-up got), which is far below any activation a layer could allocate per step
 * (workload A's first convolution's output is 32 × 8 × 24 × 24 floats = 590 KB, its pooled one 147 KB).
 * Allocations are counted as heap growth plus what every collection in between freed (v8.GCProfiler).
 */
import { availableParallelism } from 'node:os';
import { GCProfiler } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { engineTrainer } from '../../bench/systems/cnn-studio';
import { WORKLOAD_A } from '../../bench/workloads';
import { setKernelBackend, setKernelThreads, wasmKernels } from '../../src/engine/kernels/backend';
import { startNodeKernelThread } from '../../src/node/node-kernel-threads';

const WARM_UP_STEPS = 400;
const STEPS = 200;
/** Bytes per step allowed for V8's own bookkeeping; a tensor allocated per step would exceed it many times. */
const ALLOWANCE_PER_STEP = 8192;

afterEach(async () => {
  setKernelBackend('auto');
  await setKernelThreads(1, startNodeKernelThread);
});

function measureSteps(step: () => void): { heapBytesPerStep: number; wasmGrowth: number } {
  const memory = wasmKernels()?.exports.memory;
  if (memory === undefined) throw new Error('the wasm kernels are not active');
  for (let i = 0; i < WARM_UP_STEPS; i++) step();
  const wasmBefore = memory.buffer.byteLength;
  const profiler = new GCProfiler();
  profiler.start();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < STEPS; i++) step();
  const heapAfter = process.memoryUsage().heapUsed;
  const collections = profiler.stop().statistics;
  const freed = collections.reduce(
    (sum, gc) => sum + gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize,
    0,
  );
  return {
    heapBytesPerStep: (heapAfter - heapBefore + freed) / STEPS,
    wasmGrowth: memory.buffer.byteLength - wasmBefore,
  };
}

describe('a training step allocates nothing', () => {
  it.each([1, Math.min(2, availableParallelism())])(
    'on %i thread(s): no wasm memory growth, no JS heap growth beyond V8 bookkeeping',
    async (threads) => {
      await setKernelThreads(threads, startNodeKernelThread);
      const trainer = engineTrainer(WORKLOAD_A, 'wasm');
      const { heapBytesPerStep, wasmGrowth } = measureSteps(trainer.step);
      console.log(`workload A, ${threads} thread(s): ${heapBytesPerStep.toFixed(0)} bytes of JS heap per step`);
      expect(wasmGrowth).toBe(0);
      expect(heapBytesPerStep).toBeLessThan(ALLOWANCE_PER_STEP);
    },
  );
});
