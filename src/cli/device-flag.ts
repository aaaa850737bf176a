/** `--device auto|cpu|gpu` of `train` and `eval`: where the engine computes (see src/engine/gpu/gpu-session.ts). */
import type { ComputeReport, DeviceChoice } from '../engine/gpu/gpu-session';
import { CliInputError } from './cli-error';
import { optionalString, type ParsedFlags } from './options';

export const DEVICE_FLAG = { device: { type: 'string' } } as const;

export const DEVICE_FLAG_HELP = `  --device WHERE       auto (default: a hardware GPU when there is one and the network is big
                       enough to gain, else the CPU), cpu, or gpu (WebGPU; a software adapter
                       such as SwiftShader works but is slow)`;

export function deviceFrom(flags: ParsedFlags, command: string): DeviceChoice {
  const device = optionalString(flags, 'device') ?? 'auto';
  if (device !== 'auto' && device !== 'cpu' && device !== 'gpu') {
    throw new CliInputError(`${command}: --device must be auto, cpu or gpu, got "${device}"`);
  }
  return device;
}

/** One line for the terminal saying where the work runs. */
export function describeCompute(compute: ComputeReport): string {
  if (compute.device === 'gpu') return `on the GPU: ${compute.adapter}`;
  return compute.reason ? `on the CPU (${compute.reason})` : 'on the CPU';
}
