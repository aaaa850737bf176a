/**
 * How a host hands WebGPU to the engine, like the kernel-thread host: the Web Worker passes `navigator.gpu`, Node
 * (utility process, CLI, tests) passes the `webgpu` package's `create([])` result, which the host keeps referenced
 * for the life of the process (Dawn aborts when it is collected). The engine never imports either.
 */

export interface GpuHost {
  /** The WebGPU entry point, or null when this host has none (then `unavailableReason` says why). */
  gpu: GPU | null;
  unavailableReason?: string;
}

/** What the user is shown about an adapter, and what Auto decides on. */
export interface GpuAdapterSummary {
  /** e.g. "NVIDIA H100", "google swiftshader (SwiftShader driver 5.0.0)". */
  name: string;
  /** A CPU implementation of WebGPU (SwiftShader, llvmpipe, WARP): correct, slow, never picked by Auto. */
  software: boolean;
  /** The name as the UI and the CLI show it: software adapters say so. */
  label: string;
}

export const SOFTWARE_GPU_LABEL = 'software GPU (slow, for testing)';

/** A device ready for training, with what it runs on. */
export interface OpenedGpu {
  device: GPUDevice;
  adapter: GpuAdapterSummary;
}

/** No usable adapter or device; the message says why and what to do. */
export class GpuUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuUnavailableError';
  }
}

/** Older adapters carry isFallbackAdapter on the adapter, newer ones on its info; Dawn also reports a CPU type. */
interface AdapterFlags {
  isFallbackAdapter?: boolean;
  info?: GPUAdapterInfo & { isFallbackAdapter?: boolean; adapterType?: string; type?: string };
}

const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|warp|microsoft basic render/i;

export function summarizeAdapter(adapter: GPUAdapter): GpuAdapterSummary {
  const flags = adapter as unknown as AdapterFlags;
  const info = flags.info;
  const parts = [info?.vendor, info?.architecture].filter((part): part is string => !!part);
  const description = info?.description ?? '';
  const base = parts.join(' ') || description || 'unnamed adapter';
  const name = description && parts.length > 0 ? `${base} (${description})` : base;
  const deviceType = (info?.adapterType ?? info?.type ?? '').toLowerCase();
  const software =
    flags.isFallbackAdapter === true ||
    info?.isFallbackAdapter === true ||
    deviceType === 'cpu' ||
    SOFTWARE_NAMES.test(`${name} ${info?.device ?? ''}`);
  return { name, software, label: software ? `${name}: ${SOFTWARE_GPU_LABEL}` : name };
}

/** The limits the kernels need beyond WebGPU's defaults: big storage buffers for activations and columns. */
function wantedLimits(adapter: GPUAdapter): Record<string, number> {
  return {
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
  };
}

/** Asks the host's GPU for a high-performance adapter and a device; throws GpuUnavailableError saying why not. */
export async function openGpu(host: GpuHost | undefined): Promise<OpenedGpu> {
  if (host === undefined || host.gpu === null) {
    throw new GpuUnavailableError(
      `no WebGPU here: ${host?.unavailableReason ?? 'this host does not provide WebGPU'}; train on the CPU instead`,
    );
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await host.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    throw new GpuUnavailableError(`requesting a WebGPU adapter failed: ${String(error)}; train on the CPU instead`);
  }
  if (adapter === null) {
    throw new GpuUnavailableError(
      'WebGPU found no adapter (no GPU driver it can use; on Linux install the Vulkan loader libvulkan1 and a ' +
        'Vulkan driver); train on the CPU instead',
    );
  }
  const summary = summarizeAdapter(adapter);
  try {
    const device = await adapter.requestDevice({ requiredLimits: wantedLimits(adapter) });
    return { device, adapter: summary };
  } catch (error) {
    throw new GpuUnavailableError(`the adapter ${summary.name} refused a device: ${String(error)}`);
  }
}
