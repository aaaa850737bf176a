/**
 * What the Compute control offers and says, and the run bar's line on where a run trains, from the engine's
 * reports: its WebGPU adapter (gpu-adapters), its CPU threads (threads) and each run's `compute` event.
 */
import type { GpuAdaptersReport } from '../../engine/gpu/gpu-adapters';
import { SOFTWARE_GPU_LABEL } from '../../engine/gpu/gpu-host';
import type { ComputeReport } from '../../engine/gpu/gpu-session';
import type { KernelThreadsReport } from '../../engine/kernels/threads-report';
import type { DeviceChoice } from '../../engine/training-settings';

export interface ComputeOption {
  value: DeviceChoice;
  label: string;
  disabled: boolean;
}

export function threadCount(count: number): string {
  return `${count} ${count === 1 ? 'thread' : 'threads'}`;
}

/**
 * Auto, CPU (N threads), GPU (adapter name), or "software GPU (slow, for testing)" for SwiftShader and the like;
 * the GPU is disabled while unknown and when there is none.
 */
export function computeOptions(
  adapters: GpuAdaptersReport | null,
  threads: KernelThreadsReport | null,
): ComputeOption[] {
  const adapter = adapters?.adapters[0];
  const gpu =
    adapters === null
      ? { label: 'GPU (asking the engine…)', disabled: true }
      : adapter === undefined
        ? { label: 'GPU (none available)', disabled: true }
        : // the note under the control names a software adapter; the option stays short enough to read
          { label: adapter.software ? SOFTWARE_GPU_LABEL : `GPU (${adapter.name})`, disabled: false };
  return [
    { value: 'auto', label: 'Auto', disabled: false },
    { value: 'cpu', label: threads ? `CPU (${threadCount(threads.active)})` : 'CPU', disabled: false },
    { value: 'gpu', ...gpu },
  ];
}

/** The line under the control: what Auto does here, or why there is no GPU. */
export function computeNote(choice: DeviceChoice, adapters: GpuAdaptersReport | null): string {
  if (adapters === null) return 'Asking the engine which GPU it has…';
  const adapter = adapters.adapters[0];
  if (adapter === undefined) {
    const none = `No GPU: ${adapters.unavailableReason ?? 'the engine found none'}.`;
    return choice === 'gpu' ? `${none} Choose Auto or CPU to train.` : none;
  }
  if (adapter.software) {
    return choice === 'gpu'
      ? `${adapter.name} is a software GPU: correct, but slower than the CPU engine; for testing.`
      : `The only GPU is a software one (${adapter.name}): Auto trains on the CPU.`;
  }
  return choice === 'auto'
    ? `Auto trains on ${adapter.name} when the network is big enough to gain, on the CPU otherwise.`
    : `GPU: ${adapter.name}.`;
}

/** "GPU · name (software)" or "CPU · N threads", with why a run that could have used the GPU did not. */
export function computeLine(compute: ComputeReport, threads: KernelThreadsReport | null): string {
  if (compute.device === 'gpu') {
    const name = compute.gpu ? `${compute.gpu.name}${compute.gpu.software ? ' (software)' : ''}` : compute.adapter;
    return `GPU · ${name ?? 'WebGPU'}`;
  }
  const cpu = threads ? `CPU · ${threadCount(threads.active)}` : 'CPU';
  return compute.reason === null ? cpu : `${cpu} (not the GPU: ${compute.reason})`;
}
