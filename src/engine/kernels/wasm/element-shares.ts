/**
 * Runs an elementwise kernel `kernel(count, a0, a1, a2, a3)` over `count` floats split into ranges, one per
 * thread: each thread gets its count, and its first `moved` arguments (the array pointers) moved to its first
 * element; the others (e.g. the address of a slope) stay. Ranges start on whole SIMD vectors and every element
 * is computed on its own, so results are the same for any thread count.
 */
import { type KernelThreadPool, type PooledKernel, shareStart } from './kernel-thread-pool';

const VECTOR = 4;

export function runByElements(
  pool: KernelThreadPool,
  kernel: PooledKernel,
  count: number,
  moved: number,
  a0: number,
  a1: number,
  a2: number,
  a3 = 0,
): void {
  const threads = pool.threadsFor(count);
  for (let t = 0; t < threads; t++) {
    const start = shareStart(count, threads, t, VECTOR);
    const offset = start * 4;
    const length = shareStart(count, threads, t + 1, VECTOR) - start;
    pool.share(
      t,
      length,
      a0 + offset,
      a1 + (moved > 1 ? offset : 0),
      a2 + (moved > 2 ? offset : 0),
      a3 + (moved > 3 ? offset : 0),
    );
  }
  pool.run(kernel, threads);
}
