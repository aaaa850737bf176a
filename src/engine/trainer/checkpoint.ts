/**
 * Everything a trainer holds that the next step depends on, beyond the parameters themselves: with it a later
 * session continues a run exactly as if it had never stopped (same batches, dropout masks and updates).
 */
import type { OptimizerState } from '../optim/optimizer';
import type { EpochReport } from './events';
import type { ConfusionMatrix } from './metrics';
import type { NetworkState } from './network-state';

/** The epoch with the lowest monitored loss: validation loss, or training loss when there is no validation. */
export interface BestEpoch {
  epoch: number;
  loss: number;
  accuracy: number;
  by: 'validation' | 'train';
}

/** The best epoch and, when the run keeps best weights, the network state after it. */
export interface BestSoFar extends BestEpoch {
  state: NetworkState | null;
}

export interface TrainerCheckpoint {
  completedSteps: number;
  completedEpochs: number;
  /** Batches of the epoch in progress already trained (0 between epochs). */
  batchInEpoch: number;
  /** The learning rate the schedule scales (a mid-run change included). */
  baseLearningRate: number;
  /** The sample order of the epoch in progress, as shuffled when it began. */
  order: Int32Array;
  /** Sums over the batches of the epoch in progress, for its report. */
  epochTotals: { lossSum: number; correct: number; samples: number; confusion: ConfusionMatrix };
  history: EpochReport[];
  optimizer: OptimizerState;
  /** The run's Rng words (shuffling and dropout draw from it). */
  rng: number[];
  best: BestSoFar | null;
  /** Epochs since the monitored loss last improved (early stopping counts them). */
  epochsWithoutImprovement: number;
}
