/** The loss chart's two axes: linear from 0, or logarithmic, where one spike no longer flattens the rest. */
import type { Point } from '../run/run-state';

export type LossScale = 'linear' | 'logarithmic';

/** Losses often span less than a decade, so the log axis labels its ticks with two significant digits. */
export const LOSS_TICK = (value: number) => String(Number(value.toPrecision(2)));

export function lossAxis(scale: LossScale): { type: LossScale; min?: number; format?: (value: number) => string } {
  return scale === 'logarithmic' ? { type: 'logarithmic', format: LOSS_TICK } : { type: 'linear', min: 0 };
}

/** A log axis cannot place 0 (a batch fitted perfectly): such points are left out rather than drawn wrong. */
export function lossPoints(scale: LossScale, points: Point[]): Point[] {
  return scale === 'logarithmic' ? points.filter((point) => point.y > 0) : points;
}
