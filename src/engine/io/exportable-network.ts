/**
 * What the ONNX and PyTorch exporters need from a spec: every layer with its per-sample input and output
 * shapes (from the shape analysis, so nothing is run), and the checks both apply before writing anything.
 */
import { SpecError } from '../network';
import { analyzeSpec, bufferShapesOf, type LayerReport, parameterShapesOf } from '../spec/analyze';
import { type LayerSpec, type NetworkSpec, shortcutOf } from '../spec/types';

export interface ExportedLayer {
  index: number;
  /** "3", or "3.body.1" inside a residual block. */
  path: string;
  spec: LayerSpec;
  /** Per sample: [C,H,W], or [F] once flat. */
  inputShape: number[];
  outputShape: number[];
  /** Residual blocks only: the layers of each branch. */
  body?: ExportedLayer[];
  shortcut?: ExportedLayer[];
}

export interface ExportableNetwork {
  layers: ExportedLayer[];
  /** [classes]: a valid network ends flat. */
  outputShape: number[];
  /** Every parameter the network has, by PyTorch name, in state_dict order. */
  parameterShapes: Map<string, { shape: number[] }>;
  /** Every buffer (batch norm running statistics), by PyTorch name. */
  bufferShapes: Map<string, { shape: number[] }>;
  /** Parameters then buffers: what a weights file must hold (the state_dict). */
  stateShapes: Map<string, { shape: number[] }>;
}

/** Per-channel input normalization applied after pixels are scaled to [0,1]: x ← (x − mean[c]) / std[c]. */
export interface InputNormalization {
  mean: number[];
  std: number[];
}

/** Throws a SpecError naming every layer at fault when the spec has errors. */
export function exportableNetwork(spec: NetworkSpec): ExportableNetwork {
  const report = analyzeSpec(spec);
  const errors = report.issues.filter((issue) => issue.severity === 'error');
  if (errors.length > 0) throw new SpecError(errors);
  const parameterShapes = parameterShapesOf(report);
  const bufferShapes = bufferShapesOf(report);
  return {
    layers: exportedLayers(report.layers, spec.layers),
    outputShape: report.outputShape!,
    parameterShapes,
    bufferShapes,
    stateShapes: new Map([...parameterShapes, ...bufferShapes]),
  };
}

/** Without errors the analysis knows every shape. */
function exportedLayers(reports: readonly LayerReport[], specs: readonly LayerSpec[]): ExportedLayer[] {
  return reports.map((report, position) => {
    const spec = specs[position];
    const layer: ExportedLayer = {
      index: report.index,
      path: report.path,
      spec,
      inputShape: report.inputShape!,
      outputShape: report.outputShape!,
    };
    if (spec.type === 'residual') {
      layer.body = exportedLayers(report.body ?? [], spec.body);
      layer.shortcut = exportedLayers(report.shortcut ?? [], shortcutOf(spec));
    }
    return layer;
  });
}

export function checkNormalization(normalization: InputNormalization, channels: number): void {
  const { mean, std } = normalization;
  if (mean.length !== channels || std.length !== channels) {
    throw new RangeError(
      `normalization has ${mean.length} means and ${std.length} standard deviations but the input has ${channels} ` +
        `channel${channels === 1 ? '' : 's'}; give one of each per channel`,
    );
  }
  if (!mean.every(Number.isFinite) || !std.every((value) => Number.isFinite(value) && value > 0)) {
    throw new RangeError(
      `normalization mean [${mean.join(', ')}] must be finite and std [${std.join(', ')}] finite and above 0`,
    );
  }
}
