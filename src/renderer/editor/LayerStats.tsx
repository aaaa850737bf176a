import type { LayerReport } from '../../engine/spec/analyze';
import { formatCount } from './format';

/** A card's cost line: learned parameters and forward FLOPs per sample, exact numbers in the tooltip. */
export function LayerStats({ layer }: { layer: LayerReport | undefined }) {
  if (!layer || layer.params === null || layer.flops === null) {
    return (
      <p className="layer-card__stats layer-card__stats--unknown">Output unknown until the marked problem is fixed</p>
    );
  }
  const exact = `${layer.params.toLocaleString('en-US')} parameters, ${layer.flops.toLocaleString('en-US')} FLOPs per sample`;
  return (
    <p className="layer-card__stats" title={exact}>
      <span>
        <span className="stat__value">{formatCount(layer.params)}</span> params
      </span>
      <span>
        <span className="stat__value">{formatCount(layer.flops)}</span> FLOPs
      </span>
    </p>
  );
}
