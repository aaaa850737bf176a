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

/** The four sums of squares a layer's stats need, of one parameter, in one pass over its arrays. */
interface SquareSums {
  grad: number;
  weight: number;
  previous: number;
  update: number;
}

function addSquareSums(sums: SquareSums, grad: Float32Array, data: Float32Array, old: Float32Array): void {
  let g = 0;
  let w = 0;
  let p = 0;
  let u = 0;
  for (let i = 0; i < data.length; i++) {
    const value = data[i];
    const was = old[i];
    const diff = value - was;
    g += grad[i] * grad[i];
    w += value * value;
    p += was * was;
    u += diff * diff;
  }
  sums.grad += g;
  sums.weight += w;
  sums.previous += p;
  sums.update += u;
}

/**
 * Per-layer stats for the layers with parameters, layers inside residual blocks one by one. `before[i]` holds
 * the values of the network's i-th parameter (in state_dict order) before the optimizer step; the gradients are
 * still those of the step.
 */
export function layerStats(layers: readonly Layer[], before: readonly Float32Array[]): LayerStats[] {
  const stats: LayerStats[] = [];
  let paramIndex = 0;
  const sums: SquareSums = { grad: 0, weight: 0, previous: 0, update: 0 };
  for (const layer of leafLayers(layers)) {
    if (layer.params.length === 0) continue;
    sums.grad = sums.weight = sums.previous = sums.update = 0;
    for (const param of layer.params) addSquareSums(sums, param.grad, param.data, before[paramIndex++]);
    stats.push({
      layer: layer.index,
      path: layer.path,
      type: layer.type,
      gradNorm: Math.sqrt(sums.grad),
      weightNorm: Math.sqrt(sums.weight),
      updateRatio: sums.previous > 0 ? Math.sqrt(sums.update / sums.previous) : 0,
    });
  }
  return stats;
}
