/**
 * Training on the GPU with the CPU Trainer's data handling, events and checkpoints (trainer/trainer.ts): the same
 * split, shuffle and normalization from the same Rng, so without dropout a GPU run sees the same batches as a
 * CPU run of the same seed. One step = one batch upload + one command encoder holding the input conversion, the
 * forward, loss, backward, norm and optimizer dispatches + one submit. Step reports arrive in bulk every
 * `readbackEvery` steps (their metrics wait in a GPU ring until then); at the end of an epoch the trainer waits for
 * the GPU, evaluates the validation samples on it and copies the parameters into the CPU network, which export,
 * inspection, epoch checkpoints and the project file read.
 */
import type { Dataset, Normalization } from '../data/dataset';
import { computeNormalization } from '../data/normalize';
import { leafLayers } from '../layers/layer';
import type { Network } from '../network';
import { learningRateAt } from '../optim/schedule';
import { checkSpecMatchesData } from '../spec/analyze';
import { type AugmentSettings, isAugmenting } from '../trainer/augment';
import { allIndices } from '../trainer/batches';
import { trackBestEpoch } from '../trainer/best-epoch';
import type { BestSoFar, TrainerCheckpoint } from '../trainer/checkpoint';
import { checkTrainConfig, TRAIN_DEFAULTS, type TrainConfig } from '../trainer/config';
import type { Evaluation } from '../trainer/evaluate';
import type { EpochReport, StepReport, TrainerEvent, TrainerListener } from '../trainer/events';
import { type ConfusionMatrix, emptyConfusion } from '../trainer/metrics';
import { NonFiniteLossError } from '../trainer/non-finite-loss-error';
import { stratifiedSplit } from '../trainer/split';
import type { TrainData } from '../trainer/trainer';
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

interface PendingStep {
  step: number;
  epoch: number;
  batch: number;
  samples: number;
  lr: number;
  labels: Int32Array;
}

export class GpuTrainer {
  readonly history: EpochReport[] = [];
  readonly batchesPerEpoch: number;
  readonly totalSteps: number;
  readonly trainIndices: Int32Array;
  readonly validationIndices: Int32Array | null;
  readonly normalization: Normalization | undefined;
  readonly gpu: GpuNetwork;
  private readonly config: TrainConfig;
  private readonly train: Dataset;
  private readonly validation: { dataset: Dataset; indices: Int32Array } | null;
  private readonly optimizer: GpuOptimizer;
  private readonly metrics: GpuStepMetrics;
  private readonly uploader: GpuBatchUploader;
  private readonly validator: GpuValidation | null;
  private readonly order: Int32Array;
  private readonly hasDropout: boolean;
  /** Crops and flips of training batches (never validation ones), drawn as the CPU trainer draws them. */
  private readonly augment: AugmentSettings | null;
  private readonly listeners = new Set<TrainerListener>();
  private readonly pending: PendingStep[] = [];
  private readonly stepDispatches = new Map<string, Dispatch[]>();
  private readonly stepPhases = new Map<string, StepPhases>();
  /** Set by the bench only: steps are then submitted phase by phase and timed (same results, slower). */
  phaseTimer: GpuPhaseTimer | null = null;
  private readonly deviceLoss: { message: string | null };
  private submittedSteps = 0;
  private reportedSteps = 0;
  private epochsDone = 0;
  private batchInEpoch = 0;
  private epochLossSum = 0;
  private epochCorrect = 0;
  private epochSamples = 0;
  private epochConfusion: ConfusionMatrix = [];
  private baseLr: number;
  /** The step whose parameters the CPU network holds (the last download). */
  private downloadedStep = 0;
  private failure: Error | null = null;
  private bestSoFar: BestSoFar | null = null;
  private epochsWithoutImprovement = 0;
  private stoppedEarlyAt: number | null = null;
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
    const { train, validation } = data;
    checkTrainConfig(config, train.shape.channels, train.shape.height, train.shape.width);
    const unsupported = gpuUnsupportedTraining(network.spec, config);
    if (unsupported !== null) throw new Error(`${unsupported}: train on the CPU`);
    checkFits(network, train, 'training');
    if (validation !== undefined) checkFits(network, validation, 'validation');
    const split = config.validationSplit ?? TRAIN_DEFAULTS.validationSplit;
    if (validation !== undefined && split > 0) {
      throw new Error('give either a separate validation set or a validationSplit, not both');
    }
    this.config = { ...config, optimizer: { ...config.optimizer } };
    this.train = train;
    if (validation !== undefined) {
      this.trainIndices = allIndices(train.count);
      this.validationIndices = allIndices(validation.count);
      this.validation = { dataset: validation, indices: this.validationIndices };
    } else if (split > 0) {
      const parts = stratifiedSplit(train.labels, network.classes, split, network.rng);
      this.trainIndices = parts.train;
      this.validationIndices = parts.validation;
      this.validation = { dataset: train, indices: parts.validation };
    } else {
      this.trainIndices = allIndices(train.count);
      this.validationIndices = null;
      this.validation = null;
    }
    if (this.trainIndices.length === 0) throw new Error('the training set has no samples left to train on');
    this.normalization =
      config.normalization === 'from-training-samples'
        ? computeNormalization(train, this.trainIndices)
        : config.normalization;
    this.order = this.trainIndices.slice();
    this.batchesPerEpoch = Math.ceil(this.order.length / config.batchSize);
    this.totalSteps = this.batchesPerEpoch * config.epochs;
    this.baseLr = config.optimizer.lr;
    this.hasDropout = leafLayers(network.layers).some((layer) => layer.type === 'dropout');

    this.gpu = new GpuNetwork(device, network, Math.min(config.batchSize, this.order.length));
    this.gpu.setNormalization(this.normalization);
    this.optimizer = new GpuOptimizer(this.gpu, this.config.optimizer);
    this.metrics = new GpuStepMetrics(this.gpu, this.optimizer, readbackEvery);
    this.uploader = new GpuBatchUploader(this.gpu);
    this.augment = isAugmenting(config.augment) ? config.augment : null;
    this.validator = this.validation
      ? new GpuValidation(this.gpu, this.uploader, this.validation.indices.length)
      : null;
    this.deviceLoss = watchDeviceLoss(device);
  }

  get done(): boolean {
    return this.epochsDone === this.config.epochs || this.stoppedEarlyAt !== null;
  }

  /** Stopped before its last epoch because validation loss had not improved for `patience` epochs. */
  get stoppedEarly(): boolean {
    return this.stoppedEarlyAt !== null;
  }

  get best(): BestSoFar | null {
    return this.bestSoFar;
  }

  /** Steps reported so far (submitted steps are reported at the next readback). */
  get completedSteps(): number {
    return this.reportedSteps;
  }

  get completedEpochs(): number {
    return this.epochsDone;
  }

  onEvent(listener: TrainerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Submits one batch; every `readbackEvery` steps and at the end of an epoch it waits for the GPU and reports.
   * Throws NonFiniteLossError or GpuDeviceLostError when the run cannot go on.
   */
  async step(): Promise<void> {
    if (this.failure !== null) throw this.failure;
    this.checkDevice();
    if (this.done) throw new Error(`training is complete: all ${this.config.epochs} epochs have run`);
    if (this.batchInEpoch === 0) this.startEpoch();
    const start = this.batchInEpoch * this.config.batchSize;
    const end = Math.min(start + this.config.batchSize, this.order.length);
    const samples = end - start;
    const augment = this.augment === null ? undefined : { settings: this.augment, rng: this.network.rng };
    this.phaseTimer?.beginStep();
    const pixelBytes = this.uploader.upload(this.train, this.order, start, end, augment);
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
    this.batchInEpoch++;
    this.pending.push({
      step: this.submittedSteps,
      epoch: this.epochsDone + 1,
      batch: this.batchInEpoch,
      samples,
      lr: this.optimizer.lr,
      labels: this.uploader.labels.slice(0, samples),
    });
    if (this.batchInEpoch === this.batchesPerEpoch) await this.finishEpoch();
    else if (this.metrics.full) await this.report();
  }

  /**
   * Reports every submitted step, copies the parameters into the CPU network and the optimizer state into the
   * checkpoint (pause, stop, end of epoch): afterwards the CPU side holds the run exactly.
   */
  async sync(): Promise<void> {
    if (this.failure !== null || this.synced?.completedSteps === this.submittedSteps) return;
    await this.report();
    await this.download();
    this.synced = await this.snapshot();
  }

  /** The checkpoint of the state the CPU network and this trainer hold now (after a download). */
  private async snapshot(): Promise<TrainerCheckpoint> {
    return {
      completedSteps: this.reportedSteps,
      completedEpochs: this.epochsDone,
      batchInEpoch: this.batchInEpoch,
      baseLearningRate: this.baseLr,
      order: this.order.slice(),
      epochTotals: {
        lossSum: this.epochLossSum,
        correct: this.epochCorrect,
        samples: this.epochSamples,
        confusion: this.epochConfusion.map((row) => [...row]),
      },
      history: structuredClone(this.history),
      optimizer: await this.guard(() => this.optimizer.getState()),
      rng: this.network.rng.getState(),
      best: this.bestSoFar,
      epochsWithoutImprovement: this.epochsWithoutImprovement,
    };
  }

  setBaseLearningRate(lr: number): void {
    if (!(Number.isFinite(lr) && lr > 0))
      throw new Error(`the learning rate must be a number > 0, got ${JSON.stringify(lr)}`);
    this.baseLr = lr;
    this.optimizer.lr = this.scheduledLearningRate();
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
    const { order, epochTotals } = checkpoint;
    if (order.length !== this.trainIndices.length) {
      throw new Error(
        `the saved run trained on ${order.length} samples, not the ${this.trainIndices.length} selected now; load the same dataset with the same validation split and seed`,
      );
    }
    this.optimizer.setState(checkpoint.optimizer);
    this.network.rng.setState(checkpoint.rng);
    this.order.set(order);
    this.submittedSteps = this.reportedSteps = this.downloadedStep = checkpoint.completedSteps;
    this.epochsDone = checkpoint.completedEpochs;
    this.batchInEpoch = checkpoint.batchInEpoch;
    this.baseLr = checkpoint.baseLearningRate;
    this.epochLossSum = epochTotals.lossSum;
    this.epochCorrect = epochTotals.correct;
    this.epochSamples = epochTotals.samples;
    this.epochConfusion = epochTotals.confusion.map((row) => [...row]);
    this.history.splice(0, this.history.length, ...structuredClone(checkpoint.history));
    this.bestSoFar = checkpoint.best;
    this.epochsWithoutImprovement = checkpoint.epochsWithoutImprovement;
    // Restoring means training on: a run that stopped early continues for the epochs it is now given.
    this.stoppedEarlyAt = null;
    this.gpu.uploadParameters();
    if (this.batchInEpoch === 0) this.optimizer.lr = this.scheduledLearningRate();
    this.synced = structuredClone(checkpoint);
  }

  private trackBest(report: EpochReport): void {
    const tracking = { best: this.bestSoFar, epochsWithoutImprovement: this.epochsWithoutImprovement };
    const next = trackBestEpoch(tracking, report, this.network, this.config);
    this.bestSoFar = next.best;
    this.epochsWithoutImprovement = next.epochsWithoutImprovement;
    if (next.stopEarly) this.stoppedEarlyAt = this.epochsDone;
  }

  /** Frees the run's GPU buffers (the device stays open for the next run). */
  dispose(): void {
    this.gpu.dispose();
  }

  /** Records the dispatches of every batch size the run will see: full and last batches, training and validation. */
  private recordPlans(): void {
    const pixelBytes = this.train.pixels instanceof Uint8Array ? 1 : 4;
    const batch = this.config.batchSize;
    for (const samples of new Set([Math.min(batch, this.order.length), this.order.length % batch || batch])) {
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

  private startEpoch(): void {
    this.optimizer.lr = this.scheduledLearningRate();
    if (this.config.shuffle ?? TRAIN_DEFAULTS.shuffle) this.network.rng.shuffle(this.order);
    this.epochLossSum = 0;
    this.epochCorrect = 0;
    this.epochSamples = 0;
    this.epochConfusion = emptyConfusion(this.network.classes);
  }

  private scheduledLearningRate(): number {
    const schedule = this.config.schedule ?? TRAIN_DEFAULTS.schedule;
    const warmup = this.config.warmupEpochs ?? TRAIN_DEFAULTS.warmupEpochs;
    return learningRateAt(schedule, this.baseLr, this.epochsDone, this.config.epochs, warmup);
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
        this.epochConfusion[pending.labels[n]][predicted]++;
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
        this.diverged(pending, 'the update made some parameters infinite or NaN (the gradients overflowed)');
      }
      this.reportedSteps = pending.step;
      this.epochLossSum += loss * pending.samples;
      this.epochCorrect += correct;
      this.epochSamples += pending.samples;
      const report: StepReport = {
        step: pending.step,
        epoch: pending.epoch,
        batch: pending.batch,
        batchesPerEpoch: this.batchesPerEpoch,
        samples: pending.samples,
        loss,
        accuracy: correct / pending.samples,
        lr: pending.lr,
        layers: stats,
      };
      this.emit({ type: 'step', report });
    });
  }

  private async finishEpoch(): Promise<void> {
    await this.report();
    const validation = await this.validate();
    const report: EpochReport = {
      epoch: this.epochsDone + 1,
      lr: this.optimizer.lr,
      trainLoss: this.epochLossSum / this.epochSamples,
      trainAccuracy: this.epochCorrect / this.epochSamples,
      trainConfusion: this.epochConfusion,
      validation,
    };
    this.history.push(report);
    this.epochsDone++;
    this.batchInEpoch = 0;
    // the CPU network holds the epoch's weights from here on, for the best epoch and the checkpoint
    await this.download();
    this.trackBest(report);
    this.synced = await this.snapshot();
    this.emit({ type: 'epoch', report });
    if (this.done) this.emit({ type: 'done', history: this.history });
  }

  private validate(): Promise<Evaluation | null> {
    const { validation, validator } = this;
    if (validation === null || validator === null) return Promise.resolve(null);
    return this.guard(() => validator.evaluate(validation.dataset, validation.indices));
  }

  private async download(): Promise<void> {
    await this.guard(() => this.gpu.downloadParameters());
    this.downloadedStep = this.reportedSteps;
  }

  /** A run stopped for good keeps the parameters of the last download in the CPU network. */
  private diverged(pending: PendingStep, what: string): never {
    this.failure = new NonFiniteLossError(
      pending.step,
      pending.epoch,
      pending.batch,
      this.downloadedStep,
      what,
      pending.lr,
    );
    throw this.failure;
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
    this.failure ??= new GpuDeviceLostError(this.deviceLoss.message, this.reportedSteps, this.downloadedStep);
    throw this.failure;
  }

  private emit(event: TrainerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function checkFits(network: Network, dataset: Dataset, role: string): void {
  const errors = checkSpecMatchesData(network.spec, dataset.shape, dataset.classNames.length).filter(
    (issue) => issue.severity === 'error',
  );
  if (errors.length > 0) throw new Error(`${role} data: ${errors.map((issue) => issue.message).join('; ')}`);
}
