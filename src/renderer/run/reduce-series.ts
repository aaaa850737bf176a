/**
 * Appends one progress or epoch event to the chart series. Arrays are replaced, never mutated, and frozen, so
 * a chart that was handed the previous array can tell what changed and chart.js cannot patch them.
 */
import type { ProgressEvent } from '../../engine/protocol';
import { SMOOTHING } from '../../engine/session/progress';
import type { EpochReport } from '../../engine/trainer/events';
import type { ChartSeries, LayerSeries, Point, Smoothing } from './run-state';

function appended(points: readonly Point[], added: readonly Point[]): Point[] {
  return added.length === 0 ? (points as Point[]) : (Object.freeze([...points, ...added]) as Point[]);
}

/**
 * The smoothed curves are computed per step here with the engine's own factor, so they are as fine as the raw
 * loss although the engine sends its smoothed value only once per event; the last value equals the event's.
 */
function smoothSteps(
  smoothing: Smoothing,
  event: ProgressEvent,
): { smoothing: Smoothing; loss: Point[]; accuracy: Point[] } {
  let { loss, accuracy, weight } = smoothing;
  const lossPoints: Point[] = [];
  const accuracyPoints: Point[] = [];
  event.recent.steps.forEach((step, i) => {
    loss = SMOOTHING * loss + (1 - SMOOTHING) * event.recent.loss[i];
    accuracy = SMOOTHING * accuracy + (1 - SMOOTHING) * event.recent.accuracy[i];
    weight = SMOOTHING * weight + (1 - SMOOTHING);
    lossPoints.push({ x: step, y: loss / weight });
    accuracyPoints.push({ x: step, y: accuracy / weight });
  });
  return { smoothing: { loss, accuracy, weight }, loss: lossPoints, accuracy: accuracyPoints };
}

/** Log-scale charts cannot place zero or non-finite values; such a point is left out rather than drawn wrong. */
function plottable(x: number, y: number): Point[] {
  return Number.isFinite(y) && y > 0 ? [{ x, y }] : [];
}

/**
 * One series per layer path, so the layers inside a residual block (which share the block's top-level index)
 * keep their own lines. Series stay in the order they first arrive, which is the network's order.
 */
function layersWith(layers: readonly LayerSeries[], event: ProgressEvent): LayerSeries[] {
  const next = [...layers];
  for (const stats of event.layers) {
    const at = next.findIndex((series) => series.path === stats.path);
    const current =
      at >= 0 ? next[at] : { layer: stats.layer, path: stats.path, type: stats.type, gradNorm: [], updateRatio: [] };
    const updated: LayerSeries = {
      ...current,
      gradNorm: appended(current.gradNorm, plottable(event.step, stats.gradNorm)),
      updateRatio: appended(current.updateRatio, plottable(event.step, stats.updateRatio)),
    };
    if (at >= 0) next[at] = updated;
    else next.push(updated);
  }
  return next;
}

export function seriesWithProgress(
  series: ChartSeries,
  smoothing: Smoothing,
  event: ProgressEvent,
): { series: ChartSeries; smoothing: Smoothing } {
  const smoothed = smoothSteps(smoothing, event);
  const raw = event.recent.steps.map((step, i) => ({ x: step, y: event.recent.loss[i] }));
  return {
    smoothing: smoothed.smoothing,
    series: {
      ...series,
      loss: appended(series.loss, raw),
      lossSmoothed: appended(series.lossSmoothed, smoothed.loss),
      accuracySmoothed: appended(series.accuracySmoothed, smoothed.accuracy),
      learningRate: appended(series.learningRate, [{ x: event.step, y: event.learningRate }]),
      layers: layersWith(series.layers, event),
    },
  };
}

/** Validation metrics sit at the step that ended their epoch. */
export function seriesWithEpoch(series: ChartSeries, report: EpochReport, step: number): ChartSeries {
  if (report.validation === null) return series;
  return {
    ...series,
    validationLoss: appended(series.validationLoss, [{ x: step, y: report.validation.loss }]),
    validationAccuracy: appended(series.validationAccuracy, [{ x: step, y: report.validation.accuracy }]),
  };
}
