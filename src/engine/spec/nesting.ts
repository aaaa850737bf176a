/**
 * The nesting limit for residual blocks, checked without recursion before any recursive walk (the schema,
 * shape inference, building the network), so a spec nested thousands deep is a clear error, not a stack overflow.
 */
import type { SpecIssue } from './issues';
import { MAX_BLOCK_DEPTH } from './types';

interface Pending {
  layers: unknown;
  path: string | null;
  depth: number;
}

/**
 * The issue for the first block nested more than MAX_BLOCK_DEPTH deep in `root.layers`, or null. `onlyIndex`
 * limits the walk to one top-level layer. Values that are not lists or objects are left to the schema.
 */
export function nestingIssue(root: unknown, onlyIndex?: number): SpecIssue | null {
  if (typeof root !== 'object' || root === null) return null;
  const pending: Pending[] = [{ layers: (root as { layers?: unknown }).layers, path: null, depth: 0 }];
  while (pending.length > 0) {
    const { layers, path, depth } = pending.pop() as Pending;
    if (typeof layers !== 'object' || layers === null) continue;
    for (const [key, layer] of Object.entries(layers)) {
      if (path === null && onlyIndex !== undefined && key !== String(onlyIndex)) continue;
      if (typeof layer !== 'object' || layer === null || (layer as { type?: unknown }).type !== 'residual') continue;
      const layerPath = path === null ? key : `${path}.${key}`;
      if (depth + 1 > MAX_BLOCK_DEPTH) return tooDeep(layerPath);
      const block = layer as { body?: unknown; shortcut?: unknown };
      pending.push({ layers: block.body, path: `${layerPath}.body`, depth: depth + 1 });
      pending.push({ layers: block.shortcut, path: `${layerPath}.shortcut`, depth: depth + 1 });
    }
  }
  return null;
}

function tooDeep(path: string): SpecIssue {
  const index = Number.parseInt(path, 10);
  const shown = path.length > 120 ? `${path.slice(0, 60)}…${path.slice(-50)}` : path;
  return {
    layer: Number.isInteger(index) ? index : null,
    path,
    severity: 'error',
    message: `layer ${shown} (residual): residual blocks nest more than ${MAX_BLOCK_DEPTH} deep here; at most ${MAX_BLOCK_DEPTH} levels are supported, so put the inner blocks one after another instead of inside each other`,
  };
}
