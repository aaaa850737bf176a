/**
 * The session's choice of device for a run. 'cpu' and 'gpu' are taken as asked ('gpu' fails with the reason
 * when there is none); 'auto' takes a hardware GPU when the network is big enough for the GPU to gain, and
 * never a software adapter (SwiftShader, llvmpipe), which is slower than the CPU engine.
 */
import type { Network } from '../network';
import type { SpecReport } from '../spec/analyze';
import type { TrainConfig } from '../trainer/config';
import type { RunTrainer } from '../trainer/run-trainer';
import { type TrainData, Trainer } from '../trainer/trainer';
import { type GpuHost, type OpenedGpu, openGpu } from './gpu-host';
import { GpuTrainer } from './gpu-trainer';

export type DeviceChoice = 'auto' | 'cpu' | 'gpu';

/**
 * Forward FLOPs per step below which Auto stays on the CPU: launching a few dozen kernels costs tens of
 * microseconds per step on a GPU, about what the CPU engine needs for a step this small (decision; the bench
 * measures both).
 */
export const AUTO_GPU_MIN_FLOPS_PER_STEP = 20e6;

/** Where a run trains, as events and the CLI report it. */
export interface ComputeReport {
  device: 'cpu' | 'gpu';
  /** The adapter's label for GPU runs. */
  adapter: string | null;
  /** Why Auto or a GPU request ended on the CPU, when it did. */
  reason: string | null;
}

export class SessionGpu {
  private opened: Promise<OpenedGpu> | null = null;

  constructor(private readonly load: (() => Promise<GpuHost>) | undefined) {}

  /** The session's device, opened on first use and again after a loss. */
  async device(): Promise<OpenedGpu> {
    const current = this.opened ? await this.opened.catch(() => null) : null;
    if (current !== null && !lostDevices.has(current.device)) return current;
    const opening = (this.load ? this.load() : Promise.resolve(undefined)).then(openGpu);
    this.opened = opening;
    const gpu = await opening;
    void gpu.device.lost.then(() => lostDevices.add(gpu.device));
    return gpu;
  }

  /** A trainer on the device `choice` leads to, and where that is. */
  async trainer(
    choice: DeviceChoice,
    network: Network,
    data: TrainData,
    config: TrainConfig,
    analysis: SpecReport,
  ): Promise<{ trainer: RunTrainer; compute: ComputeReport }> {
    if (choice === 'cpu') return this.onCpu(network, data, config, null);
    // checked before WebGPU is even loaded: small networks never pay for starting it
    if (choice === 'auto' && (analysis.totalFlops ?? 0) * config.batchSize < AUTO_GPU_MIN_FLOPS_PER_STEP) {
      return this.onCpu(network, data, config, 'the network is too small for the GPU to be faster');
    }
    let gpu: OpenedGpu;
    try {
      gpu = await this.device();
    } catch (error) {
      if (choice === 'gpu') throw error;
      return this.onCpu(network, data, config, (error as Error).message);
    }
    if (choice === 'auto' && gpu.adapter.software) {
      return this.onCpu(network, data, config, `Auto never picks a ${gpu.adapter.label}`);
    }
    const trainer = await GpuTrainer.create(network, data, config, gpu.device);
    return { trainer, compute: { device: 'gpu', adapter: gpu.adapter.label, reason: null } };
  }

  private onCpu(network: Network, data: TrainData, config: TrainConfig, reason: string | null) {
    return {
      trainer: new Trainer(network, data, config),
      compute: { device: 'cpu', adapter: null, reason } as ComputeReport,
    };
  }
}

/** Devices whose `lost` promise has resolved: the next run opens a new one. */
const lostDevices = new WeakSet<GPUDevice>();
