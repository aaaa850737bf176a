/**
 * A chart.js line chart fed straight from the run store: it subscribes to the store, and when its slice of
 * the view changes it swaps the datasets' data and redraws with update('none') (no animation). React renders
 * the component once per theme; training progress never goes through React here.
 */
import type { ChartConfiguration, ChartDataset, ScaleOptions } from 'chart.js';
import { type ReactNode, useEffect, useRef } from 'react';
import type { Point, RunView } from '../run/run-state';
import { runStore } from '../run/run-store';
import { Chart } from './chart-setup';
import { type ChartTheme, readChartTheme, useColorScheme } from './chart-theme';

export type LineDataset = ChartDataset<'line', Point[]>;

export interface LiveChartSpec<Slice> {
  title: string;
  /** The part of the view this chart draws; the chart redraws when it changes identity. */
  select(view: RunView): Slice;
  datasets(slice: Slice, theme: ChartTheme): LineDataset[];
  y: {
    type: 'linear' | 'logarithmic';
    min?: number;
    max?: number;
    /** Extra room above the data (chart.js `grace`). */
    grace?: string;
    /** The range shown before data arrives; data outside it widens it (chart.js suggestedMin/Max). */
    suggested?: [number, number];
    format?: (value: number) => string;
  };
  /** What x means in the tooltip's title; steps unless said otherwise. */
  xTitle?: (x: number) => string;
}

/** Log axes label 1, 2 and 5 of each decade ("2e-3"); chart.js also places ticks between them. */
const LOG_LABEL = (value: number) => {
  const exponent = Math.floor(Math.log10(value) + 1e-9);
  const mantissa = value / 10 ** exponent;
  const labelled = [1, 2, 5].find((m) => Math.abs(mantissa - m) < 1e-6);
  return labelled === undefined ? '' : `${labelled}e${exponent}`;
};

function options(spec: LiveChartSpec<unknown>, theme: ChartTheme): ChartConfiguration<'line', Point[]>['options'] {
  const axis = (extra: ScaleOptions<'linear'> | ScaleOptions<'logarithmic'>) => ({
    grid: { color: theme.grid, drawTicks: false },
    border: { color: theme.grid },
    ticks: { color: theme.muted, font: { family: theme.font, size: 10 }, padding: 4, maxTicksLimit: 6 },
    ...extra,
  });
  const format = spec.y.format ?? (spec.y.type === 'logarithmic' ? LOG_LABEL : undefined);
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hitRadius: 6 }, line: { borderWidth: 1.5, tension: 0 } },
    plugins: {
      legend: { display: false },
      tooltip: {
        backgroundColor: theme.surface,
        titleColor: theme.text,
        bodyColor: theme.text,
        borderColor: theme.grid,
        borderWidth: 1,
        titleFont: { family: theme.font },
        bodyFont: { family: theme.font },
        callbacks: {
          title: (items) => {
            const x = items[0]?.parsed.x;
            if (x === undefined || x === null) return '';
            return spec.xTitle ? spec.xTitle(x) : `step ${x}`;
          },
        },
      },
    },
    scales: {
      x: axis({ type: 'linear', min: 0, ticks: { precision: 0 } } as ScaleOptions<'linear'>),
      y: axis({
        type: spec.y.type,
        min: spec.y.min,
        max: spec.y.max,
        grace: spec.y.grace,
        suggestedMin: spec.y.suggested?.[0],
        suggestedMax: spec.y.suggested?.[1],
        ticks: format ? { callback: (value: number | string) => format(Number(value)) } : {},
      } as ScaleOptions<'linear'>),
    },
  };
}

/** Replaces the datasets' contents in place so chart.js keeps its per-dataset state. */
function apply(chart: Chart<'line', Point[]>, datasets: LineDataset[]): void {
  const current = chart.data.datasets;
  current.length = Math.min(current.length, datasets.length);
  datasets.forEach((dataset, i) => {
    if (current[i]) Object.assign(current[i], dataset);
    else current.push(dataset);
  });
  chart.update('none');
}

export function LiveChart<Slice>({
  spec,
  legend,
  legendLines = 1,
  testId,
}: {
  spec: LiveChartSpec<Slice>;
  legend?: ReactNode;
  /** Lines kept for the title and legend whatever they hold, so the plot never moves. */
  legendLines?: 1 | 2;
  testId: string;
}) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const scheme = useColorScheme();

  // biome-ignore lint/correctness/useExhaustiveDependencies: the scheme arrives through CSS variables; a switch must rebuild the chart.
  useEffect(() => {
    if (!canvas.current) return;
    const theme = readChartTheme();
    let slice = spec.select(runStore.getState().view);
    const chart = new Chart<'line', Point[]>(canvas.current, {
      type: 'line',
      data: { datasets: spec.datasets(slice, theme) },
      options: options(spec as LiveChartSpec<unknown>, theme),
    });
    const figure = canvas.current.parentElement?.parentElement;
    // How many points each line holds, on the figure: what the browser tests read instead of pixels.
    const note = () => figure?.setAttribute('data-points', chart.data.datasets.map((d) => d.data.length).join(','));
    note();
    const unsubscribe = runStore.subscribe((state) => {
      const next = spec.select(state.view);
      if (next === slice) return;
      slice = next;
      apply(chart, spec.datasets(slice, theme));
      note();
    });
    return () => {
      unsubscribe();
      chart.destroy();
    };
  }, [spec, scheme]);

  return (
    <figure className="live-chart" data-testid={testId} data-scale={spec.y.type}>
      <figcaption className={`live-chart__title${legendLines === 2 ? ' live-chart__title--two-lines' : ''}`}>
        {spec.title}
        {legend}
      </figcaption>
      <div className="live-chart__plot">
        <canvas ref={canvas} role="img" aria-label={`${spec.title} chart`} />
      </div>
    </figure>
  );
}
