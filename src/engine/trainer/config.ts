/** What a training run is asked to do, with its defaults defined once. Plain data, so it travels as JSON. */
import type { Normalization } from '../data/dataset';
import type { OptimizerConfig } from '../optim/optimizer';
import { checkSchedule, type LrSchedule } from '../optim/schedule';
import { type AugmentSettings, checkAugmentSettings } from './augment';

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  /** Learning rate by epoch (default constant); see optim/schedule.ts. */
  schedule?: LrSchedule;
  /** Epochs of linear warmup before the schedule (default 0); see optim/schedule.ts. */
  warmupEpochs?: number;
  /** Random crops and flips of training samples (default none); see augment.ts. */
  augment?: AugmentSettings;
  /** Reshuffle the training samples every epoch from the run's Rng (default true); otherwise batches follow dataset order. */
  shuffle?: boolean;
  /** Fraction of the training set held out for validation, stratified by class (default 0: train on every sample). */
  validationSplit?: number;
  /**
   * Per-channel normalization of every batch, after uint8 pixels are scaled to [0,1]: given, or computed on
   * the training samples (after the validation split) with 'from-training-samples'. Default: none.
   */
  normalization?: Normalization | 'from-training-samples';
  /** Copy the network state after each epoch that lowers the monitored loss (default false). */
  keepBest?: boolean;
  /** Stop once the monitored loss has not improved for this many epochs (default null: never). */
  patience?: number | null;
}

export const TRAIN_DEFAULTS = {
  schedule: { type: 'constant' } as LrSchedule,
  warmupEpochs: 0,
  shuffle: true,
  validationSplit: 0,
  keepBest: false,
  patience: null,
} as const;

function requireWhole(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`training ${field} must be a whole number ≥ 1, got ${JSON.stringify(value)}`);
  }
}

/** Throws with the field at fault; `channels`, `height` and `width` are the dataset's image shape. */
export function checkTrainConfig(config: TrainConfig, channels: number, height = 1, width = 1): void {
  requireWhole('epochs', config.epochs);
  requireWhole('batchSize', config.batchSize);
  const split = config.validationSplit ?? TRAIN_DEFAULTS.validationSplit;
  if (!(split >= 0 && split < 1)) {
    throw new Error(`validationSplit must be at least 0 and below 1, got ${JSON.stringify(split)}`);
  }
  checkSchedule(config.schedule ?? TRAIN_DEFAULTS.schedule, config.warmupEpochs ?? TRAIN_DEFAULTS.warmupEpochs);
  if (config.augment !== undefined) checkAugmentSettings(config.augment, height, width);
  if (config.patience !== undefined && config.patience !== null) requireWhole('patience', config.patience);
  const norm = config.normalization;
  if (norm !== undefined && norm !== 'from-training-samples') {
    if (norm.mean.length !== channels || norm.std.length !== channels) {
      throw new Error(
        `normalization needs one mean and one std per channel (${channels}), got ${norm.mean.length} and ${norm.std.length}`,
      );
    }
    if (!norm.std.every((std) => std > 0)) throw new Error('normalization std values must all be > 0');
  }
}
