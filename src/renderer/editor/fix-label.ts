/** The text on a one-click fix button, read beside the issue it repairs. */
import type { SpecFix } from '../../engine/spec/fixes';
import { formatSize } from '../../engine/spec/issues';
import type { LayerSpec, NetworkSpec } from '../../engine/spec/types';
import { layerTitle } from './layer-catalog';
import { LAYER_FIELDS } from './layer-fields';

/** `issueLayer` is the layer the issue is shown on, so "before"/"this layer" refer to that card. */
export function fixLabel(fix: SpecFix, spec: NetworkSpec, issueLayer: number | null): string {
  switch (fix.kind) {
    case 'setParam': {
      const definition = Object.values(LAYER_FIELDS)
        .flat()
        .find((candidate) => candidate.field === fix.field);
      const unit = definition?.unit ? ` ${definition.unit}` : '';
      return `Set ${definition?.label ?? fix.field} to ${fix.value}${unit}`;
    }
    case 'insertLayer': {
      const what = describeLayer(fix.layer);
      if (fix.at === issueLayer) return `Insert ${what} before`;
      if (fix.at === spec.layers.length) return `Add ${what} at the end`;
      if (issueLayer !== null && fix.at === issueLayer + 1) return `Add ${what} after`;
      return `Insert ${what} at position ${fix.at}`;
    }
    case 'removeLayer':
      return fix.layer === issueLayer ? 'Remove this layer' : `Remove layer ${fix.layer}`;
    case 'moveLayer':
      return `Move before layer ${fix.to}`;
    case 'setInput':
      return `Set input to ${formatSize([fix.input.channels, fix.input.height, fix.input.width])}`;
  }
}

function describeLayer(layer: LayerSpec): string {
  const title = layerTitle(layer.type);
  return layer.type === 'dense' ? `${title} (${layer.units} units)` : title;
}
