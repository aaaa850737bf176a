/** Maps the user's TrainingSettings onto the trainer's TrainConfig. */
import type { OptimizerConfig } from '../optim/optimizer';
import type { TrainConfig } from '../trainer/config';
import type { TrainingSettings } from '../training-settings';

export function optimizerConfig(settings: TrainingSettings): OptimizerConfig {
  if (settings.optimizer === 'adamw') {
    const { learningRate: lr, beta1, beta2, eps, weightDecay } = settings;
    return { type: 'adamw', lr, beta1, beta2, eps, weightDecay };
  }
  return settings.optimizer === 'sgd'
    ? {
        type: 'sgd',
        lr: settings.learningRate,
        momentum: settings.momentum,
        dampening: settings.dampening,
        nesterov: settings.nesterov,
        weightDecay: settings.weightDecay,
      }
    : {
        type: 'adam',
        lr: settings.learningRate,
        beta1: settings.beta1,
        beta2: settings.beta2,
        eps: settings.eps,
        weightDecay: settings.weightDecay,
      };
}

/**
 * Validation data: a stratified split of the training set when validationSplit > 0; otherwise the source's
 * test set when it has one (so epochs still report held-out metrics); otherwise none.
 */
export function trainConfig(settings: TrainingSettings, useTestSetForValidation: boolean): TrainConfig {
  return {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    optimizer: optimizerConfig(settings),
    schedule: settings.schedule,
    warmupEpochs: settings.warmupEpochs,
    augment: settings.augment,
    shuffle: settings.shuffle,
    validationSplit: useTestSetForValidation ? 0 : settings.validationSplit,
    normalization: settings.normalize ? 'from-training-samples' : undefined,
    keepBest: settings.keepBestWeights,
    patience: settings.stopAfterEpochsWithoutImprovement,
  };
}
