/**
 * The trainer runs a network over a dataset one batch at a time and is driven from outside: step() trains
 * one batch synchronously and returns, so a session can pause, resume, stop or single-step between batches
 * from its message loop; fit() just loops for tests and the CLI. Every random choice (split, shuffle, dropout)
 * comes from the network's Rng, so a run is reproducible from its seed.
 */
import type { Dataset, Normalization } from '../data/dataset';
import { computeNormalization } from '../data/normalize';
import type { Network } from '../network';
import { createOptimizer } from '../optim/create-optimizer';
import type { Optimizer } from '../optim/optimizer';
import { learningRateAt } from '../optim/schedule';
import { checkSpecMatchesData } from '../spec/analyze';
import { BatchAugmenter, isAugmenting } from './augment';
import { allIndices, BatchLoader } from './batches';
import { trackBestEpoch } from './best-epoch';
import type { BestSoFar, TrainerCheckpoint } from './checkpoint';
import { checkTrainConfig, TRAIN_DEFAULTS, type TrainConfig } from './config';
import { evaluate } from './evaluate';
import type { EpochReport, StepReport, TrainerEvent, TrainerListener } from './events';
import { type ConfusionMatrix, emptyConfusion, layerStats, tallyPredictions } from './metrics';
import { NonFiniteLossError } from './non-finite-loss-error';
import { stratifiedSplit } from './split';
import { trainBatch } from './train-batch';

export interface TrainData {
  train: Dataset;
  /** A separate validation (test) set; otherwise config.validationSplit may hold out part of `train`. */
  validation?: Dataset;
}

interface ValidationSet {
  loader: BatchLoader;
  indices: Int32Array;
}

export class Trainer {
  readonly optimizer: Optimizer;
  /** One report per finished epoch. */
  readonly history: EpochReport[] = [];
  readonly batchesPerEpoch: number;
  readonly totalSteps: number;
  /** Indices into data.train that are trained on, ascending (the rest, if split off, validate). */
  readonly trainIndices: Int32Array;
  /** Indices of the validation samples in their dataset, or null without validation. */
  readonly validationIndices: Int32Array | null;
  /** The input normalization every batch gets; prediction and export must apply the same. */
  readonly normalization: Normalization | undefined;

  /**
   * Whether step `step` (1-based) must leave every layer's output in network.activations; otherwise the
   * data-parallel step copies out only the network output (see train-batch.ts). Every step unless told otherwise:
   * a session's run asks only on the steps its training monitor reads them.
   */
  activationsNeeded: (step: number) => boolean = () => true;

  private readonly config: TrainConfig;
  private readonly loader: BatchLoader;
  /** Crops and flips training batches (never validation ones); null without augmentation. */
  private readonly augmenter: BatchAugmenter | null;
  private readonly validation: ValidationSet | null;
  /** The order of this epoch's samples. */
  private readonly order: Int32Array;
  /** Parameter values before the latest update, for update ratios and for restoring after a divergence. */
  private readonly before: Float32Array[];
  private readonly listeners = new Set<TrainerListener>();
  private stepsDone = 0;
  private epochsDone = 0;
  private batchInEpoch = 0;
  private epochLossSum = 0;
  private epochCorrect = 0;
  private epochSamples = 0;
  private epochConfusion: ConfusionMatrix = [];
  private failure: Error | null = null;
  private bestSoFar: BestSoFar | null = null;
  private epochsWithoutImprovement = 0;
  private stoppedEarlyAt: number | null = null;
  /** The learning rate the schedule scales; config.optimizer.lr until setBaseLearningRate changes it. */
  private baseLr: number;

  constructor(
    readonly network: Network,
    data: TrainData,
    config: TrainConfig,
  ) {
    const { train, validation } = data;
    checkTrainConfig(config, train.shape.channels, train.shape.height, train.shape.width);
    checkDatasetFits(network, train, 'training');
    if (validation !== undefined) checkDatasetFits(network, validation, 'validation');
    const split = config.validationSplit ?? TRAIN_DEFAULTS.validationSplit;
    if (validation !== undefined && split > 0) {
      throw new Error('give either a separate validation set or a validationSplit, not both');
    }
    this.config = { ...config, optimizer: { ...config.optimizer } };
    if (validation !== undefined) {
      this.trainIndices = allIndices(train.count);
      this.validationIndices = allIndices(validation.count);
    } else if (split > 0) {
      const parts = stratifiedSplit(train.labels, network.classes, split, network.rng);
      this.trainIndices = parts.train;
      this.validationIndices = parts.validation;
    } else {
      this.trainIndices = allIndices(train.count);
      this.validationIndices = null;
    }
    // Statistics come from the samples trained on only, so nothing of the validation samples leaks into training.
    this.normalization =
      config.normalization === 'from-training-samples'
        ? computeNormalization(train, this.trainIndices)
        : config.normalization;
    this.loader = new BatchLoader(train, config.batchSize, this.normalization);
    this.augmenter = isAugmenting(config.augment)
      ? new BatchAugmenter(config.augment, train.shape.channels, this.normalization)
      : null;
    if (validation !== undefined) {
      const loader = new BatchLoader(validation, config.batchSize, this.normalization);
      this.validation = { loader, indices: this.validationIndices as Int32Array };
    } else {
      this.validation = this.validationIndices ? { loader: this.loader, indices: this.validationIndices } : null;
    }
    if (this.trainIndices.length === 0) throw new Error('the training set has no samples left to train on');
    this.order = this.trainIndices.slice();
    this.batchesPerEpoch = Math.ceil(this.order.length / config.batchSize);
    this.totalSteps = this.batchesPerEpoch * config.epochs;
    this.optimizer = createOptimizer(network.params, config.optimizer);
    this.baseLr = config.optimizer.lr;
    this.before = network.params.map((param) => new Float32Array(param.data.length));
  }

  get done(): boolean {
    return this.epochsDone === this.config.epochs || this.stoppedEarlyAt !== null;
  }

  /** True when the run ended before its last epoch because the monitored loss stopped improving. */
  get stoppedEarly(): boolean {
    return this.stoppedEarlyAt !== null;
  }

  /** The epoch with the lowest monitored loss so far, with the state after it when config.keepBest is on. */
  get best(): BestSoFar | null {
    return this.bestSoFar;
  }

  get completedSteps(): number {
    return this.stepsDone;
  }

  get completedEpochs(): number {
    return this.epochsDone;
  }

  /** Calls `listener` synchronously for every event; returns the function that unsubscribes it. */
  onEvent(listener: TrainerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Trains one batch: forward, loss, backward, optimizer update; at the end of an epoch it also evaluates the
   * validation samples. Throws NonFiniteLossError (after restoring the last good parameters) if training diverges.
   */
  step(): StepReport {
    if (this.failure !== null) throw this.failure;
    if (this.done) throw new Error(`training is complete: all ${this.config.epochs} epochs have run`);
    if (this.batchInEpoch === 0) this.startEpoch();
    const { network, optimizer } = this;
    const start = this.batchInEpoch * this.config.batchSize;
    const end = Math.min(start + this.config.batchSize, this.order.length);
    const samples = end - start;
    const x = this.loader.load(this.order, start, end);
    this.augmenter?.apply(x, network.rng);
    const { loss, output } = trainBatch(network, x, this.loader.labels, this.activationsNeeded(this.stepsDone + 1));
    if (!Number.isFinite(loss)) this.diverged(`the loss is ${loss}`, this.stepsDone);
    const correct = tallyPredictions(output, this.loader.labels, this.epochConfusion);

    for (const [i, param] of network.params.entries()) this.before[i].set(param.data);
    optimizer.step();
    const layers = layerStats(network.layers, this.before);
    if (!layers.every((stats) => Number.isFinite(stats.weightNorm))) {
      this.diverged('the update made some parameters infinite or NaN (the gradients overflowed)', this.stepsDone + 1);
    }

    this.stepsDone++;
    this.batchInEpoch++;
    this.epochLossSum += loss * samples;
    this.epochCorrect += correct;
    this.epochSamples += samples;
    const report: StepReport = {
      step: this.stepsDone,
      epoch: this.epochsDone + 1,
      batch: this.batchInEpoch,
      batchesPerEpoch: this.batchesPerEpoch,
      samples,
      loss,
      accuracy: correct / samples,
      lr: optimizer.lr,
      layers,
    };
    this.emit({ type: 'step', report });
    if (this.batchInEpoch === this.batchesPerEpoch) this.finishEpoch();
    return report;
  }

  /**
   * Changes the learning rate from the next step on, as if the run had been configured with it: the schedule
   * keeps applying on top (so a step schedule halves the new rate, not the old one).
   */
  setBaseLearningRate(lr: number): void {
    if (!(Number.isFinite(lr) && lr > 0))
      throw new Error(`the learning rate must be a number > 0, got ${JSON.stringify(lr)}`);
    this.baseLr = lr;
    this.optimizer.lr = this.scheduledLearningRate();
  }

  /** A copy of the state the next step depends on (see checkpoint.ts); valid between steps. */
  checkpoint(): TrainerCheckpoint {
    return {
      completedSteps: this.stepsDone,
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
      optimizer: this.optimizer.getState(),
      rng: this.network.rng.getState(),
      best: this.bestSoFar,
      epochsWithoutImprovement: this.epochsWithoutImprovement,
    };
  }

  /**
   * Continues from `checkpoint`, taken from a trainer over the same data with the same split, batch size and
   * optimizer (the network's parameters are restored separately). Throws, naming what differs, otherwise.
   */
  restore(checkpoint: TrainerCheckpoint): void {
    const { order, epochTotals } = checkpoint;
    if (!samePermutation(order, this.trainIndices)) {
      throw new Error(
        `the saved run trained on ${order.length} samples, not the ${this.trainIndices.length} selected now; load the same dataset with the same validation split and seed`,
      );
    }
    if (checkpoint.batchInEpoch >= this.batchesPerEpoch || checkpoint.completedEpochs > this.config.epochs) {
      throw new Error(
        `the saved run is at epoch ${checkpoint.completedEpochs + 1}, batch ${checkpoint.batchInEpoch + 1}, beyond this run's ${this.config.epochs} epochs of ${this.batchesPerEpoch} batches`,
      );
    }
    this.optimizer.setState(checkpoint.optimizer);
    this.network.rng.setState(checkpoint.rng);
    this.order.set(order);
    this.stepsDone = checkpoint.completedSteps;
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
    for (const [i, param] of this.network.params.entries()) this.before[i].set(param.data);
    // Mid-epoch the optimizer state carries the epoch's rate; between epochs startEpoch sets the next one.
    if (this.batchInEpoch === 0) this.optimizer.lr = this.scheduledLearningRate();
  }

  /** Trains until every epoch has run and returns the per-epoch history. */
  fit(): readonly EpochReport[] {
    while (!this.done) this.step();
    return this.history;
  }

  private startEpoch(): void {
    this.optimizer.lr = this.scheduledLearningRate();
    if (this.config.shuffle ?? TRAIN_DEFAULTS.shuffle) this.network.rng.shuffle(this.order);
    this.epochLossSum = 0;
    this.epochCorrect = 0;
    this.epochSamples = 0;
    this.epochConfusion = emptyConfusion(this.network.classes);
  }

  /** The rate for the epoch in progress (or about to start). */
  private scheduledLearningRate(): number {
    const schedule = this.config.schedule ?? TRAIN_DEFAULTS.schedule;
    const warmup = this.config.warmupEpochs ?? TRAIN_DEFAULTS.warmupEpochs;
    return learningRateAt(schedule, this.baseLr, this.epochsDone, this.config.epochs, warmup);
  }

  private finishEpoch(): void {
    const validation =
      this.validation === null
        ? null
        : evaluate(this.network, this.validation.loader.dataset, {
            indices: this.validation.indices,
            loader: this.validation.loader,
          });
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
    this.trackBest(report);
    this.emit({ type: 'epoch', report });
    if (this.done) this.emit({ type: 'done', history: this.history });
  }

  private trackBest(report: EpochReport): void {
    const tracking = { best: this.bestSoFar, epochsWithoutImprovement: this.epochsWithoutImprovement };
    const next = trackBestEpoch(tracking, report, this.network, this.config);
    this.bestSoFar = next.best;
    this.epochsWithoutImprovement = next.epochsWithoutImprovement;
    if (next.stopEarly) this.stoppedEarlyAt = this.epochsDone;
  }

  /**
   * Stops the run for good. `restoredStep` is the step whose starting parameters are the last good ones: those
   * are in `before` (copied as that step began its update), unless no step has completed an update yet.
   */
  private diverged(what: string, restoredStep: number): never {
    if (restoredStep > 0) for (const [i, param] of this.network.params.entries()) param.data.set(this.before[i]);
    this.failure = new NonFiniteLossError(
      this.stepsDone + 1,
      this.epochsDone + 1,
      this.batchInEpoch + 1,
      restoredStep,
      what,
      this.optimizer.lr,
    );
    throw this.failure;
  }

  private emit(event: TrainerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** Whether `order` holds exactly the samples of `indices` (which are ascending), each once. */
function samePermutation(order: Int32Array, indices: Int32Array): boolean {
  if (order.length !== indices.length) return false;
  const sorted = order.slice().sort();
  return sorted.every((index, i) => index === indices[i]);
}

function checkDatasetFits(network: Network, dataset: Dataset, role: string): void {
  const errors = checkSpecMatchesData(network.spec, dataset.shape, dataset.classNames.length).filter(
    (issue) => issue.severity === 'error',
  );
  if (errors.length > 0) throw new Error(`${role} data: ${errors.map((issue) => issue.message).join('; ')}`);
}
