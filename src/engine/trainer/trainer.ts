/**
 * The trainer runs a network over a dataset one batch at a time and is driven from outside: step() trains
 * one batch synchronously and returns, so a session can pause, resume, stop or single-step between batches
 * from its message loop; fit() just loops for tests and the CLI. Every random choice (split, shuffle, dropout)
 * comes from the network's Rng, so a run is reproducible from its seed. What it shares with the GpuTrainer (the
 * split, the counters and epoch sums, best epoch, schedule, checkpoints, events) is in run-plan.ts,
 * run-bookkeeping.ts and bookkept-trainer.ts; this file keeps the CPU's own step on the engine's kernels.
 */
import type { Network } from '../network';
import { createOptimizer } from '../optim/create-optimizer';
import type { Optimizer } from '../optim/optimizer';
import { BatchAugmenter, isAugmenting } from './augment';
import { BatchLoader } from './batches';
import { BookkeptTrainer } from './bookkept-trainer';
import type { TrainerCheckpoint } from './checkpoint';
import { checkTrainConfig, type TrainConfig } from './config';
import { evaluate } from './evaluate';
import type { EpochReport, StepReport } from './events';
import { layerStats, tallyPredictions } from './metrics';
import { RunBookkeeping, type StepPlace, UPDATE_NOT_FINITE } from './run-bookkeeping';
import { otherSamplesError, planRun, type RunPlan, type TrainData } from './run-plan';
import { trainBatch } from './train-batch';

interface ValidationSet {
  loader: BatchLoader;
  indices: Int32Array;
}

export class Trainer extends BookkeptTrainer {
  readonly optimizer: Optimizer;

  /**
   * Whether step `step` (1-based) must leave every layer's output in network.activations; otherwise the
   * data-parallel step copies out only the network output (see train-batch.ts). Every step unless told otherwise:
   * a session's run asks only on the steps its training monitor reads them.
   */
  activationsNeeded: (step: number) => boolean = () => true;

  /** The run's samples, normalization and settings. */
  protected readonly plan: RunPlan;
  /** Counters, epoch sums, best epoch, schedule, events and checkpoints, kept as the GPU trainer keeps them. */
  protected readonly run: RunBookkeeping;
  private readonly loader: BatchLoader;
  /** Crops and flips training batches (never validation ones); null without augmentation. */
  private readonly augmenter: BatchAugmenter | null;
  private readonly validation: ValidationSet | null;
  /** Parameter values before the latest update, for update ratios and for restoring after a divergence. */
  private readonly before: Float32Array[];

  constructor(
    readonly network: Network,
    data: TrainData,
    config: TrainConfig,
  ) {
    super();
    const { train } = data;
    checkTrainConfig(config, train.shape.channels, train.shape.height, train.shape.width);
    const plan = planRun(network, data, config);
    this.plan = plan;
    this.loader = new BatchLoader(train, config.batchSize, this.normalization);
    this.augmenter = isAugmenting(config.augment)
      ? new BatchAugmenter(config.augment, train.shape.channels, this.normalization)
      : null;
    if (plan.validation === null) {
      this.validation = null;
    } else {
      // a split validates from the training set, through the training loader
      const loader =
        data.validation === undefined
          ? this.loader
          : new BatchLoader(plan.validation.dataset, config.batchSize, this.normalization);
      this.validation = { loader, indices: plan.validation.indices };
    }
    this.optimizer = createOptimizer(network.params, config.optimizer);
    this.run = new RunBookkeeping(network, plan.config, plan.trainIndices, this.optimizer);
    this.before = network.params.map((param) => new Float32Array(param.data.length));
  }

  /**
   * Trains one batch: forward, loss, backward, optimizer update; at the end of an epoch it also evaluates the
   * validation samples. Throws NonFiniteLossError (after restoring the last good parameters) if training diverges.
   */
  step(): StepReport {
    const { network, optimizer, run } = this;
    run.throwIfFailed();
    const { start, end, ...place } = run.beginBatch(run.completedSteps + 1);
    const x = this.loader.load(run.order, start, end);
    this.augmenter?.apply(x, network.rng);
    const { loss, output } = trainBatch(network, x, this.loader.labels, this.activationsNeeded(place.step));
    if (!Number.isFinite(loss)) this.diverged(place, `the loss is ${loss}`, place.step - 1);
    const correct = tallyPredictions(output, this.loader.labels, run.confusion);

    for (const [i, param] of network.params.entries()) this.before[i].set(param.data);
    optimizer.step();
    const layers = layerStats(network.layers, this.before);
    if (!layers.every((stats) => Number.isFinite(stats.weightNorm))) {
      this.diverged(place, UPDATE_NOT_FINITE, place.step);
    }

    run.advanceBatch();
    const report = run.recordStep(place, loss, correct, layers);
    if (run.epochBatchesDone) this.finishEpoch();
    return report;
  }

  /** A copy of the state the next step depends on (see checkpoint.ts); valid between steps. */
  checkpoint(): TrainerCheckpoint {
    return this.run.checkpoint(this.optimizer.getState());
  }

  /**
   * Continues from `checkpoint`, taken from a trainer over the same data with the same split, batch size and
   * optimizer (the network's parameters are restored separately). Throws, naming what differs, otherwise.
   */
  restore(checkpoint: TrainerCheckpoint): void {
    const { order } = checkpoint;
    if (!samePermutation(order, this.trainIndices)) {
      throw otherSamplesError(order.length, this.trainIndices.length);
    }
    if (checkpoint.batchInEpoch >= this.batchesPerEpoch || checkpoint.completedEpochs > this.plan.config.epochs) {
      throw new Error(
        `the saved run is at epoch ${checkpoint.completedEpochs + 1}, batch ${checkpoint.batchInEpoch + 1}, beyond this run's ${this.plan.config.epochs} epochs of ${this.batchesPerEpoch} batches`,
      );
    }
    this.run.restore(checkpoint);
    for (const [i, param] of this.network.params.entries()) this.before[i].set(param.data);
  }

  /** Trains until every epoch has run and returns the per-epoch history. */
  fit(): readonly EpochReport[] {
    while (!this.done) this.step();
    return this.history;
  }

  private finishEpoch(): void {
    const validation =
      this.validation === null
        ? null
        : evaluate(this.network, this.validation.loader.dataset, {
            indices: this.validation.indices,
            loader: this.validation.loader,
          });
    const report = this.run.closeEpoch(validation);
    this.run.trackBest(report);
    this.run.announceEpoch(report);
  }

  /**
   * Stops the run for good. `restoredStep` is the step whose starting parameters are the last good ones: those
   * are in `before` (copied as that step began its update), unless no step has completed an update yet.
   */
  private diverged(place: StepPlace, what: string, restoredStep: number): never {
    if (restoredStep > 0) for (const [i, param] of this.network.params.entries()) param.data.set(this.before[i]);
    return this.run.diverge(place, restoredStep, what);
  }
}

/** Whether `order` holds exactly the samples of `indices` (which are ascending), each once. */
function samePermutation(order: Int32Array, indices: Int32Array): boolean {
  if (order.length !== indices.length) return false;
  const sorted = order.slice().sort();
  return sorted.every((index, i) => index === indices[i]);
}
