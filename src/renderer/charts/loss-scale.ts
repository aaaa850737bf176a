/** The loss chart's two axes: linear from 0, or logarithmic, where one spike no longer flattens the rest. */
import type { Point } from '../run/run-state';

export type LossScale = 'linear' | 'logarithmic';

export function lossAxis(scale: LossScale): { type: LossScale; min?: number } {
  return scale === 'logarithmic' ? { type: 'logarithmic' } : { type: 'linear', min: 0 };
}

/** A log axis cannot place 0 (a batch fitted perfectly): such points are left out rather than drawn wrong. */
export function lossPoints(scale: LossScale, points: Point[]): Point[] {
  return scale === 'logarithmic' ? points.filter((point) => point.y > 0) : points;
}
