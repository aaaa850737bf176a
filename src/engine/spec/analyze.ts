/**
 * Static analysis of a NetworkSpec: per-layer shapes, parameter counts, FLOPs (convention in
 * layer-shapes.ts) and every problem the spec alone reveals, each naming its layer and, where one
 * exists, carrying a one-click fix. The editor calls this on every edit, so it only walks the list
 * once and never touches tensors.
 *
 * Layers are numbered from 0, as PyTorch numbers the modules of torch.nn.Sequential ("3.weight").
 */
import { formatShape, formatSize, layerLabel, type SpecIssue } from './issues';
import { inferLayer, type LayerReport, sizeOf } from './layer-shapes';
import { unknownReport } from './residual-shapes';
import { parseInputShape, parseLayerSpec, parseLoss, SPEC_LIMITS } from './schema';
import type { InputShape, LayerSpec, NetworkSpec } from './types';

export type { LayerReport } from './layer-shapes';

export interface SpecReport {
  layers: LayerReport[];
  /** Errors and warnings in layer order, then those about the network as a whole. */
  issues: SpecIssue[];
  outputShape: number[] | null;
  /** null when some layer's count is unknown. */
  totalParams: number | null;
  totalFlops: number | null;
  /** No errors (warnings allowed). */
  valid: boolean;
}

/**
 * Field values are checked layer by layer rather than trusted from the type, because the editor
 * analyzes half-typed specs (an emptied field is NaN); a bad layer stops shape inference there but
 * the fields of the remaining layers are still checked.
 */
export function analyzeSpec(spec: NetworkSpec): SpecReport {
  const issues: SpecIssue[] = [];
  const input = parseInputShape(spec.input);
  if (!input.ok) issues.push(...input.errors);
  let shape: number[] | null = input.ok ? [input.value.channels, input.value.height, input.value.width] : null;
  let flattenedBy: string | null = null;
  const layers: LayerReport[] = [];

  for (const [index, rawLayer] of spec.layers.entries()) {
    const parsed = parseLayerSpec(rawLayer, index);
    if (!parsed.ok) {
      issues.push(...parsed.errors);
      layers.push(unknownLayer(index, typeNameOf(rawLayer), shape));
      shape = null;
      continue;
    }
    if (shape === null) {
      layers.push(unknownLayer(index, parsed.value.type, null));
      continue;
    }
    const outcome = inferLayer(parsed.value, { index, path: String(index), input: shape, flattenedBy });
    issues.push(...outcome.issues);
    if (outcome.output === null) {
      layers.push({ ...unknownLayer(index, parsed.value.type, shape), ...outcome.branches });
      shape = null;
      continue;
    }
    layers.push({
      index,
      path: String(index),
      type: parsed.value.type,
      inputShape: shape,
      outputShape: outcome.output,
      parameters: outcome.parameters,
      params: outcome.parameters.reduce((sum, parameter) => sum + sizeOf(parameter.shape), 0),
      flops: outcome.flops,
      ...outcome.branches,
    });
    if (flattenedBy === null && outcome.output.length === 1) flattenedBy = String(index);
    shape = outcome.output;
  }

  issues.push(...networkIssues(spec, layers, shape));
  return {
    layers,
    issues,
    outputShape: shape,
    totalParams: sumKnown(layers.map((layer) => layer.params)),
    totalFlops: sumKnown(layers.map((layer) => layer.flops)),
    valid: issues.every((issue) => issue.severity !== 'error'),
  };
}

/** The network's output size, which is the number of classes it can predict; null unless the output is flat. */
export function numClassesOf(report: SpecReport): number | null {
  return report.outputShape?.length === 1 ? report.outputShape[0] : null;
}

/** Every parameter the network has, keyed as in its PyTorch state_dict ("0.weight"), for layers whose shape is known. */
export function parameterShapesOf(report: SpecReport): Map<string, { shape: number[] }> {
  const shapes = new Map<string, { shape: number[] }>();
  for (const layer of report.layers) {
    for (const parameter of layer.parameters ?? []) shapes.set(parameter.name, { shape: parameter.shape });
  }
  return shapes;
}

/** Every layer report, those inside residual blocks included (depth first, body before shortcut). */
export function allLayerReports(layers: readonly LayerReport[]): LayerReport[] {
  return layers.flatMap((layer) => [
    layer,
    ...allLayerReports(layer.body ?? []),
    ...allLayerReports(layer.shortcut ?? []),
  ]);
}

/**
 * Every buffer (batch norm's running_mean, running_var and num_batches_tracked) keyed as in the state_dict,
 * for layers whose shape is known, nested layers included.
 */
export function bufferShapesOf(report: SpecReport): Map<string, { shape: number[] }> {
  const shapes = new Map<string, { shape: number[] }>();
  const visit = (layers: readonly LayerReport[]): void => {
    for (const layer of layers) {
      if (layer.type === 'batchnorm' && layer.inputShape !== null) {
        const features = layer.inputShape[0];
        shapes.set(`${layer.path}.running_mean`, { shape: [features] });
        shapes.set(`${layer.path}.running_var`, { shape: [features] });
        shapes.set(`${layer.path}.num_batches_tracked`, { shape: [] });
      }
      visit(layer.body ?? []);
      visit(layer.shortcut ?? []);
    }
  };
  visit(report.layers);
  return shapes;
}

/**
 * Whether a dataset fits the network: its image shape and its class count. Problems of the spec itself
 * are analyzeSpec's job and are not repeated here.
 */
export function checkSpecMatchesData(spec: NetworkSpec, data: InputShape, numClasses: number): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const expected = [spec.input.channels, spec.input.height, spec.input.width];
  const actual = [data.channels, data.height, data.width];
  if (expected.some((size, axis) => size !== actual[axis])) {
    issues.push({
      layer: null,
      severity: 'error',
      message: `the network expects input ${formatSize(expected)} but the dataset has ${formatSize(actual)} images; change the input shape`,
      fixes: [{ kind: 'setInput', input: { channels: data.channels, height: data.height, width: data.width } }],
    });
  }
  const outputs = numClassesOf(analyzeSpec(spec));
  if (outputs !== null && outputs !== numClasses) issues.push(classCountMismatch(spec.layers, outputs, numClasses));
  return issues;
}

const ACTIVATIONS: readonly string[] = ['relu', 'sigmoid', 'tanh', 'leakyrelu'];
/** Layers that keep their input's size, so the output size is set by the last layer not among them. */
const SIZE_PRESERVING: readonly string[] = [...ACTIVATIONS, 'dropout', 'batchnorm'];

/** The dense layer that sets the output size (the last one, followed only by activations and dropout), or null. */
export function classifierLayerIndex(layers: readonly LayerSpec[]): number | null {
  let index = layers.length - 1;
  while (index >= 0 && SIZE_PRESERVING.includes(layers[index].type)) index--;
  return index >= 0 && layers[index].type === 'dense' ? index : null;
}

function classCountMismatch(layers: readonly LayerSpec[], outputs: number, numClasses: number): SpecIssue {
  const sizing = classifierLayerIndex(layers);
  if (sizing !== null) {
    return {
      layer: sizing,
      path: String(sizing),
      severity: 'error',
      message: `the last layer has ${outputs} outputs but the dataset has ${numClasses} classes; set units of ${layerLabel(sizing, 'dense')} to ${numClasses}`,
      fixes: [{ kind: 'setParam', layer: sizing, field: 'units', value: numClasses }],
    };
  }
  return {
    layer: layers.length - 1,
    path: String(layers.length - 1),
    severity: 'error',
    message: `the last layer has ${outputs} outputs but the dataset has ${numClasses} classes; end the network with a dense layer of ${numClasses} units`,
    fixes: [{ kind: 'insertLayer', at: layers.length, layer: { type: 'dense', units: numClasses } }],
  };
}

function networkIssues(spec: NetworkSpec, layers: readonly LayerReport[], output: number[] | null): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const loss = parseLoss(spec.loss);
  if (!loss.ok) issues.push(...loss.errors);
  if (layers.length > SPEC_LIMITS.maxLayers) {
    issues.push({
      layer: null,
      severity: 'error',
      message: `the network has ${layers.length} layers; at most ${SPEC_LIMITS.maxLayers} are supported`,
    });
  }
  const last = layers.at(-1);
  if (!last) {
    issues.push({
      layer: null,
      severity: 'error',
      message: 'the network has no layers; add a flatten layer and a dense layer with one unit per class',
    });
    return issues;
  }
  const label = layerLabel(last.index, last.type);
  if (output?.length === 3) {
    issues.push({
      layer: last.index,
      path: last.path,
      severity: 'error',
      message: `the network must end with a flat output (add flatten and dense); ${label} outputs ${formatShape(output)}`,
      fixes: [{ kind: 'insertLayer', at: layers.length, layer: { type: 'flatten' } }],
    });
  }
  if (loss.ok && loss.value === 'softmax-cross-entropy') issues.push(...logitsIssues(last, label, output));
  return issues;
}

/** Softmax cross-entropy applies the softmax itself, so the network must end with unbounded scores, one per class. */
function logitsIssues(last: LayerReport, label: string, output: number[] | null): SpecIssue[] {
  if (ACTIVATIONS.includes(last.type)) {
    return [
      {
        layer: last.index,
        path: last.path,
        severity: 'warning',
        message: `${label}: softmax cross-entropy expects raw scores (logits); remove the final ${last.type}`,
        fixes: [{ kind: 'removeLayer', layer: last.index }],
      },
    ];
  }
  if (output?.length !== 1) return [];
  if (last.type !== 'dense') {
    return [
      {
        layer: last.index,
        path: last.path,
        severity: 'warning',
        message: `${label}: softmax cross-entropy expects the network to end with a dense layer giving one raw score per class; add a dense layer at the end`,
        fixes: [{ kind: 'insertLayer', at: last.index + 1, layer: { type: 'dense', units: output[0] } }],
      },
    ];
  }
  if (output[0] === 1) {
    return [
      {
        layer: last.index,
        path: last.path,
        severity: 'warning',
        message: `${label}: with a single output, softmax cross-entropy is always 0 and nothing is learned; use one unit per class (at least 2)`,
        fixes: [{ kind: 'setParam', layer: last.index, field: 'units', value: 2 }],
      },
    ];
  }
  return [];
}

function unknownLayer(index: number, type: string, inputShape: number[] | null): LayerReport {
  return unknownReport(index, String(index), type, inputShape);
}

function typeNameOf(layer: unknown): string {
  const type = typeof layer === 'object' && layer !== null ? (layer as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : 'unknown';
}

function sumKnown(values: readonly (number | null)[]): number | null {
  let sum = 0;
  for (const value of values) {
    if (value === null) return null;
    sum += value;
  }
  return sum;
}
