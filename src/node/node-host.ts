/** The Node side of a session host, shared by the engine utility process and the CLI. */
import { availableParallelism, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { FileSource } from '../engine/data/source/files';
import type { SessionHost } from '../engine/session/host';
import { DEFAULT_MEMORY_LIMIT_BYTES } from '../engine/session/memory-limit';
import { createNodeFileSource } from './node-files';
import { defaultNodeKernelThreads, startNodeKernelThread } from './node-kernel-threads';
import { nodeGpuHost } from './webgpu-host';

/** `files`: where data comes from; unrestricted by default (the CLI runs in the user's own shell). */
export function nodeSessionHost(
  post: SessionHost['post'],
  resourcesDir: string,
  files: FileSource = createNodeFileSource(),
): SessionHost {
  return {
    post,
    files,
    resourcesDir,
    // setImmediate runs after pending I/O callbacks, which is where port messages (pause, stop) arrive.
    yieldToMessages: () => new Promise((resolve) => setImmediate(resolve)),
    now: () => performance.now(),
    // Half the machine's memory, at most the engine's default: the system, the window and the file cache need
    // the rest, and a run that swaps is worse than one refused with the numbers.
    memoryLimitBytes: Math.min(totalmem() / 2, DEFAULT_MEMORY_LIMIT_BYTES),
    kernelThreads: {
      start: startNodeKernelThread,
      defaultCount: defaultNodeKernelThreads(),
      cores: availableParallelism(),
    },
    gpu: nodeGpuHost,
  };
}
