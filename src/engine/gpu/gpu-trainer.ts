/**
 * Training on the GPU with the CPU Trainer's data handling, events and checkpoints, from the same code
 * (trainer/run-plan.ts, trainer/run-bookkeeping.ts): the same split, shuffle and normalization from the same Rng,
 * so without dropout a GPU run sees the same batches as a CPU run of the same seed. One step = one batch upload + one command encoder holding the input conversion, the
 * forward, loss, backward, norm and optimizer dispatches + one submit. Step reports arrive in bulk every
 * `readbackEvery` steps (their metrics wait in a GPU ring until then); at the end of an epoch the trainer waits for
 * the GPU, evaluates the validation samples on it and copies the parameters into the CPU network, which export,
 * inspection, epoch checkpoints and the project file read.
 */
import type { Dataset } from '../data/dataset';
import { leafLayers } from '../layers/layer';
import type { Network } from '../network';
import { type AugmentSettings, isAugmenting } from '../trainer/augment';
import { BookkeptTrainer } from '../trainer/bookkept-trainer';
import type { TrainerCheckpoint } from '../trainer/checkpoint';
import { checkTrainConfig, type TrainConfig } from '../trainer/config';
import type { Evaluation } from '../trainer/evaluate';
import { RunBookkeeping, type StepPlace, UPDATE_NOT_FINITE } from '../trainer/run-bookkeeping';
import { otherSamplesError, planRun, type RunPlan, type TrainData } from '../trainer/run-plan';
import { GpuBatchUploader } from './gpu-batches';
import { checkedGpu, type Dispatch } from './gpu-context';
import { GpuDeviceLostError, watchDeviceLoss } from './gpu-device-lost';
import { GpuNetwork } from './gpu-network';
import { GpuOptimizer } from './gpu-optimizer';
import { GPU_PHASES, type GpuPhaseTimer, type StepPhases } from './gpu-phase-timing';
import { GpuStepMetrics } from './gpu-step-metrics';
import { gpuUnsupportedTraining } from './gpu-support';
import { GpuValidation } from './gpu-validation';

/** Steps between metric readbacks: few enough for live charts, enough that the GPU runs ahead of the CPU. */
export const DEFAULT_READBACK_EVERY = 8;

/** A submitted step whose metrics wait in the GPU ring; its labels are kept for its confusion counts. */
interface PendingStep extends StepPlace {
  labels: Int32Array;
}

export class GpuTrainer extends BookkeptTrainer {
  readonly gpu: GpuNetwork;
  /** The run's samples, normalization and settings. */
  protected readonly plan: RunPlan;
  /** Counters, epoch sums, best epoch, schedule, events and checkpoints, kept as the CPU trainer keeps them. */
  protected readonly run: RunBookkeeping;
  private readonly train: Dataset;
  private readonly validation: { dataset: Dataset; indices: Int32Array } | null;
  private readonly optimizer: GpuOptimizer;
  private readonly metrics: GpuStepMetrics;
  private readonly uploader: GpuBatchUploader;
  private readonly validator: GpuValidation | null;
  private readonly hasDropout: boolean;
  /** Crops and flips of training batches (never validation ones), drawn as the CPU trainer draws them. */
  private readonly augment: AugmentSettings | null;
  private readonly pending: PendingStep[] = [];
  private readonly stepDispatches = new Map<string, Dispatch[]>();
  private readonly stepPhases = new Map<string, StepPhases>();
  /** Set by the bench only: steps are then submitted phase by phase and timed (same results, slower). */
  phaseTimer: GpuPhaseTimer | null = null;
  private readonly deviceLoss: { message: string | null };
  private submittedSteps = 0;
  /** The step whose parameters the CPU network holds (the last download). */
  private downloadedStep = 0;
  private synced: TrainerCheckpoint | null = null;

  /**
   * Builds the trainer with every buffer, pipeline and bind group its steps and validation will use, and throws
   * with WebGPU's reason when the device refuses any of them.
   */
  static async create(
    network: Network,
    data: TrainData,
    config: TrainConfig,
    device: GPUDevice,
    readbackEvery = DEFAULT_READBACK_EVERY,
  ): Promise<GpuTrainer> {
    let trainer: GpuTrainer | null = null;
    try {
      return await checkedGpu(device, 'training', () => {
        trainer = new GpuTrainer(network, data, config, device, readbackEvery);
        trainer.recordPlans();
        return trainer;
      }).then(async (made) => {
        await made.sync();
        return made;
      });
    } catch (error) {
      (trainer as GpuTrainer | null)?.dispose();
      throw error;
    }
  }

  private constructor(
    readonly network: Network,
    data: TrainData,
    config: TrainConfig,
    device: GPUDevice,
    readonly readbackEvery: number,
  ) {
    super();
    const { train } = data;
    checkTrainConfig(config, train.shape.channels, train.shape.height, train.shape.width);
    const unsupported = gpuUnsupportedTraining(network.spec, config);
    if (unsupported !== null) throw new Error(`${unsupported}: train on the CPU`);
    const plan = planRun(network, data, config);
    this.plan = plan;
    this.train = train;
    this.validation = plan.validation;
    this.hasDropout = leafLayers(network.layers).some((layer) => layer.type === 'dropout');

    this.gpu = new GpuNetwork(device, network, Math.min(config.batchSize, this.trainIndices.length));
    this.gpu.setNormalization(this.normalization);
    this.optimizer = new GpuOptimizer(this.gpu, plan.config.optimizer);
    this.run = new RunBookkeeping(network, plan.config, plan.trainIndices, this.optimizer);
    this.metrics = new GpuStepMetrics(this.gpu, this.optimizer, readbackEvery);
    this.uploader = new GpuBatchUploader(this.gpu);
    this.augment = isAugmenting(config.augment) ? config.augment : null;
    this.validator = this.validation
      ? new GpuValidation(this.gpu, this.uploader, this.validation.indices.length)
      : null;
    this.deviceLoss = watchDeviceLoss(device);
  }

  /**
   * Submits one batch; every `readbackEvery` steps and at the end of an epoch it waits for the GPU and reports.
   * Throws NonFiniteLossError or GpuDeviceLostError when the run cannot go on.
   */
  async step(): Promise<void> {
    const { run } = this;
    run.throwIfFailed();
    this.checkDevice();
    const { start, end, ...place } = run.beginBatch(this.submittedSteps + 1);
    const { samples } = place;
    const augment = this.augment === null ? undefined : { settings: this.augment, rng: this.network.rng };
    this.phaseTimer?.beginStep();
    const pixelBytes = this.uploader.upload(this.train, run.order, start, end, augment);
    this.optimizer.prepareStep(this.hasDropout ? this.network.rng.nextUint32() : 0);
    if (this.phaseTimer) {
      await this.phaseTimer.submitStep(this.phasesFor(samples, pixelBytes), (encoder) => this.metrics.record(encoder));
    } else {
      const encoder = this.gpu.ctx.device.createCommandEncoder();
      this.gpu.ctx.encode(encoder, this.dispatchesFor(samples, pixelBytes));
      this.metrics.record(encoder);
      this.gpu.ctx.device.queue.submit([encoder.finish()]);
    }
    this.submittedSteps++;
    run.advanceBatch();
    this.pending.push({ ...place, labels: this.uploader.labels.slice(0, samples) });
    if (run.epochBatchesDone) await this.finishEpoch();
    else if (this.metrics.full) await this.report();
  }

  /**
   * Reports every submitted step, copies the parameters into the CPU network and the optimizer state into the
   * checkpoint (pause, stop, end of epoch): afterwards the CPU side holds the run exactly.
   */
  async sync(): Promise<void> {
    if (this.run.failed !== null || this.synced?.completedSteps === this.submittedSteps) return;
    await this.report();
    await this.download();
    this.synced = await this.snapshot();
  }

  /** The checkpoint of the state the CPU network and this trainer hold now (after a download). */
  private async snapshot(): Promise<TrainerCheckpoint> {
    const optimizer = await this.guard(() => this.optimizer.getState());
    return this.run.checkpoint(optimizer);
  }

  /**
   * The state the next step depends on, in the CPU trainer's format, as of the last sync() (which the session's
   * run calls whenever it pauses or stops, and which every epoch end does); it matches the CPU network's parameters.
   */
  checkpoint(): TrainerCheckpoint {
    if (this.synced === null) throw new Error('the GPU run has not been copied back yet; pause it first');
    return structuredClone(this.synced);
  }

  /** Continues from a checkpoint of a CPU or GPU run; the network's parameters are uploaded from the CPU copy. */
  restore(checkpoint: TrainerCheckpoint): void {
    const { order } = checkpoint;
    if (order.length !== this.trainIndices.length) {
      throw otherSamplesError(order.length, this.trainIndices.length);
    }
    this.run.restore(checkpoint);
    this.submittedSteps = this.downloadedStep = checkpoint.completedSteps;
    this.gpu.uploadParameters();
    this.synced = structuredClone(checkpoint);
  }

  /** Frees the run's GPU buffers (the device stays open for the next run). */
  dispose(): void {
    this.gpu.dispose();
  }

  /** Records the dispatches of every batch size the run will see: full and last batches, training and validation. */
  private recordPlans(): void {
    const pixelBytes = this.train.pixels instanceof Uint8Array ? 1 : 4;
    const batch = this.plan.config.batchSize;
    const trainCount = this.trainIndices.length;
    for (const samples of new Set([Math.min(batch, trainCount), trainCount % batch || batch])) {
      this.dispatchesFor(samples, pixelBytes);
    }
    if (this.validation !== null) {
      const count = this.validation.indices.length;
      const validationBytes = this.validation.dataset.pixels instanceof Uint8Array ? 1 : 4;
      for (const samples of new Set([
        Math.min(this.gpu.maxBatch, count),
        count % this.gpu.maxBatch || this.gpu.maxBatch,
      ])) {
        this.gpu.inputPass(samples, validationBytes);
        this.gpu.forwardPass(samples, 'eval');
        this.gpu.lossPass(samples);
      }
    }
  }

  private dispatchesFor(samples: number, pixelBytes: 1 | 4): Dispatch[] {
    const key = `${samples} ${pixelBytes}`;
    let dispatches = this.stepDispatches.get(key);
    if (dispatches === undefined) {
      dispatches = GPU_PHASES.flatMap((phase) => this.phasesFor(samples, pixelBytes)[phase]);
      this.stepDispatches.set(key, dispatches);
    }
    return dispatches;
  }

  /** A step's dispatches by phase (gpu-phase-timing.ts says where each phase begins and ends). */
  private phasesFor(samples: number, pixelBytes: 1 | 4): StepPhases {
    const key = `${samples} ${pixelBytes}`;
    let phases = this.stepPhases.get(key);
    if (phases === undefined) {
      const { gpu, metrics } = this;
      phases = {
        upload: gpu.inputPass(samples, pixelBytes),
        forward: [...gpu.forwardPass(samples, 'train'), ...gpu.lossPass(samples)],
        backward: [...gpu.backwardPass(samples), metrics.normsBefore],
        optimizer: [this.optimizer.dispatch, metrics.normsAfter],
      };
      this.stepPhases.set(key, phases);
    }
    return phases;
  }

  /** Reads back the pending steps' metrics and emits their step events, oldest first. */
  private async report(): Promise<void> {
    const results = await this.guard(() => this.metrics.readBack());
    const steps = this.pending.splice(0, results.length);
    steps.forEach((pending, i) => {
      const metrics = results[i];
      const loss = metrics.lossSum / pending.samples;
      if (!Number.isFinite(loss)) this.diverged(pending, `the loss is ${loss}`);
      let correct = 0;
      for (let n = 0; n < pending.samples; n++) {
        const predicted = metrics.predictions[n];
        this.run.confusion[pending.labels[n]][predicted]++;
        if (predicted === pending.labels[n]) correct++;
      }
      const layers = leafLayers(this.network.layers).filter((layer) => layer.params.length > 0);
      const stats = metrics.layers.map((m, l) => ({
        layer: layers[l].index,
        path: layers[l].path,
        type: layers[l].type,
        gradNorm: Math.sqrt(m.grad),
        weightNorm: Math.sqrt(m.after),
        updateRatio: m.before > 0 ? Math.sqrt(m.update / m.before) : 0,
      }));
      if (!stats.every((s) => Number.isFinite(s.weightNorm))) {
        this.diverged(pending, UPDATE_NOT_FINITE);
      }
      this.run.recordStep(pending, loss, correct, stats);
    });
  }

  private async finishEpoch(): Promise<void> {
    await this.report();
    const report = this.run.closeEpoch(await this.validate());
    // the CPU network holds the epoch's weights from here on, for the best epoch and the checkpoint
    await this.download();
    this.run.trackBest(report);
    this.synced = await this.snapshot();
    this.run.announceEpoch(report);
  }

  private validate(): Promise<Evaluation | null> {
    const { validation, validator } = this;
    if (validation === null || validator === null) return Promise.resolve(null);
    return this.guard(() => validator.evaluate(validation.dataset, validation.indices));
  }

  private async download(): Promise<void> {
    await this.guard(() => this.gpu.downloadParameters());
    this.downloadedStep = this.run.completedSteps;
  }

  /** A run stopped for good keeps the parameters of the last download in the CPU network. */
  private diverged(pending: PendingStep, what: string): never {
    return this.run.diverge(pending, this.downloadedStep, what);
  }

  /** Runs a GPU wait; a lost device turns into the run's GpuDeviceLostError. */
  private async guard<T>(wait: () => Promise<T>): Promise<T> {
    try {
      const result = await wait();
      this.checkDevice();
      return result;
    } catch (error) {
      this.checkDevice();
      throw error;
    }
  }

  private checkDevice(): void {
    if (this.deviceLoss.message === null) return;
    this.run.fail(new GpuDeviceLostError(this.deviceLoss.message, this.run.completedSteps, this.downloadedStep));
  }
}
