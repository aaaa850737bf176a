/**
 * Layer paths: how a layer is named wherever it sits. A top-level layer is "3"; layers inside a residual block
 * extend its path with the branch and position, "3.body.1" and "3.shortcut.0", and nested blocks extend it
 * further ("3.body.0.body.2"). The path is also the prefix of the layer's state_dict keys ("3.body.1.weight"),
 * exactly as PyTorch names the modules of a Residual holding self.body and self.shortcut (two nn.Sequential).
 */
import type { LayerSpec, NetworkSpec } from './types';

export type Branch = 'body' | 'shortcut';

export interface PathStep {
  branch: Branch;
  position: number;
}

/** A parsed path: the top-level index (the editor's card) and the steps into nested blocks. */
export interface LayerAddress {
  index: number;
  steps: PathStep[];
}

/** Where a layer sits in an issue path such as ["layers", 3, "body", 1, "filters"]. */
export interface LayerPlace {
  /** Top-level index into spec.layers. */
  index: number;
  /** "3.body.1" */
  path: string;
  /** How many keys of the issue path name the layer (here 4); the rest name a field inside it. */
  depth: number;
}

export function layerPlaceOf(issuePath: readonly PropertyKey[]): LayerPlace | null {
  if (issuePath[0] !== 'layers' || typeof issuePath[1] !== 'number') return null;
  let path = String(issuePath[1]);
  let depth = 2;
  while ((issuePath[depth] === 'body' || issuePath[depth] === 'shortcut') && typeof issuePath[depth + 1] === 'number') {
    path += `.${String(issuePath[depth])}.${String(issuePath[depth + 1])}`;
    depth += 2;
  }
  return { index: issuePath[1], path, depth };
}

/** Parses "3.body.1"; null when the text is not a layer path. */
export function parseLayerPath(path: string): LayerAddress | null {
  const parts = path.split('.');
  const index = Number(parts[0]);
  if (!/^\d+$/.test(parts[0]) || parts.length % 2 !== 1) return null;
  const steps: PathStep[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const branch = parts[i];
    if ((branch !== 'body' && branch !== 'shortcut') || !/^\d+$/.test(parts[i + 1])) return null;
    steps.push({ branch, position: Number(parts[i + 1]) });
  }
  return { index, steps };
}

export function formatLayerPath(address: LayerAddress): string {
  return [String(address.index), ...address.steps.map((step) => `${step.branch}.${step.position}`)].join('.');
}

/** The layer a path names in a spec, or undefined when there is none. */
export function layerAtPath(spec: NetworkSpec, path: string): LayerSpec | undefined {
  const address = parseLayerPath(path);
  if (address === null) return undefined;
  let layer: LayerSpec | undefined = spec.layers[address.index];
  for (const step of address.steps) {
    if (layer?.type !== 'residual') return undefined;
    layer = step.branch === 'body' ? layer.body[step.position] : layer.shortcut?.[step.position];
  }
  return layer;
}

/** The top-level index a path starts with: the card the editor highlights for a layer nested anywhere inside it. */
export function topLevelIndex(path: string): number {
  return Number.parseInt(path, 10);
}
