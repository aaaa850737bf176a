/**
 * Kernel threads for the Node hosts (the Electron utility process and the CLI): worker threads running
 * kernelThreadMain from its source text, so no separate bundle entry has to be built and found at run time.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { kernelThreadMain } from '../engine/kernels/wasm/kernel-thread-main';
import type { StartKernelThread } from '../engine/kernels/wasm/threaded-kernels';

const THREAD_SOURCE = `const { workerData, parentPort } = require('node:worker_threads');
(${String(kernelThreadMain)})(workerData, () => parentPort.postMessage('ready'));`;

export const startNodeKernelThread: StartKernelThread = (init) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: init, name: `kernel thread ${init.index}` });
    // the threads never keep a process alive: the CLI exits when its work is done
    worker.unref();
    let ready = false;
    worker.once('message', () => {
      ready = true;
      resolve({ terminate: () => worker.terminate().then(() => {}) });
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!ready) reject(new Error(`kernel thread ${init.index} exited with code ${code} before it was ready`));
      else Atomics.store(new Int32Array(init.control), init.layout.lost, init.index);
    });
  });

/** All logical cores: the kernels scale to them, and the app keeps the window responsive by priority instead. */
export function defaultNodeKernelThreads(): number {
  return availableParallelism();
}
