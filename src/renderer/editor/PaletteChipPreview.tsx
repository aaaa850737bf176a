import type { LayerType } from '../../engine/spec/types';
import { LAYER_CATALOG } from './layer-catalog';

/** What follows the pointer while a palette item is dragged. */
export function PaletteChipPreview({ type }: { type: LayerType }) {
  return <div className="chip chip--overlay">{LAYER_CATALOG[type].title}</div>;
}
