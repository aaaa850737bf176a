/**
 * What each live chart draws. Per-step series are lines without points; per-epoch validation values are
 * points joined by a line. Per-layer lines take the layer's colour from the editor's cards.
 */
import { layerColor } from '../layer-color';
import type { ChartSeries, LayerSeries, Point, RunView } from '../run/run-state';
import { faded } from './chart-theme';
import type { LineDataset, LiveChartSpec } from './LiveChart';
import { type LossScale, lossAxis, lossPoints } from './loss-scale';

const series = (view: RunView) => view.series;

const epochPoints = (label: string, data: Point[], color: string): LineDataset => ({
  label,
  data,
  borderColor: color,
  backgroundColor: color,
  pointRadius: 3,
  borderWidth: 1.5,
  // A point on the last step sits on the plot's edge: let it draw whole.
  clip: 4,
});

const lossChartOf = (scale: LossScale): LiveChartSpec<ChartSeries> => ({
  title: 'Loss',
  select: series,
  datasets: (s, theme) => [
    { label: 'loss (batch)', data: lossPoints(scale, s.loss), borderColor: faded(theme.accent, 0.3), borderWidth: 1 },
    { label: 'loss (smoothed)', data: lossPoints(scale, s.lossSmoothed), borderColor: theme.accent, borderWidth: 2 },
    epochPoints('validation loss', lossPoints(scale, s.validationLoss), theme.validation),
  ],
  y: lossAxis(scale),
});

const LOSS_CHARTS: Record<LossScale, LiveChartSpec<ChartSeries>> = {
  linear: lossChartOf('linear'),
  logarithmic: lossChartOf('logarithmic'),
};

/** The loss chart on a linear axis from 0, or a log axis, where one spike no longer flattens the rest. */
export function lossChart(scale: LossScale): LiveChartSpec<ChartSeries> {
  return LOSS_CHARTS[scale];
}

const percent = (value: number) => `${Math.round(value * 100)}%`;

export const ACCURACY_CHART: LiveChartSpec<ChartSeries> = {
  title: 'Accuracy',
  select: series,
  datasets: (s, theme) => [
    { label: 'train accuracy (smoothed)', data: s.accuracySmoothed, borderColor: theme.accent, borderWidth: 2 },
    epochPoints('validation accuracy', s.validationAccuracy, theme.validation),
  ],
  y: { type: 'linear', min: 0, max: 1, format: percent },
};

const layerLines = (pick: (layer: LayerSeries) => Point[]) => (s: ChartSeries) =>
  s.layers.map((layer) => ({
    label: `layer ${layer.path} (${layer.type})`,
    data: pick(layer),
    borderColor: layerColor(layer.layer),
    backgroundColor: layerColor(layer.layer),
  }));

export const GRADIENT_CHART: LiveChartSpec<ChartSeries> = {
  title: 'Gradient norm per layer',
  select: series,
  datasets: layerLines((layer) => layer.gradNorm),
  y: { type: 'logarithmic', suggested: [1e-3, 10] },
};

export const UPDATE_RATIO_CHART: LiveChartSpec<ChartSeries> = {
  title: 'Update / weight ratio per layer',
  select: series,
  datasets: layerLines((layer) => layer.updateRatio),
  // Around 1e-3 is the healthy middle (metrics.ts).
  y: { type: 'logarithmic', suggested: [1e-5, 1e-1] },
};

export const LEARNING_RATE_CHART: LiveChartSpec<ChartSeries> = {
  title: 'Learning rate',
  select: series,
  datasets: (s, theme) => [
    { label: 'learning rate', data: s.learningRate, borderColor: theme.rate, borderWidth: 2, stepped: 'before' },
  ],
  // Headroom above the rate, so a constant rate is not drawn on the plot's top edge.
  y: { type: 'linear', min: 0, grace: '25%', format: (value) => String(Number(value.toPrecision(3))) },
};
