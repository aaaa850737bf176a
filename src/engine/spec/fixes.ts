/**
 * Machine-readable repairs attached to spec issues, so the editor can offer them as one click.
 * Applying a fix is a pure function from spec to spec, like every other edit.
 */
import type { InputShape, LayerSpec, NetworkSpec } from './types';

/** Every numeric field a layer can have. */
export type LayerNumberField =
  | 'filters'
  | 'kernelSize'
  | 'stride'
  | 'padding'
  | 'poolSize'
  | 'rate'
  | 'units'
  | 'momentum'
  | 'eps'
  | 'negativeSlope';

export type SpecFix =
  | { kind: 'setParam'; layer: number; field: LayerNumberField; value: number }
  | { kind: 'insertLayer'; at: number; layer: LayerSpec }
  | { kind: 'removeLayer'; layer: number }
  /** Move the layer at `from` so that it ends up at index `to`. */
  | { kind: 'moveLayer'; from: number; to: number }
  | { kind: 'setInput'; input: InputShape };

export function applySpecFix(spec: NetworkSpec, fix: SpecFix): NetworkSpec {
  const layers = [...spec.layers];
  switch (fix.kind) {
    case 'setParam':
      layers[fix.layer] = { ...layers[fix.layer], [fix.field]: fix.value } as LayerSpec;
      return { ...spec, layers };
    case 'insertLayer':
      layers.splice(fix.at, 0, { ...fix.layer });
      return { ...spec, layers };
    case 'removeLayer':
      layers.splice(fix.layer, 1);
      return { ...spec, layers };
    case 'moveLayer': {
      const [moved] = layers.splice(fix.from, 1);
      layers.splice(fix.to, 0, moved);
      return { ...spec, layers };
    }
    case 'setInput':
      return { ...spec, input: { ...fix.input } };
  }
}
