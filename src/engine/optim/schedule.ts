/**
 * Learning-rate schedules, evaluated once per epoch (epoch e counts from 0) as PyTorch's schedulers do when
 * scheduler.step() is called after each epoch:
 *   constant: lr_e = lr
 *   step:     lr_e = lr · γ^floor(e / stepSize)                               (torch.optim.lr_scheduler.StepLR)
 *   cosine:   lr_e = min + (lr − min) · (1 + cos(π·e / E)) / 2 over the E training epochs
 *             (CosineAnnealingLR with T_max = E, eta_min = min): the first epoch uses lr, the last one lr_(E−1).
 * With W warmup epochs the rate first climbs linearly, lr_e = lr · (e + 1)/(W + 1) for e < W (torch's LinearLR
 * with start_factor 1/(W + 1), end_factor 1, total_iters W), then the schedule above runs over the remaining
 * E − W epochs as if they were the whole run (torch's SequentialLR with milestones [W]).
 */

export type LrSchedule =
  | { type: 'constant' }
  | { type: 'step'; stepSize: number; gamma: number }
  | { type: 'cosine'; minLr: number };

export function learningRateAt(
  schedule: LrSchedule,
  baseLr: number,
  epoch: number,
  totalEpochs: number,
  warmupEpochs = 0,
): number {
  if (epoch < warmupEpochs) return (baseLr * (epoch + 1)) / (warmupEpochs + 1);
  return scheduledRate(schedule, baseLr, epoch - warmupEpochs, Math.max(1, totalEpochs - warmupEpochs));
}

function scheduledRate(schedule: LrSchedule, baseLr: number, epoch: number, totalEpochs: number): number {
  switch (schedule.type) {
    case 'constant':
      return baseLr;
    case 'step':
      return baseLr * schedule.gamma ** Math.floor(epoch / schedule.stepSize);
    case 'cosine':
      return schedule.minLr + ((baseLr - schedule.minLr) * (1 + Math.cos((Math.PI * epoch) / totalEpochs))) / 2;
  }
}

/** Throws with the field at fault when a schedule cannot be used. */
export function checkSchedule(schedule: LrSchedule, warmupEpochs = 0): void {
  if (!Number.isInteger(warmupEpochs) || warmupEpochs < 0) {
    throw new Error(`warmup must be a whole number of epochs ≥ 0, got ${JSON.stringify(warmupEpochs)}`);
  }
  if (schedule.type === 'step') {
    if (!Number.isInteger(schedule.stepSize) || schedule.stepSize < 1) {
      throw new Error(`step schedule: stepSize must be an integer ≥ 1 epoch, got ${JSON.stringify(schedule.stepSize)}`);
    }
    if (!(schedule.gamma > 0))
      throw new Error(`step schedule: gamma must be > 0, got ${JSON.stringify(schedule.gamma)}`);
  }
  if (schedule.type === 'cosine' && !(schedule.minLr >= 0)) {
    throw new Error(`cosine schedule: minLr must be ≥ 0, got ${JSON.stringify(schedule.minLr)}`);
  }
}
