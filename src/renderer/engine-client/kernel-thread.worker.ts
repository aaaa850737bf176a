/// <reference lib="webworker" />
/** A kernel thread of the web build: started by the engine worker, runs kernelThreadMain on its init message. */
import { type KernelThreadInit, kernelThreadMain } from '../../engine/kernels/wasm/kernel-thread-main';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (message: MessageEvent<KernelThreadInit>) =>
  kernelThreadMain(message.data, () => scope.postMessage('ready'));
