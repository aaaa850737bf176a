/**
 * What shape inference reports about a layer, and the helpers both layer-shapes.ts and residual-shapes.ts use
 * (kept apart so that the two, which recurse into each other through blocks, import no cycle).
 */

import type { SpecFix } from './fixes';
import type { SpecIssue } from './issues';

export interface ParameterShape {
  /** state_dict key, "{layer}.weight" or "{layer}.bias". */
  name: string;
  shape: number[];
}

/** Where a layer sits and what reaches it. */
export interface LayerContext {
  /** Top-level index into spec.layers (for a layer inside a block: the block's). */
  index: number;
  /** "3" at the top level, "3.body.1" inside a block (paths.ts). */
  path: string;
  input: readonly number[];
  /** Path of the layer whose output first became flat; null while the input is still an image [C,H,W]. */
  flattenedBy: string | null;
}

/** What the analysis knows of one layer; a residual block also lists the layers of its two branches. */
export interface LayerReport {
  index: number;
  path: string;
  /** The layer's type, or what the spec says when that is not a known type. */
  type: string;
  /** null when an earlier problem makes the shape unknowable. */
  inputShape: number[] | null;
  outputShape: number[] | null;
  /** Every parameter of the layer (for a block: of every layer inside it, in state_dict order). */
  parameters: ParameterShape[] | null;
  params: number | null;
  flops: number | null;
  /** Residual blocks only. */
  body?: LayerReport[];
  shortcut?: LayerReport[];
}

export type LayerOutcome =
  | {
      output: number[];
      parameters: ParameterShape[];
      flops: number;
      issues: SpecIssue[];
      branches?: { body: LayerReport[]; shortcut: LayerReport[] };
    }
  /** The output shape cannot be known; analysis of later layers stops here. */
  | { output: null; issues: SpecIssue[]; branches?: { body: LayerReport[]; shortcut: LayerReport[] } };

/**
 * An issue about the layer at `context`. One-click fixes address top-level layers by index, so a layer inside
 * a block gets none (its message still says what to change).
 */
export function located(
  context: LayerContext,
  severity: SpecIssue['severity'],
  message: string,
  fixes: SpecFix[] = [],
): SpecIssue {
  const topLevel = context.path === String(context.index);
  return {
    layer: context.index,
    path: context.path,
    severity,
    message,
    ...(topLevel && fixes.length > 0 ? { fixes } : {}),
  };
}

/** Number of elements in a tensor of this shape. */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}
