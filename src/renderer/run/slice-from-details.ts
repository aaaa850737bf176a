/**
 * A saved run's slice of the run view, as if its steps and epochs had just been reported: the loss and
 * accuracy curves from its per-step series (smoothed as live), the validation points, the epoch table and the
 * last confusion matrix. Runs from version 1 project files have no per-step series; their charts show epochs.
 */
import type { ProgressEvent, RunDetails } from '../../engine/protocol';
import { seriesWithEpoch, seriesWithProgress } from './reduce-series';
import { emptySlice, type RunSlice } from './run-state';

export function sliceFromDetails({ summary, history, series }: RunDetails): RunSlice {
  const steps = series.loss.length;
  const slice = emptySlice();
  let { series: chart, smoothing } = slice;
  if (steps > 0) {
    const recent = { steps: series.loss.map((_, i) => i + 1), loss: series.loss, accuracy: series.accuracy };
    const event = { recent, step: steps, learningRate: series.learningRate[steps - 1], layers: [] };
    ({ series: chart, smoothing } = seriesWithProgress(chart, smoothing, event as unknown as ProgressEvent));
    chart = { ...chart, learningRate: series.learningRate.map((y, i) => ({ x: i + 1, y })) };
  }
  const perEpoch = summary.completedEpochs > 0 && steps > 0 ? Math.floor(steps / summary.completedEpochs) : 1;
  for (const report of history) chart = seriesWithEpoch(chart, report, report.epoch * perEpoch);
  const last = history.at(-1);
  const validationPart = summary.validationPart;
  return {
    ...slice,
    run: {
      phase: summary.state,
      epoch: summary.completedEpochs,
      step: summary.completedSteps,
      totalSteps: Math.max(summary.completedSteps, perEpoch * summary.plannedEpochs),
    },
    series: chart,
    smoothing,
    epochs: history.map((report) => ({
      epoch: report.epoch,
      trainLoss: report.trainLoss,
      trainAccuracy: report.trainAccuracy,
      validation: report.validation && {
        loss: report.validation.loss,
        accuracy: report.validation.accuracy,
        count: report.validation.count,
      },
    })),
    confusion: !last
      ? null
      : last.validation && validationPart
        ? { epoch: last.epoch, part: validationPart, matrix: last.validation.confusion }
        : { epoch: last.epoch, part: 'train', matrix: last.trainConfusion },
  };
}
