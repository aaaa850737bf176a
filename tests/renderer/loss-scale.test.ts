/**
 * The loss chart's log/linear toggle: on a log axis one spike no longer flattens the rest, and points a log
 * axis cannot place (a batch with loss 0) are left out instead of drawn at the bottom edge.
 */
import { describe, expect, it } from 'vitest';
import { lossAxis, lossPoints } from '../../src/renderer/charts/loss-scale';

describe('loss chart scale', () => {
  it('is linear from 0, or logarithmic leaving out what a log axis cannot place', () => {
    const points = [
      { x: 1, y: 2.3 },
      { x: 2, y: 0 },
      { x: 3, y: 120_000 },
    ];
    expect(lossAxis('linear')).toEqual({ type: 'linear', min: 0 });
    expect(lossPoints('linear', points)).toBe(points);
    expect(lossAxis('logarithmic').type).toBe('logarithmic');
    expect(lossAxis('logarithmic').format?.(2.2345)).toBe('2.2');
    expect(lossPoints('logarithmic', points).map((p) => p.x)).toEqual([1, 3]);
  });
});
