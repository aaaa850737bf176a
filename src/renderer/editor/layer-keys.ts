/**
 * Stable keys for the layers on screen. A spec's layers carry no ids (the engine names them by position),
 * but React and the drag-and-drop list need to know which card is which across an edit, so that a moved
 * card slides instead of another card changing its content. Commands leave untouched layers as the same
 * objects, so a layer keeps its key while the same object is in the list; a layer replaced in place (an
 * edited field) inherits the key of the object it replaced; anything else is new.
 */
import type { LayerSpec } from '../../engine/spec/types';

export interface LayerKeys {
  layers: readonly LayerSpec[];
  keys: readonly string[];
  /** Counter for the next new key. */
  next: number;
}

export function firstLayerKeys(layers: readonly LayerSpec[]): LayerKeys {
  return { layers, keys: layers.map((_, index) => `layer-${index}`), next: layers.length };
}

export function carryLayerKeys(previous: LayerKeys, layers: readonly LayerSpec[]): LayerKeys {
  const keyOf = new Map(previous.layers.map((layer, index) => [layer, previous.keys[index]]));
  const stillThere = new Set(layers);
  const used = new Set<string>();
  let next = previous.next;
  const keys = layers.map((layer, index) => {
    const same = keyOf.get(layer);
    if (same !== undefined && !used.has(same)) return claim(same);
    const replaced = previous.layers[index];
    const inherited = replaced !== undefined && !stillThere.has(replaced) ? previous.keys[index] : undefined;
    if (inherited !== undefined && !used.has(inherited)) return claim(inherited);
    return claim(`layer-${next++}`);
  });
  return { layers, keys, next };

  function claim(key: string): string {
    used.add(key);
    return key;
  }
}
