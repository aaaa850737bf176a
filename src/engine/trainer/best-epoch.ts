/**
 * Keeping the best epoch and early stopping, shared by the CPU and GPU trainers: the best epoch is the one with
 * the lowest validation loss (training loss without validation); strictly lower counts as better, so the first
 * of equal epochs stays the best. The network's state is copied only when the run keeps best weights.
 */
import type { Network } from '../network';
import type { BestSoFar } from './checkpoint';
import { TRAIN_DEFAULTS, type TrainConfig } from './config';
import type { EpochReport } from './events';
import { copyNetworkState } from './network-state';

export interface BestTracking {
  best: BestSoFar | null;
  /** Epochs since the monitored loss last improved. */
  epochsWithoutImprovement: number;
}

/** The tracking after `report` (the epoch just finished, `network` holding its weights) and whether to stop. */
export function trackBestEpoch(
  tracking: BestTracking,
  report: EpochReport,
  network: Network,
  config: TrainConfig,
): BestTracking & { stopEarly: boolean } {
  const by = report.validation ? 'validation' : 'train';
  const loss = report.validation?.loss ?? report.trainLoss;
  const accuracy = report.validation?.accuracy ?? report.trainAccuracy;
  if (tracking.best === null || loss < tracking.best.loss) {
    const keep = config.keepBest ?? TRAIN_DEFAULTS.keepBest;
    const best = { epoch: report.epoch, loss, accuracy, by, state: keep ? copyNetworkState(network) : null } as const;
    return { best, epochsWithoutImprovement: 0, stopEarly: false };
  }
  const epochsWithoutImprovement = tracking.epochsWithoutImprovement + 1;
  const patience = config.patience ?? TRAIN_DEFAULTS.patience;
  const stopEarly = patience !== null && epochsWithoutImprovement >= patience && report.epoch < config.epochs;
  return { best: tracking.best, epochsWithoutImprovement, stopEarly };
}
