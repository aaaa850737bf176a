/**
 * Shape inference for a residual block, y = body(x) + shortcut(x): each branch is inferred layer by layer with
 * the rules of layer-shapes.ts, then the two outputs must have the same shape. When they do not, the message
 * says which projection shortcut would make them agree (the usual ResNet fix: conv2d 1×1 with the body's
 * stride and filters, no bias, then batchnorm).
 */
import { formatShape, layerLabel, type SpecIssue } from './issues';
import { inferLayer, type LayerContext, type LayerOutcome, type LayerReport, located, sizeOf } from './layer-shapes';
import type { Branch } from './paths';
import { childPath, type LayerSpec, type ResidualSpec, shortcutOf } from './types';

interface BranchOutcome {
  reports: LayerReport[];
  /** null when some layer's shape is unknown. */
  output: number[] | null;
  issues: SpecIssue[];
}

export function inferResidual(layer: ResidualSpec, context: LayerContext): LayerOutcome {
  const body = inferBranch(layer.body, 'body', context);
  const shortcutLayers = shortcutOf(layer);
  const shortcut =
    shortcutLayers.length > 0
      ? inferBranch(shortcutLayers, 'shortcut', context)
      : { reports: [], output: [...context.input], issues: [] };
  const branches = { body: body.reports, shortcut: shortcut.reports };
  const issues = [...body.issues, ...shortcut.issues];
  if (body.output === null || shortcut.output === null) return { output: null, issues, branches };
  if (formatShape(body.output) !== formatShape(shortcut.output)) {
    issues.push(located(context, 'error', mismatchMessage(context, body.output, shortcut.output, shortcutLayers)));
    return { output: null, issues, branches };
  }
  const reports = [...body.reports, ...shortcut.reports];
  return {
    output: body.output,
    parameters: reports.flatMap((report) => report.parameters ?? []),
    flops: reports.reduce((sum, report) => sum + (report.flops ?? 0), 0) + sizeOf(body.output),
    issues,
    branches,
  };
}

function inferBranch(layers: readonly LayerSpec[], branch: Branch, block: LayerContext): BranchOutcome {
  const reports: LayerReport[] = [];
  const issues: SpecIssue[] = [];
  let shape: number[] | null = [...block.input];
  let flattenedBy = block.flattenedBy;
  for (const [position, layer] of layers.entries()) {
    const path = childPath(block.path, branch, position);
    if (shape === null) {
      reports.push(unknownReport(block.index, path, layer.type, null));
      continue;
    }
    const outcome = inferLayer(layer, { index: block.index, path, input: shape, flattenedBy });
    issues.push(...outcome.issues);
    if (outcome.output === null) {
      reports.push({ ...unknownReport(block.index, path, layer.type, shape), ...outcome.branches });
      shape = null;
      continue;
    }
    reports.push({
      index: block.index,
      path,
      type: layer.type,
      inputShape: shape,
      outputShape: outcome.output,
      parameters: outcome.parameters,
      params: outcome.parameters.reduce((sum, parameter) => sum + sizeOf(parameter.shape), 0),
      flops: outcome.flops,
      ...outcome.branches,
    });
    if (flattenedBy === null && outcome.output.length === 1) flattenedBy = path;
    shape = outcome.output;
  }
  return { reports, output: shape, issues };
}

export function unknownReport(index: number, path: string, type: string, inputShape: number[] | null): LayerReport {
  return { index, path, type, inputShape, outputShape: null, parameters: null, params: null, flops: null };
}

function mismatchMessage(
  context: LayerContext,
  bodyOut: readonly number[],
  shortcutOut: readonly number[],
  shortcutLayers: readonly LayerSpec[],
): string {
  const label = layerLabel(context.path, 'residual');
  const what =
    shortcutLayers.length === 0
      ? `the body outputs ${formatShape(bodyOut)} but the identity shortcut passes the input ${formatShape(shortcutOut)} unchanged, so they cannot be added`
      : `the body outputs ${formatShape(bodyOut)} but the shortcut outputs ${formatShape(shortcutOut)}, so they cannot be added`;
  const advice = projectionAdvice(context.input, bodyOut);
  return `${label}: ${what}; ${shortcutLayers.length === 0 ? advice : advice.replace(/^add a projection shortcut:/, 'make the shortcut')}`;
}

/** The shortcut that maps the block's input to the body's output shape, in words. */
function projectionAdvice(input: readonly number[], bodyOut: readonly number[]): string {
  if (input.length === 3 && bodyOut.length === 3) {
    const stride = strideBetween(input, bodyOut);
    if (stride !== null) {
      return `add a projection shortcut: conv2d 1×1, stride ${stride}, ${bodyOut[0]} filters, no bias, then batchnorm`;
    }
    return `make the body keep the ${input[1]}×${input[2]} size (padding) or give the shortcut layers that output ${formatShape(bodyOut)}`;
  }
  if (bodyOut.length === 1 && input.length === 1) {
    return `add a projection shortcut: dense with ${bodyOut[0]} units`;
  }
  return `give the shortcut layers that turn ${formatShape(input)} into ${formatShape(bodyOut)}`;
}

/** The stride s of a 1×1 convolution taking [C,H,W] to [C',H',W'] (floor((H − 1)/s) + 1 = H'), if there is one. */
function strideBetween(input: readonly number[], output: readonly number[]): number | null {
  const [, height, width] = input;
  for (let stride = 1; stride <= Math.max(height, width); stride++) {
    const outHeight = Math.floor((height - 1) / stride) + 1;
    const outWidth = Math.floor((width - 1) / stride) + 1;
    if (outHeight === output[1] && outWidth === output[2]) return stride;
    if (outHeight < output[1] && outWidth < output[2]) break;
  }
  return null;
}
