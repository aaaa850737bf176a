/** The inspected layers in network order with the layers inside residual blocks after their block, by path. */
import type { Inspection, LayerInspection } from '../../engine/inspect/inspection';

export function allLayers(inspection: Inspection): LayerInspection[] {
  const visit = (layers: readonly LayerInspection[]): LayerInspection[] =>
    layers.flatMap((layer) => [layer, ...visit(layer.residual?.body ?? []), ...visit(layer.residual?.shortcut ?? [])]);
  return visit(inspection.layers);
}

/** The input a layer saw and the gradient it sent back: its own copies inside a block, else its neighbours'. */
export function inputsOf(
  inspection: Inspection,
  layer: LayerInspection,
): { input: Float32Array; sentBack: Float32Array } {
  if (layer.input && layer.inputDelta) return { input: layer.input.data, sentBack: layer.inputDelta.data };
  const previous = layer.index > 0 ? inspection.layers[layer.index - 1] : null;
  return {
    input: previous ? previous.output.data : inspection.input.data,
    sentBack: previous ? previous.delta.data : inspection.inputDelta.data,
  };
}

/** The Euclidean norm, for comparing how much gradient each path of a block carries. */
export function norm(values: Float32Array): number {
  let sum = 0;
  for (const value of values) sum += value * value;
  return Math.sqrt(sum);
}
