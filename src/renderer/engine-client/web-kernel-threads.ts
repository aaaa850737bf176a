/// <reference lib="webworker" />
/**
 * Kernel threads of the web build: nested Web Workers of the engine worker. They need shared memory, which a
 * browser grants only to a cross-origin isolated page (vite.web.config.ts sends the two headers); elsewhere the
 * session reports why the kernels stay on one thread.
 */
import type { KernelThreadHost } from '../../engine/session/host';

export function webKernelThreads(): KernelThreadHost {
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  return {
    start: (init) =>
      new Promise((resolve, reject) => {
        const worker = new Worker(new URL('./kernel-thread.worker.ts', import.meta.url), {
          type: 'module',
          name: `kernel thread ${init.index}`,
        });
        worker.onmessage = () =>
          resolve({
            terminate: async () => worker.terminate(),
          });
        worker.onerror = (event) => reject(new Error(event.message || 'the kernel thread could not start'));
        worker.postMessage(init);
      }),
    // the page's own thread is idle while the engine trains, so every core goes to the kernels
    defaultCount: cores,
    cores,
  };
}
