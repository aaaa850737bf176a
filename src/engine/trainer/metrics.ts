/** Metrics shared by training and evaluation: predicted classes, confusion matrices, norms. */
import { type Layer, leafLayers } from '../layers/layer';
import type { LayerType } from '../spec/types';
import type { Tensor } from '../tensor';

/** The class with the highest score in row n of y [N,K] (the first one on ties). */
export function predictedClass(y: Float32Array, n: number, classes: number): number {
  const row = n * classes;
  let best = 0;
  for (let k = 1; k < classes; k++) if (y[row + k] > y[row + best]) best = k;
  return best;
}

/** confusion[actual][predicted] = number of samples. */
export type ConfusionMatrix = number[][];

export function emptyConfusion(classes: number): ConfusionMatrix {
  return Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
}

/** Counts the batch y [N,K] into `confusion` and returns how many rows predicted their label. */
export function tallyPredictions(y: Tensor, labels: Int32Array, confusion: ConfusionMatrix): number {
  const [batch, classes] = y.shape;
  let correct = 0;
  for (let n = 0; n < batch; n++) {
    const predicted = predictedClass(y.data, n, classes);
    confusion[labels[n]][predicted]++;
    if (predicted === labels[n]) correct++;
  }
  return correct;
}

/** Health of one layer's parameters after an optimizer step (weight and bias counted together). */
export interface LayerStats {
  /** Top-level index (for a layer inside a residual block, the block's). */
  layer: number;
  /** "3", or "3.body.1" inside a block: with `type` the layer's name, "3.body.1 conv2d". */
  path: string;
  type: LayerType;
  /** ‖∇θ‖₂ of the step's gradient. */
  gradNorm: number;
  /** ‖θ‖₂ after the step. */
  weightNorm: number;
  /** ‖θ_after − θ_before‖₂ / ‖θ_before‖₂: around 1e-3 is healthy; much larger means the step size is too big. */
  updateRatio: number;
}

function sumOfSquares(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return sum;
}

function squaredDistance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = a[i] - b[i];
    sum += diff * diff;
  }
  return sum;
}

/**
 * Per-layer stats for the layers with parameters, layers inside residual blocks one by one. `before[i]` holds
 * the values of the network's i-th parameter (in state_dict order) before the optimizer step; the gradients are
 * still those of the step.
 */
export function layerStats(layers: readonly Layer[], before: readonly Float32Array[]): LayerStats[] {
  const stats: LayerStats[] = [];
  let paramIndex = 0;
  for (const layer of leafLayers(layers)) {
    if (layer.params.length === 0) continue;
    let grad = 0;
    let weight = 0;
    let previous = 0;
    let update = 0;
    for (const param of layer.params) {
      const old = before[paramIndex++];
      grad += sumOfSquares(param.grad);
      weight += sumOfSquares(param.data);
      previous += sumOfSquares(old);
      update += squaredDistance(param.data, old);
    }
    stats.push({
      layer: layer.index,
      path: layer.path,
      type: layer.type,
      gradNorm: Math.sqrt(grad),
      weightNorm: Math.sqrt(weight),
      updateRatio: previous > 0 ? Math.sqrt(update / previous) : 0,
    });
  }
  return stats;
}
