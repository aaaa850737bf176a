/**
 * WebGPU for the Node hosts (engine utility process, CLI, tests) through the npm package `webgpu` (Dawn). The
 * object `create([])` returns is kept in this module for the life of the process: Dawn aborts when it is
 * collected. Loading fails softly: a host without the package, its native file or a driver reports why.
 */
import type { GpuHost } from '../engine/gpu/gpu-host';

let host: Promise<GpuHost> | null = null;
/** Held for the process lifetime (see above). */
let keptAlive: GPU | null = null;

async function loadWebGpu(): Promise<GpuHost> {
  try {
    const { create } = (await import('webgpu')) as { create(options: string[]): GPU };
    keptAlive = create([]);
    return { gpu: keptAlive };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { gpu: null, unavailableReason: `the WebGPU module (npm package "webgpu") could not load: ${reason}` };
  }
}

/** The process's one WebGPU entry point, loaded on first use. */
export function nodeGpuHost(): Promise<GpuHost> {
  host ??= loadWebGpu();
  return host;
}
