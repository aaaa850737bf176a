import { useState } from 'react';
import type { LayerSpec } from '../../engine/spec/types';
import { carryLayerKeys, firstLayerKeys } from './layer-keys';

/** Keys for the cards of `layers` that follow each layer across edits (see layer-keys.ts). */
export function useLayerKeys(layers: readonly LayerSpec[]): readonly string[] {
  const [current, setCurrent] = useState(() => firstLayerKeys(layers));
  if (current.layers === layers) return current.keys;
  const next = carryLayerKeys(current, layers);
  setCurrent(next);
  return next.keys;
}
