/**
 * The part of a trainer that only shows its RunPlan and RunBookkeeping (samples, normalization, progress, best
 * epoch, events, the base learning rate), written once for the CPU Trainer and the GpuTrainer, which extend it and
 * differ only in how they train a batch.
 */
import type { Normalization } from '../data/dataset';
import type { BestSoFar } from './checkpoint';
import type { EpochReport, TrainerListener } from './events';
import type { RunBookkeeping } from './run-bookkeeping';
import type { RunPlan } from './run-plan';

export abstract class BookkeptTrainer {
  /** Both set by the subclass's constructor, before anything reads them. */
  protected abstract readonly plan: RunPlan;
  protected abstract readonly run: RunBookkeeping;

  /** Indices into data.train that are trained on, ascending (the rest, if split off, validate). */
  get trainIndices(): Int32Array {
    return this.plan.trainIndices;
  }

  /** Indices of the validation samples in their dataset, or null without validation. */
  get validationIndices(): Int32Array | null {
    return this.plan.validation?.indices ?? null;
  }

  /** The input normalization every batch gets; prediction and export must apply the same. */
  get normalization(): Normalization | undefined {
    return this.plan.normalization;
  }

  /** One report per finished epoch. */
  get history(): EpochReport[] {
    return this.run.history;
  }

  get batchesPerEpoch(): number {
    return this.run.batchesPerEpoch;
  }

  get totalSteps(): number {
    return this.run.totalSteps;
  }

  /** Every epoch has run, or the run stopped early. */
  get done(): boolean {
    return this.run.done;
  }

  /** True when the run ended before its last epoch because the monitored loss stopped improving. */
  get stoppedEarly(): boolean {
    return this.run.stoppedEarly;
  }

  /** The epoch with the lowest monitored loss so far, with the state after it when config.keepBest is on. */
  get best(): BestSoFar | null {
    return this.run.best;
  }

  /** Steps reported so far (a GPU run reports its submitted steps at its next readback). */
  get completedSteps(): number {
    return this.run.completedSteps;
  }

  get completedEpochs(): number {
    return this.run.completedEpochs;
  }

  /** Calls `listener` synchronously for every event; returns the function that unsubscribes it. */
  onEvent(listener: TrainerListener): () => void {
    return this.run.onEvent(listener);
  }

  /**
   * Changes the learning rate from the next step on, as if the run had been configured with it: the schedule
   * keeps applying on top (so a step schedule halves the new rate, not the old one).
   */
  setBaseLearningRate(lr: number): void {
    this.run.setBaseLearningRate(lr);
  }
}
