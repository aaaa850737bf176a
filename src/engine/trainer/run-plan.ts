/**
 * Which samples a run trains and validates on, and the normalization they get: the CPU Trainer and the GpuTrainer
 * both start from this, so a run of the same seed splits and normalizes the same on either device.
 */
import type { Dataset, Normalization } from '../data/dataset';
import { computeNormalization } from '../data/normalize';
import type { Network } from '../network';
import { checkSpecMatchesData } from '../spec/analyze';
import { allIndices } from './batches';
import { TRAIN_DEFAULTS, type TrainConfig } from './config';
import { stratifiedSplit } from './split';

export interface TrainData {
  train: Dataset;
  /** A separate validation (test) set; otherwise config.validationSplit may hold out part of `train`. */
  validation?: Dataset;
}

export interface RunPlan {
  /** The run's own copy of the settings, so a caller changing its object later changes nothing. */
  config: TrainConfig;
  /** Indices into data.train that are trained on, ascending (the rest, if split off, validate). */
  trainIndices: Int32Array;
  /** The validation samples and their dataset (data.validation, or data.train for a split); null without. */
  validation: { dataset: Dataset; indices: Int32Array } | null;
  /** The input normalization every batch gets; prediction and export must apply the same. */
  normalization: Normalization | undefined;
}

/**
 * Checks that the data fits the network and splits it. `config` must have passed checkTrainConfig; the split draws
 * from the network's Rng, so this must run where the trainers always ran it (before anything else draws).
 */
export function planRun(network: Network, data: TrainData, config: TrainConfig): RunPlan {
  const { train, validation } = data;
  checkDatasetFits(network, train, 'training');
  if (validation !== undefined) checkDatasetFits(network, validation, 'validation');
  const split = config.validationSplit ?? TRAIN_DEFAULTS.validationSplit;
  if (validation !== undefined && split > 0) {
    throw new Error('give either a separate validation set or a validationSplit, not both');
  }
  let trainIndices: Int32Array;
  let validationPart: RunPlan['validation'];
  if (validation !== undefined) {
    trainIndices = allIndices(train.count);
    validationPart = { dataset: validation, indices: allIndices(validation.count) };
  } else if (split > 0) {
    const parts = stratifiedSplit(train.labels, network.classes, split, network.rng);
    trainIndices = parts.train;
    validationPart = { dataset: train, indices: parts.validation };
  } else {
    trainIndices = allIndices(train.count);
    validationPart = null;
  }
  if (trainIndices.length === 0) throw new Error('the training set has no samples left to train on');
  // Statistics come from the samples trained on only, so nothing of the validation samples leaks into training.
  const normalization =
    config.normalization === 'from-training-samples' ? computeNormalization(train, trainIndices) : config.normalization;
  return {
    config: { ...config, optimizer: { ...config.optimizer } },
    trainIndices,
    validation: validationPart,
    normalization,
  };
}

/** The error for a checkpoint of a run over other samples than the `selected` ones this run trains on. */
export function otherSamplesError(saved: number, selected: number): Error {
  return new Error(
    `the saved run trained on ${saved} samples, not the ${selected} selected now; load the same dataset with the same validation split and seed`,
  );
}

function checkDatasetFits(network: Network, dataset: Dataset, role: string): void {
  const errors = checkSpecMatchesData(network.spec, dataset.shape, dataset.classNames.length).filter(
    (issue) => issue.severity === 'error',
  );
  if (errors.length > 0) throw new Error(`${role} data: ${errors.map((issue) => issue.message).join('; ')}`);
}
