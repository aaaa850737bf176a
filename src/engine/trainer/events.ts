/** What a training run reports as it goes: one event per step, one per epoch, one at the end. */
import type { Evaluation } from './evaluate';
import type { ConfusionMatrix, LayerStats } from './metrics';

export interface StepReport {
  /** Steps completed in the run so far, this one included (counting from 1). */
  step: number;
  /** Epoch of this step, counting from 1. */
  epoch: number;
  /** Batch within the epoch, counting from 1; the epoch ends when batch = batchesPerEpoch. */
  batch: number;
  batchesPerEpoch: number;
  /** Samples in this batch (the last batch of an epoch may be smaller). */
  samples: number;
  /** Mean loss of the batch, computed before the update. */
  loss: number;
  accuracy: number;
  lr: number;
  /** Gradient and weight norms and update/weight ratios of the layers with parameters. */
  layers: LayerStats[];
}

export interface EpochReport {
  /** Counting from 1. */
  epoch: number;
  lr: number;
  /** Over the epoch's batches as they were trained (dropout on, weights changing between batches). */
  trainLoss: number;
  trainAccuracy: number;
  trainConfusion: ConfusionMatrix;
  /** The validation samples after the epoch, in evaluation mode; null when the run has no validation data. */
  validation: Evaluation | null;
}

export type TrainerEvent =
  | { type: 'step'; report: StepReport }
  | { type: 'epoch'; report: EpochReport }
  | { type: 'done'; history: readonly EpochReport[] };

export type TrainerListener = (event: TrainerEvent) => void;
