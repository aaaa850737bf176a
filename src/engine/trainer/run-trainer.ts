/**
 * What a session's training run needs from a trainer, met by the CPU Trainer and the GPU's GpuTrainer alike.
 * The GPU trainer's step resolves once its batch is submitted and reports steps in bulk a few steps later; its
 * sync() brings every report and the current parameters and optimizer state back to the CPU.
 */
import type { Normalization } from '../data/dataset';
import type { Network } from '../network';
import type { BestSoFar, TrainerCheckpoint } from './checkpoint';
import type { EpochReport, TrainerListener } from './events';

export interface RunTrainer {
  readonly network: Network;
  readonly history: EpochReport[];
  readonly totalSteps: number;
  readonly trainIndices: Int32Array;
  readonly validationIndices: Int32Array | null;
  readonly normalization: Normalization | undefined;
  readonly done: boolean;
  readonly completedSteps: number;
  readonly completedEpochs: number;
  readonly batchesPerEpoch: number;
  /** The best epoch so far (with its weights when the run keeps them), and whether the run stopped early. */
  readonly best: BestSoFar | null;
  readonly stoppedEarly: boolean;
  /** CPU runs: whether step `step` (1-based) must leave every layer's output in network.activations. */
  activationsNeeded?: (step: number) => boolean;
  onEvent(listener: TrainerListener): () => void;
  /** Trains one batch (CPU: synchronously; GPU: a promise that resolves once it is submitted). */
  step(): unknown;
  setBaseLearningRate(lr: number): void;
  checkpoint(): TrainerCheckpoint;
  /** Continues from a checkpoint of a CPU or GPU run of the same data and settings. */
  restore(checkpoint: TrainerCheckpoint): void;
  /** GPU runs: waits until every step is reported and the CPU holds the run's current state. */
  sync?(): Promise<void>;
  /** GPU runs: frees the run's device memory once it can train no more. */
  dispose?(): void;
}
