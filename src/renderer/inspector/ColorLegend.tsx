/** The shared colour scale of a group of maps: −scale, 0, +scale, with the gradient between. */
import { formatValue } from './format';

export function ColorLegend({ scale }: { scale: number }) {
  return (
    <div
      className="heat-legend"
      role="img"
      aria-label={`colour scale from ${formatValue(-scale)} to ${formatValue(scale)}`}
    >
      <span className="heat-legend__value">{formatValue(-scale)}</span>
      <span className="heat-legend__bar" />
      <span className="heat-legend__value">{formatValue(scale)}</span>
    </div>
  );
}
