/**
 * Counts what a training step allocates: wasm memory growth and JS bytes per step across STEPS steps after
 * WARM_UP_STEPS. The JS bytes are the growth of the heap *and* of external memory, where V8 keeps the contents
 * of typed arrays (a `new Float32Array(n)` adds only ~100 bytes to heapUsed, its 4n bytes go to external), plus
 * what every collection in between freed of both (v8.GCProfiler), so garbage collected mid-run still counts
 * (checked: 82 KB and 4 MB typed arrays added per step were counted within 2%, with and without collections).
 */
import { GCProfiler, setFlagsFromString } from 'node:v8';
import { wasmKernels } from '../../src/engine/kernels/backend';

// V8 frees the contents of dead typed arrays after a collection has ended unless told to do it inside it; the
// count below reads what each collection freed, so it must see those frees
setFlagsFromString('--no-concurrent-array-buffer-sweeping');

export const WARM_UP_STEPS = 400;
export const STEPS = 200;

function inUse(statistics: { usedHeapSize: number; externalMemory: number }): number {
  return statistics.usedHeapSize + statistics.externalMemory;
}

export function measureSteps(step: () => void): { heapBytesPerStep: number; wasmGrowth: number } {
  const memory = wasmKernels()?.exports.memory;
  if (memory === undefined) throw new Error('the wasm kernels are not active');
  for (let i = 0; i < WARM_UP_STEPS; i++) step();
  const wasmBefore = memory.buffer.byteLength;
  const profiler = new GCProfiler();
  profiler.start();
  const before = process.memoryUsage();
  for (let i = 0; i < STEPS; i++) step();
  const after = process.memoryUsage();
  const collections = profiler.stop().statistics;
  // typed arrays keep their floats outside the JS heap (external memory), so both are counted
  const freed = collections.reduce(
    (sum, gc) => sum + inUse(gc.beforeGC.heapStatistics) - inUse(gc.afterGC.heapStatistics),
    0,
  );
  return {
    heapBytesPerStep: (after.heapUsed + after.external - before.heapUsed - before.external + freed) / STEPS,
    wasmGrowth: memory.buffer.byteLength - wasmBefore,
  };
}
