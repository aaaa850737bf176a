/** The compare charts: one smoothed line and one set of validation dots per run, in the run's colour. */

import { faded } from './chart-theme';
import type { ComparedRun } from './compare-series';
import { memoizedComparedRuns } from './compare-series';
import type { LineDataset, LiveChartSpec } from './LiveChart';

const select = memoizedComparedRuns();

const linesOf =
  (pick: (run: ComparedRun) => { train: ComparedRun['loss']; validation: ComparedRun['loss'] }) =>
  (runs: ComparedRun[]): LineDataset[] =>
    runs.flatMap((run) => {
      const { train, validation } = pick(run);
      return [
        { label: `${run.name} (train, smoothed)`, data: train, borderColor: run.color, borderWidth: 2 },
        {
          label: `${run.name} (validation)`,
          data: validation,
          borderColor: faded(run.color, 0.7),
          backgroundColor: run.color,
          borderDash: [4, 3],
          borderWidth: 1,
          pointRadius: 3,
          clip: 4,
        },
      ];
    });

const epochTitle = (x: number) => `epoch ${Number(x.toFixed(2))}`;

export const COMPARE_LOSS_CHART: LiveChartSpec<ComparedRun[]> = {
  title: 'Loss by epoch',
  select,
  datasets: linesOf((run) => ({ train: run.loss, validation: run.validationLoss })),
  y: { type: 'linear', min: 0, grace: '5%' },
  xTitle: epochTitle,
};

const percent = (value: number) => `${Math.round(value * 100)}%`;

export const COMPARE_ACCURACY_CHART: LiveChartSpec<ComparedRun[]> = {
  title: 'Accuracy by epoch',
  select,
  datasets: linesOf((run) => ({ train: run.accuracy, validation: run.validationAccuracy })),
  y: { type: 'linear', min: 0, max: 1, format: percent },
  xTitle: epochTitle,
};
