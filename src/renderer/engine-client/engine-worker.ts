/// <reference lib="webworker" />
/** Web Worker host of the engine session (used when the renderer runs as a plain web page). */
import { EngineSession } from '../../engine/session/session';
import { fetchFileSource } from './fetch-files';
import { webGpuHost } from './web-gpu-host';
import { webKernelThreads } from './web-kernel-threads';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** A macrotask hop through a MessageChannel: unlike setTimeout(0) it is not clamped to 4 ms. */
const hop = new MessageChannel();
const waiting: (() => void)[] = [];
hop.port1.onmessage = () => waiting.shift()?.();

const resourcesDir = new URL('./resources', scope.location.href.replace(/assets\/[^/]*$/, '')).href;
const session = new EngineSession({
  post: (event, transfer) => scope.postMessage(event, transfer ?? []),
  files: fetchFileSource(resourcesDir),
  resourcesDir,
  yieldToMessages: () =>
    new Promise((resolve) => {
      waiting.push(resolve);
      hop.port2.postMessage(null);
    }),
  now: () => performance.now(),
  kernelThreads: webKernelThreads(),
  gpu: async () => webGpuHost(scope),
});

/**
 * The lock named after this worker, held until the worker ends: the page queues for it to learn that the worker
 * is gone (worker-client.ts). No message is handled before it is held, so the page's first answer proves it.
 */
const lockHeld = new Promise<void>((held) => {
  void navigator.locks.request(scope.name, () => {
    held();
    return new Promise<never>(() => {});
  });
});
// Each message waits on the same settled promise, so they are still handled in arrival order.
scope.onmessage = (message: MessageEvent<unknown>) => void lockHeld.then(() => session.handle(message.data));
