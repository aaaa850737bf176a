/**
 * The losses of src/engine/losses, one thread per sample (K outputs each): per-sample loss, the fused gradient
 * dL/dy and the predicted class (the first highest score), all written to GPU buffers; the batch mean is summed
 * in a fixed order by reduce.ts. Conventions (DESIGN.md): L = (1/N) Σ_n ℓ_n;
 *   softmax-cross-entropy: ℓ_n = log Σ_k e^(y_nk) − y_n,t_n,   dy_nk = (p_nk − [k = t_n]) / N
 *   mse (one-hot t):       ℓ_n = ½ Σ_k (t_nk − y_nk)²,         dy_nk = (y_nk − t_nk) / N
 */
import type { LossName } from '../../spec/types';
import { type Dispatch, type GpuContext, LINEAR_ENTRY, LINEAR_INDEX, linearWorkgroups, words } from '../gpu-context';

const PER_SAMPLE: Record<LossName, string> = {
  'softmax-cross-entropy': /* wgsl */ `
  var sumExp = 0.0;
  for (var k = 0u; k < p.classes; k++) { sumExp += exp(y[row + k] - best); }
  loss[n] = best + log(sumExp) - y[row + label];
  for (var k = 0u; k < p.classes; k++) {
    let onehot = select(0.0, 1.0, k == label);
    dy[row + k] = (exp(y[row + k] - best) / sumExp - onehot) * scale;
  }`,
  mse: /* wgsl */ `
  var sum = 0.0;
  for (var k = 0u; k < p.classes; k++) {
    let diff = select(0.0, 1.0, k == label) - y[row + k];
    sum += diff * diff;
    dy[row + k] = -diff * scale;
  }
  loss[n] = 0.5 * sum;`,
};

function lossWgsl(name: LossName): string {
  return /* wgsl */ `
struct Params { batch: u32, classes: u32, predictionBase: u32, pad: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<u32>;
@group(0) @binding(3) var<storage, read_write> dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> loss: array<f32>;
@group(0) @binding(5) var<storage, read_write> predictions: array<u32>;
${LINEAR_ENTRY} {
  let n = ${LINEAR_INDEX};
  if (n >= p.batch) { return; }
  let row = n * p.classes;
  let label = labels[n];
  let scale = 1.0 / f32(p.batch);
  var best = y[row];
  var predicted = 0u;
  for (var k = 1u; k < p.classes; k++) {
    if (y[row + k] > best) {
      best = y[row + k];
      predicted = k;
    }
  }
  predictions[p.predictionBase + n] = predicted;
  ${PER_SAMPLE[name]}
}`;
}

export interface LossBuffers {
  y: GPUBuffer;
  labels: GPUBuffer;
  dy: GPUBuffer;
  /** Per-sample losses [batch]. */
  loss: GPUBuffer;
  predictions: GPUBuffer;
  predictionBase: number;
}

export function lossForwardBackward(
  ctx: GpuContext,
  name: LossName,
  batch: number,
  classes: number,
  buffers: LossBuffers,
): Dispatch {
  const { y, labels, dy, loss, predictions, predictionBase } = buffers;
  return ctx.dispatch(
    `${name}-loss`,
    lossWgsl(name),
    words([batch, classes, predictionBase, 0]),
    [y, labels, dy, loss, predictions],
    linearWorkgroups(batch),
  );
}
