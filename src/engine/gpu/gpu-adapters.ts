/**
 * What the Training panel's Compute choice offers: the adapter a run asking for the GPU would train on (the one
 * openGpu takes, so the list never promises an adapter a run cannot get), or why there is none. Asking for an
 * adapter opens no device, so listing costs next to nothing once the host's WebGPU is loaded.
 */
import { type GpuAdapterSummary, type GpuHost, summarizeAdapter } from './gpu-host';

export interface GpuAdaptersReport {
  /** Empty when there is none; a software adapter (SwiftShader, llvmpipe) is listed with software: true. */
  adapters: GpuAdapterSummary[];
  /** Why there is no adapter, in words for the user; null when there is one. */
  unavailableReason: string | null;
}

export async function listGpuAdapters(load: (() => Promise<GpuHost>) | undefined): Promise<GpuAdaptersReport> {
  const none = (reason: string): GpuAdaptersReport => ({ adapters: [], unavailableReason: reason });
  if (load === undefined) return none('this engine host does not provide WebGPU');
  let host: GpuHost;
  try {
    host = await load();
  } catch (error) {
    return none(`WebGPU could not load: ${describe(error)}`);
  }
  if (host.gpu === null) return none(host.unavailableReason ?? 'this engine host does not provide WebGPU');
  try {
    const adapter = await host.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter === null) {
      return none(
        'WebGPU found no adapter: no GPU driver it can use (on Linux: the Vulkan loader libvulkan1 and a driver), ' +
          'or a browser with WebGPU turned off',
      );
    }
    return { adapters: [summarizeAdapter(adapter)], unavailableReason: null };
  } catch (error) {
    return none(`requesting a WebGPU adapter failed: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
