/**
 * Everything a trainer holds that the next step depends on, beyond the parameters themselves: with it a later
 * session continues a run exactly as if it had never stopped (same batches, dropout masks and updates).
 */
import type { OptimizerState } from '../optim/optimizer';
import type { EpochReport } from './events';
import type { ConfusionMatrix } from './metrics';

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
}
