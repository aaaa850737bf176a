/**
 * The one-click repair for a residual block whose branches disagree: a projection shortcut that maps the block's
 * input to the body's output shape (the ResNet way: conv2d 1×1 with the stride that gives the body's size, its
 * filters, no bias, then batchnorm; a dense layer for flat inputs). analyzeSpec's one-click fixes address
 * top-level layers by index, so this one, which addresses a block by path, is made here from the report.
 */
import type { LayerReport } from '../../engine/spec/analyze';
import { formatShape, type SpecIssue } from '../../engine/spec/issues';
import type { LayerSpec } from '../../engine/spec/types';
import { setShortcut } from '../store/path-commands';
import type { StudioDocument } from '../store/studio-document';
import { layerTitle } from './layer-catalog';

/** A one-click repair made by the editor: its button text and the edit it makes. */
export interface EditorFix {
  label: string;
  command: (doc: StudioDocument) => StudioDocument;
}

/** The shortcut that makes a block's branches agree, or null when its shapes are unknown or no 1×1 conv fits. */
export function projectionShortcut(block: LayerReport): LayerSpec[] | null {
  const input = block.inputShape;
  const bodyOut = block.body?.at(-1)?.outputShape ?? null;
  if (input === null || bodyOut === null) return null;
  if (input.length === 1 && bodyOut.length === 1) return [{ type: 'dense', units: bodyOut[0] }];
  if (input.length !== 3 || bodyOut.length !== 3) return null;
  const stride = strideBetween(input[1], input[2], bodyOut[1], bodyOut[2]);
  if (stride === null) return null;
  const conv: LayerSpec = { type: 'conv2d', filters: bodyOut[0], kernelSize: 1, bias: false };
  if (stride !== 1) conv.stride = stride;
  return [conv, { type: 'batchnorm' }];
}

/** The stride s with floor((H − 1)/s) + 1 = H' and the same for W (a 1×1 kernel, no padding), if there is one. */
function strideBetween(height: number, width: number, outHeight: number, outWidth: number): number | null {
  for (let stride = 1; stride <= Math.max(height, width); stride++) {
    const h = Math.floor((height - 1) / stride) + 1;
    const w = Math.floor((width - 1) / stride) + 1;
    if (h === outHeight && w === outWidth) return stride;
  }
  return null;
}

/**
 * The editor's repairs for an issue shown on the block at `path`: when it is the block's own error and a
 * projection shortcut fits, one button that sets it (replacing whatever shortcut was there).
 */
export function blockFixes(path: string, block: LayerReport | undefined, issue: SpecIssue): EditorFix[] {
  if (block?.type !== 'residual' || issue.path !== path || issue.severity !== 'error') return [];
  const bodyOut = block.body?.at(-1)?.outputShape ?? null;
  const shortcutOut = block.shortcut?.length ? (block.shortcut.at(-1)?.outputShape ?? null) : block.inputShape;
  if (bodyOut === null || shortcutOut === null || formatShape(bodyOut) === formatShape(shortcutOut)) return [];
  const shortcut = projectionShortcut(block);
  if (shortcut === null) return [];
  return [{ label: `Add ${describeShortcut(shortcut)}`, command: (doc) => setShortcut(doc, path, shortcut) }];
}

/** "projection shortcut: Conv2d 1×1, stride 2, 64 filters, no bias, then BatchNorm" */
function describeShortcut(shortcut: readonly LayerSpec[]): string {
  const parts = shortcut.map((layer) => {
    if (layer.type === 'conv2d') {
      const stride = layer.stride !== undefined && layer.stride !== 1 ? `, stride ${layer.stride}` : '';
      return `Conv2d 1×1${stride}, ${layer.filters} filters, no bias`;
    }
    if (layer.type === 'dense') return `Dense (${layer.units} units)`;
    return layerTitle(layer.type);
  });
  return `projection shortcut: ${parts.join(', then ')}`;
}
