/**
 * What the ONNX and PyTorch exporters need from a spec: every layer with its per-sample input and output
 * shapes (from the shape analysis, so nothing is run), and the checks both apply before writing anything.
 */
import { SpecError } from '../network';
import { analyzeSpec, parameterShapesOf } from '../spec/analyze';
import type { LayerSpec, NetworkSpec } from '../spec/types';

export interface ExportedLayer {
  index: number;
  spec: LayerSpec;
  /** Per sample: [C,H,W], or [F] once flat. */
  inputShape: number[];
  outputShape: number[];
}

export interface ExportableNetwork {
  layers: ExportedLayer[];
  /** [classes]: a valid network ends flat. */
  outputShape: number[];
  /** Every parameter the network has, by PyTorch name, in module order. */
  parameterShapes: Map<string, { shape: number[] }>;
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
  // Without errors the analysis knows every shape.
  const layers = report.layers.map((layer) => ({
    index: layer.index,
    spec: spec.layers[layer.index],
    inputShape: layer.inputShape!,
    outputShape: layer.outputShape!,
  }));
  return { layers, outputShape: report.outputShape!, parameterShapes: parameterShapesOf(report) };
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
