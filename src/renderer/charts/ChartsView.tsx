/**
 * The Charts tab: live loss (linear or log axis), accuracy, per-layer gradient norms and update ratios, the learning rate, the
 * engine's warnings, and after each epoch the confusion matrix. Every chart has a fixed height, so nothing
 * moves as data arrives.
 */

import { useState } from 'react';
import type { RunController } from '../run/run-controller';
import { useRun } from '../run/run-store';
import { RunPicker } from '../runs/RunPicker';
import { ChartLegend, LayerLegend } from './ChartLegend';
import { ConfusionSection } from './ConfusionSection';
import { ACCURACY_CHART, GRADIENT_CHART, LEARNING_RATE_CHART, lossChart, UPDATE_RATIO_CHART } from './chart-specs';
import { LiveChart } from './LiveChart';
import type { LossScale } from './loss-scale';
import { WarningList } from './WarningList';

function EpochLine() {
  const last = useRun((view) => view.epochs.at(-1) ?? null);
  const stepped = useRun((view) => view.series.loss.length > 0);
  let text = 'Not trained yet: press Train, and the charts fill as the network learns.';
  if (last) {
    const validation = last.validation
      ? `, validation loss ${last.validation.loss.toPrecision(3)}, accuracy ${(last.validation.accuracy * 100).toFixed(1)}%`
      : '';
    text = `Epoch ${last.epoch}: train loss ${last.trainLoss.toPrecision(3)}, accuracy ${(last.trainAccuracy * 100).toFixed(1)}%${validation}`;
  } else if (stepped) {
    text = 'Training: validation points and the confusion matrix follow each epoch.';
  }
  return (
    <p className="charts__summary" data-testid="epoch-summary">
      {text}
    </p>
  );
}

function LossChart() {
  const [scale, setScale] = useState<LossScale>('linear');
  const log = scale === 'logarithmic';
  return (
    <LiveChart
      spec={lossChart(scale)}
      testId="chart-loss"
      legend={
        <>
          <ChartLegend
            items={[
              { label: 'batch', color: 'var(--accent)', kind: 'faint' },
              { label: 'smoothed', color: 'var(--accent)', kind: 'line' },
              { label: 'validation', color: 'var(--warn)', kind: 'dot' },
            ]}
          />
          <button
            type="button"
            className="chart-scale-toggle"
            aria-pressed={log}
            title={
              log
                ? 'Show the loss on a linear axis from 0'
                : 'Show the loss on a log axis: one spike no longer flattens the rest'
            }
            onClick={() => setScale(log ? 'linear' : 'logarithmic')}
            data-testid="loss-scale"
          >
            {log ? 'log' : 'linear'}
          </button>
        </>
      }
    />
  );
}

export function ChartsView({ controller }: { controller: RunController }) {
  return (
    <div className="charts">
      <RunPicker controller={controller} />
      <EpochLine />
      <LossChart />
      <LiveChart
        spec={ACCURACY_CHART}
        testId="chart-accuracy"
        legend={
          <ChartLegend
            items={[
              { label: 'train (smoothed)', color: 'var(--accent)', kind: 'line' },
              { label: 'validation', color: 'var(--warn)', kind: 'dot' },
            ]}
          />
        }
      />
      <LiveChart spec={GRADIENT_CHART} testId="chart-gradients" legend={<LayerLegend />} legendLines={2} />
      <LiveChart spec={UPDATE_RATIO_CHART} testId="chart-update-ratio" legend={<LayerLegend />} legendLines={2} />
      <LiveChart spec={LEARNING_RATE_CHART} testId="chart-learning-rate" />
      <WarningList />
      <ConfusionSection controller={controller} />
    </div>
  );
}
