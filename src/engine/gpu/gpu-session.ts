/**
 * The session's choice of device for a run. 'cpu' and 'gpu' are taken as asked ('gpu' fails with the reason
 * when there is none); 'auto' takes a hardware GPU when the network is big enough for the GPU to gain, and
 * never a software adapter (SwiftShader, llvmpipe), which is slower than the CPU engine.
 */
import type { Dataset, Normalization } from '../data/dataset';
import type { Network } from '../network';
import type { SpecReport } from '../spec/analyze';
import type { TrainConfig } from '../trainer/config';
import { DEFAULT_EVAL_BATCH_SIZE, type Evaluation, evaluate } from '../trainer/evaluate';
import type { TrainData } from '../trainer/run-plan';
import type { RunTrainer } from '../trainer/run-trainer';
import { Trainer } from '../trainer/trainer';
import { GpuBatchUploader } from './gpu-batches';
import { checkedGpu } from './gpu-context';
import { type GpuAdapterSummary, type GpuHost, type OpenedGpu, openGpu } from './gpu-host';
import { GpuNetwork } from './gpu-network';
import { gpuUnsupportedNetwork, gpuUnsupportedTraining } from './gpu-support';
import { GpuTrainer } from './gpu-trainer';
import { GpuValidation } from './gpu-validation';

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
  /** The adapter of a GPU run (its name and whether it is software), for the run bar. */
  gpu?: GpuAdapterSummary;
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
    const place = await this.place(
      choice,
      (analysis.totalFlops ?? 0) * config.batchSize,
      gpuUnsupportedTraining(network.spec, config),
    );
    if (place.gpu === null) return { trainer: new Trainer(network, data, config), compute: place.compute };
    return { trainer: await GpuTrainer.create(network, data, config, place.gpu.device), compute: place.compute };
  }

  /** Loss, accuracy and confusion of `network` on samples `indices` of `dataset`, where `choice` leads. */
  async evaluate(
    choice: DeviceChoice,
    network: Network,
    dataset: Dataset,
    indices: ArrayLike<number>,
    normalization: Normalization | undefined,
    analysis: SpecReport,
  ): Promise<{ evaluation: Evaluation; compute: ComputeReport }> {
    const batch = Math.max(1, Math.min(DEFAULT_EVAL_BATCH_SIZE, indices.length));
    const place = await this.place(choice, (analysis.totalFlops ?? 0) * batch, gpuUnsupportedNetwork(network.spec));
    if (place.gpu === null) {
      return { evaluation: evaluate(network, dataset, { indices, normalization }), compute: place.compute };
    }
    const device = place.gpu.device;
    const gpu = await checkedGpu(device, 'evaluation', () => new GpuNetwork(device, network, batch));
    try {
      gpu.setNormalization(normalization);
      const uploader = new GpuBatchUploader(gpu);
      const validation = await checkedGpu(device, 'evaluation', () => new GpuValidation(gpu, uploader, indices.length));
      const evaluation = await validation.evaluate(dataset, Int32Array.from(indices));
      return { evaluation, compute: place.compute };
    } finally {
      gpu.dispose();
    }
  }

  /**
   * The GPU to use for `flopsPerStep` of forward work, or null with the reason to stay on the CPU; `unsupported`
   * says why this work cannot run on the GPU yet (gpu-support.ts).
   */
  private async place(
    choice: DeviceChoice,
    flopsPerStep: number,
    unsupported: string | null,
  ): Promise<{ gpu: OpenedGpu | null; compute: ComputeReport }> {
    const cpu = (reason: string | null) => ({ gpu: null, compute: { device: 'cpu' as const, adapter: null, reason } });
    if (choice === 'cpu') return cpu(null);
    if (unsupported !== null) {
      if (choice === 'gpu') throw new Error(`cannot train on the GPU: ${unsupported}; choose CPU or Auto`);
      return cpu(unsupported);
    }
    // checked before WebGPU is even loaded: small networks never pay for starting it
    if (choice === 'auto' && flopsPerStep < AUTO_GPU_MIN_FLOPS_PER_STEP) {
      return cpu('the network is too small for the GPU to be faster');
    }
    let gpu: OpenedGpu;
    try {
      gpu = await this.device();
    } catch (error) {
      if (choice === 'gpu') throw error;
      return cpu((error as Error).message);
    }
    if (choice === 'auto' && gpu.adapter.software) return cpu(`Auto never picks a ${gpu.adapter.label}`);
    return { gpu, compute: { device: 'gpu', adapter: gpu.adapter.label, reason: null, gpu: gpu.adapter } };
  }
}
/** Devices whose `lost` promise has resolved: the next run opens a new one. */
const lostDevices = new WeakSet<GPUDevice>();
