/**
 * A training step on the wasm kernels allocates nothing once shapes are known: across 200 steps of workload A
 * (after warm-up) wasm memory does not grow at all, and the JS heap takes no more than an allowance per step for
 * what V8 itself keeps while it is still optimizing (feedback, code; ~0.6–3.5 KB per step on the development
 * machine depending on how far tier-up got), which is far below any activation a layer could allocate per step
 * (workload A's first convolution's output is 32 × 8 × 24 × 24 floats = 590 KB, its pooled one 147 KB).
 * Allocations are counted as heap growth plus what every collection in between freed (step-allocations.ts).
 */
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { engineTrainer } from '../../bench/systems/cnn-studio';
import { WORKLOAD_A } from '../../bench/workloads';
import { setKernelBackend, setKernelThreads } from '../../src/engine/kernels/backend';
import { startNodeKernelThread } from '../../src/node/node-kernel-threads';
import { measureSteps } from './step-allocations';

/** Bytes per step allowed for V8's own bookkeeping; a tensor allocated per step would exceed it many times. */
const ALLOWANCE_PER_STEP = 8192;

afterEach(async () => {
  setKernelBackend('auto');
  await setKernelThreads(1, startNodeKernelThread);
});

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
