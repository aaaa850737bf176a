/**
 * A kernel thread that dies in the middle of a kernel, for the tests of kernel-thread-pool.ts: a Node worker
 * running kernelThreadMain whose `kernel` export, the first time it runs, computes only the first half of its
 * share (adding into the outputs, for the weight-gradient kernels; updating half its parameters in place, for the
 * optimizer) and then ends the thread, as a thread killed
 * for memory would, without reporting anything.
 */
import { Worker } from 'node:worker_threads';
import { kernelThreadMain } from '../../src/engine/kernels/wasm/kernel-thread-main';
import type { PooledKernel } from '../../src/engine/kernels/wasm/kernel-thread-pool';
import type { StartKernelThread } from '../../src/engine/kernels/wasm/threaded-kernels';

/**
 * Argument positions (after the kernel index) of the ranges halved: the row and filter ranges of the
 * weight-gradient kernels and the chunks of a training step.
 */
const HALVED_RANGES: Partial<Record<PooledKernel, number[]>> = {
  conv2dBackwardFilter: [9, 11],
  denseBackwardFilter: [8, 10],
  trainChunks: [2],
};

/** Argument positions of element counts halved: the optimizer updates, which work in place. */
const HALVED_COUNTS: Partial<Record<PooledKernel, number[]>> = { sgdUpdate: [0], adamUpdate: [0] };

const source = (kernel: PooledKernel) => `
const { workerData, parentPort } = require('node:worker_threads');
const Instance = WebAssembly.Instance;
const halved = ${JSON.stringify(HALVED_RANGES[kernel] ?? [])};
const halvedCounts = ${JSON.stringify(HALVED_COUNTS[kernel] ?? [])};
WebAssembly.Instance = function (module, imports) {
  const real = new Instance(module, imports).exports;
  const exports = { ...real };
  exports[${JSON.stringify(kernel)}] = (...args) => {
    for (const at of halved) args[at + 1] = args[at] + ((args[at + 1] - args[at]) >> 1);
    for (const at of halvedCounts) args[at] >>= 1;
    real[${JSON.stringify(kernel)}](...args);
    process.exit(1);
  };
  return { exports };
};
(${String(kernelThreadMain)})(workerData, () => parentPort.postMessage('ready'));`;

/** Starts kernel threads that work normally, except thread `index`, which dies in the middle of `kernel`. */
export function startThreadDyingIn(
  index: number,
  kernel: PooledKernel,
  startNormal: StartKernelThread,
): StartKernelThread {
  return (init) => {
    if (init.index !== index) return startNormal(init);
    return new Promise((resolve, reject) => {
      const worker = new Worker(source(kernel), { eval: true, workerData: init });
      worker.unref();
      worker.once('message', () => resolve({ terminate: () => worker.terminate().then(() => {}) }));
      worker.once('error', reject);
    });
  };
}
