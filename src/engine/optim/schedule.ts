/**
 * Learning-rate schedules, evaluated once per epoch (epoch e counts from 0) as PyTorch's schedulers do when
 * scheduler.step() is called after each epoch:
 *   constant: lr_e = lr
 *   step:     lr_e = lr · γ^floor(e / stepSize)                               (torch.optim.lr_scheduler.StepLR)
 *   cosine:   lr_e = min + (lr − min) · (1 + cos(π·e / E)) / 2 over the E training epochs
 *             (CosineAnnealingLR with T_max = E, eta_min = min): the first epoch uses lr, the last one lr_(E−1).
 */

export type LrSchedule =
  | { type: 'constant' }
  | { type: 'step'; stepSize: number; gamma: number }
  | { type: 'cosine'; minLr: number };

export function learningRateAt(schedule: LrSchedule, baseLr: number, epoch: number, totalEpochs: number): number {
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
export function checkSchedule(schedule: LrSchedule): void {
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
