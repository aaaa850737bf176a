/**
 * Problems found in a NetworkSpec, shared by the schema check and the shape analysis.
 *
 * Layer numbering: `layer` is the 0-based index into `spec.layers`, and messages say "layer N" with that
 * same number. It is the index PyTorch gives the module in torch.nn.Sequential, so "layer 3" is the
 * layer whose parameters are "3.weight" and "3.bias" in a weights file.
 */
import type { SpecFix } from './fixes';

export type SpecSeverity = 'error' | 'warning';

export interface SpecIssue {
  /**
   * 0-based index into spec.layers, or null when the issue is about the whole network. For a layer inside a
   * residual block it is the block's top-level index (the card the editor shows the issue on).
   */
  layer: number | null;
  /** The layer's full path ("3", "3.body.1"; see paths.ts) when the issue is about one layer. */
  path?: string;
  severity: SpecSeverity;
  message: string;
  /** Alternative one-click repairs; applying any one of them addresses this issue. */
  fixes?: SpecFix[];
}

/** "layer 3 (conv2d)", "layer 3.body.1 (relu)": how every message names a layer, by index or path. */
export function layerLabel(path: number | string, type: string): string {
  return `layer ${path} (${type})`;
}

/** "[16,4,4]" */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** "3×32×32" */
export function formatSize(dims: readonly number[]): string {
  return dims.join('×');
}
