/** A chart's key in HTML beside its title (chart.js's own legend would take plot height and reflow). */
import { layerColor } from '../layer-color';
import type { RunView } from '../run/run-state';
import { useRun } from '../run/run-store';

export interface LegendItem {
  label: string;
  /** A CSS colour; theme variables work here. */
  color: string;
  kind: 'line' | 'faint' | 'dot';
}

export function ChartLegend({ items }: { items: LegendItem[] }) {
  return (
    <span className="chart-legend">
      {items.map((item) => (
        <span key={item.label} className="chart-legend__item">
          <span className={`chart-legend__swatch chart-legend__swatch--${item.kind}`} style={{ color: item.color }} />
          {item.label}
        </span>
      ))}
    </span>
  );
}

/**
 * The layers that have lines, as "index:path:type" joined: a string, so the legend re-renders only when they
 * change. Paths ("3.body.1") and type names hold neither ':' nor ','.
 */
const layerKey = (view: RunView) =>
  view.series.layers.map((layer) => `${layer.layer}:${layer.path}:${layer.type}`).join(',');

export function LayerLegend() {
  const key = useRun(layerKey);
  const items: LegendItem[] = key
    ? key.split(',').map((entry) => {
        const [index, path, type] = entry.split(':');
        return { label: `${path} ${type}`, color: layerColor(Number(index)), kind: 'line' };
      })
    : [];
  return <ChartLegend items={items} />;
}
