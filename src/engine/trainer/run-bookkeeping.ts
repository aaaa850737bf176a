/**
 * The bookkeeping of a training run that the CPU Trainer and the GpuTrainer keep the same way, so the two report
 * the same events with the same numbers and write the same checkpoints: the step and epoch counters, the sample
 * order, the epoch's sums (loss, accuracy, confusion), the epoch reports, the best epoch and early stopping, the
 * learning-rate schedule, checkpoint and restore, the listeners, and the failure that ends a run for good.
 * Each trainer owns one and keeps only how it trains a batch: the CPU synchronously on the engine's kernels, the
 * GPU by submitting steps and reporting them later in bulk (so its steps are counted when reported, not sent).
 */
import type { Network } from '../network';
import type { OptimizerState } from '../optim/optimizer';
import { learningRateAt } from '../optim/schedule';
import { trackBestEpoch } from './best-epoch';
import type { BestSoFar, TrainerCheckpoint } from './checkpoint';
import { TRAIN_DEFAULTS, type TrainConfig } from './config';
import type { Evaluation } from './evaluate';
import type { EpochReport, StepReport, TrainerEvent, TrainerListener } from './events';
import { type ConfusionMatrix, emptyConfusion, type LayerStats } from './metrics';
import { NonFiniteLossError } from './non-finite-loss-error';

/** What the bookkeeping needs of an optimizer (the CPU's and the GPU's alike): its rate and its state. */
export interface ScheduledOptimizer {
  lr: number;
  setState(state: OptimizerState): void;
}

/** Where a step sits in the run, as its report and a divergence error name it. */
export interface StepPlace {
  /** Counting from 1 over the run. */
  step: number;
  epoch: number;
  /** Counting from 1 within the epoch. */
  batch: number;
  samples: number;
  lr: number;
}

/** The divergence after an update, worded the same on both devices. */
export const UPDATE_NOT_FINITE = 'the update made some parameters infinite or NaN (the gradients overflowed)';

export class RunBookkeeping {
  /** One report per finished epoch. */
  readonly history: EpochReport[] = [];
  readonly batchesPerEpoch: number;
  readonly totalSteps: number;
  /** The order of this epoch's samples (indices into the training set). */
  readonly order: Int32Array;
  private readonly listeners = new Set<TrainerListener>();
  private stepsDone = 0;
  private epochsDone = 0;
  /** Batches of the epoch in progress done so far (CPU: trained; GPU: submitted, maybe not reported yet). */
  private batchesDone = 0;
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
    private readonly network: Network,
    private readonly config: TrainConfig,
    trainIndices: Int32Array,
    private readonly optimizer: ScheduledOptimizer,
  ) {
    this.order = trainIndices.slice();
    this.batchesPerEpoch = Math.ceil(this.order.length / config.batchSize);
    this.totalSteps = this.batchesPerEpoch * config.epochs;
    this.baseLr = config.optimizer.lr;
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

  /** Steps reported so far. */
  get completedSteps(): number {
    return this.stepsDone;
  }

  get completedEpochs(): number {
    return this.epochsDone;
  }

  /** Whether every batch of the epoch in progress is done (CPU: trained; GPU: submitted). */
  get epochBatchesDone(): boolean {
    return this.batchesDone === this.batchesPerEpoch;
  }

  /** The epoch's confusion matrix so far, which a trainer counts its steps' predictions into. */
  get confusion(): ConfusionMatrix {
    return this.epochConfusion;
  }

  /** The error that ended the run, or null while it can go on. */
  get failed(): Error | null {
    return this.failure;
  }

  /** Calls `listener` synchronously for every event; returns the function that unsubscribes it. */
  onEvent(listener: TrainerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the run for good with `error` (unless it has already ended, which then rethrows the first error). */
  fail(error: Error): never {
    this.failure ??= error;
    throw this.failure;
  }

  throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  /** Fails the run with a NonFiniteLossError for the step at `place`, whose parameters `restoredStep` holds. */
  diverge(place: Omit<StepPlace, 'samples'>, restoredStep: number, what: string): never {
    return this.fail(new NonFiniteLossError(place.step, place.epoch, place.batch, restoredStep, what, place.lr));
  }

  /**
   * Starts the next batch, and the next epoch first when one is due (rate, shuffle, fresh sums); returns the
   * samples it covers in `order` and its place, numbered `step`. Throws once every epoch has run.
   */
  beginBatch(step: number): StepPlace & { start: number; end: number } {
    if (this.done) throw new Error(`training is complete: all ${this.config.epochs} epochs have run`);
    if (this.batchesDone === 0) this.startEpoch();
    const start = this.batchesDone * this.config.batchSize;
    const end = Math.min(start + this.config.batchSize, this.order.length);
    const place = { step, epoch: this.epochsDone + 1, batch: this.batchesDone + 1, lr: this.optimizer.lr };
    return { ...place, samples: end - start, start, end };
  }

  /** Counts the batch begun last as done (CPU: trained; GPU: submitted); its step is recorded when reported. */
  advanceBatch(): void {
    this.batchesDone++;
  }

  /** Adds a trained step to the epoch's sums and emits its report; its predictions are in `confusion` already. */
  recordStep(place: StepPlace, loss: number, correct: number, layers: LayerStats[]): StepReport {
    this.stepsDone = place.step;
    this.epochLossSum += loss * place.samples;
    this.epochCorrect += correct;
    this.epochSamples += place.samples;
    const report: StepReport = {
      step: place.step,
      epoch: place.epoch,
      batch: place.batch,
      batchesPerEpoch: this.batchesPerEpoch,
      samples: place.samples,
      loss,
      accuracy: correct / place.samples,
      lr: place.lr,
      layers,
    };
    this.emit({ type: 'step', report });
    return report;
  }

  /**
   * Closes the epoch whose batches are all reported, with its validation result: the report joins the history.
   * The caller then (with the network holding the epoch's weights) calls trackBest and announceEpoch.
   */
  closeEpoch(validation: Evaluation | null): EpochReport {
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
    this.batchesDone = 0;
    return report;
  }

  /** Updates the best epoch (copying the network's state when the run keeps it) and early stopping. */
  trackBest(report: EpochReport): void {
    const tracking = { best: this.bestSoFar, epochsWithoutImprovement: this.epochsWithoutImprovement };
    const next = trackBestEpoch(tracking, report, this.network, this.config);
    this.bestSoFar = next.best;
    this.epochsWithoutImprovement = next.epochsWithoutImprovement;
    if (next.stopEarly) this.stoppedEarlyAt = this.epochsDone;
  }

  /** Emits the epoch's report, and the end of the run when this was its last epoch. */
  announceEpoch(report: EpochReport): void {
    this.emit({ type: 'epoch', report });
    if (this.done) this.emit({ type: 'done', history: this.history });
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

  /** A copy of the state the next step depends on (see checkpoint.ts), with the optimizer's state given. */
  checkpoint(optimizer: OptimizerState): TrainerCheckpoint {
    return {
      completedSteps: this.stepsDone,
      completedEpochs: this.epochsDone,
      batchInEpoch: this.batchesDone,
      baseLearningRate: this.baseLr,
      order: this.order.slice(),
      epochTotals: {
        lossSum: this.epochLossSum,
        correct: this.epochCorrect,
        samples: this.epochSamples,
        confusion: this.epochConfusion.map((row) => [...row]),
      },
      history: structuredClone(this.history),
      optimizer,
      rng: this.network.rng.getState(),
      best: this.bestSoFar,
      epochsWithoutImprovement: this.epochsWithoutImprovement,
    };
  }

  /** Takes over `checkpoint` (checked by the caller) and the optimizer state in it; the parameters are the caller's. */
  restore(checkpoint: TrainerCheckpoint): void {
    const { epochTotals } = checkpoint;
    this.optimizer.setState(checkpoint.optimizer);
    this.network.rng.setState(checkpoint.rng);
    this.order.set(checkpoint.order);
    this.stepsDone = checkpoint.completedSteps;
    this.epochsDone = checkpoint.completedEpochs;
    this.batchesDone = checkpoint.batchInEpoch;
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
    // Mid-epoch the optimizer state carries the epoch's rate; between epochs startEpoch sets the next one.
    if (this.batchesDone === 0) this.optimizer.lr = this.scheduledLearningRate();
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

  private emit(event: TrainerEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
