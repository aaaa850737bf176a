/**
 * What a host (Electron utility process, Web Worker, CLI) gives the engine session: how events leave, where
 * files come from, and how the training loop lets incoming messages in between batches.
 */
import type { FileSource } from '../data/source/files';
import type { GpuHost } from '../gpu/gpu-host';
import type { StartKernelThread } from '../kernels/wasm/threaded-kernels';
import type { EngineEvent } from '../protocol';

export interface SessionHost {
  post(event: EngineEvent, transfer?: ArrayBuffer[]): void;
  /** Reads the paths named in SOURCE strings (in the web build: only the app's own resources, over fetch). */
  files: FileSource;
  /** Folder holding the builtin datasets (mnist/images.idx.gz, mnist/labels.idx.gz). */
  resourcesDir: string;
  /** Resolves after pending messages (pause, stop, …) have been delivered: setImmediate in Node, a MessageChannel hop in a Worker. */
  yieldToMessages(): Promise<void>;
  /** Milliseconds, monotonic. */
  now(): number;
  /** Training and data loading that would need more are refused up front; default DEFAULT_MEMORY_LIMIT_BYTES. */
  memoryLimitBytes?: number;
  /** How this host runs kernel threads; absent where it cannot (the kernels then stay on one thread). */
  kernelThreads?: KernelThreadHost;
  /** Loads this host's WebGPU on first use (only a run that may train on the GPU asks); absent where there is none. */
  gpu?: () => Promise<GpuHost>;
}

export interface KernelThreadHost {
  start: StartKernelThread;
  /** Threads used when the user has not chosen a count. */
  defaultCount: number;
  /** Logical cores of the machine. */
  cores: number;
}
