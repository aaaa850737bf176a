/**
 * dense (torch.nn.Linear) on float32 in linear memory, the same math as src/engine/layers/dense.ts:
 *   y[n,o] = b[o] + Σ_f W[o,f] · x[n,f]; x [N,F] → y [N,O]; W [O,F], b [O].
 * Threads split the columns of each product (a range of units or of features), never the batch or any other
 * sum, so every entry is summed in the same order however many threads run. Each thread packs only its columns.
 */
import { gemm } from './gemm';

/** Columns [unitStart, unitEnd) of y = x · Wᵀ + b, overwriting them. */
export function denseForward(
  batch: i32,
  features: i32,
  units: i32,
  x: usize,
  weight: usize,
  bias: usize,
  y: usize,
  pack: usize,
  unitStart: i32,
  unitEnd: i32,
): void {
  const count = unitEnd - unitStart;
  if (count <= 0) return;
  const yColumns = y + ((<usize>unitStart) << 2);
  const rowBytes = (<usize>units) << 2;
  for (let n = 0; n < batch; n++) {
    memory.copy(yColumns + <usize>n * rowBytes, bias + ((<usize>unitStart) << 2), (<usize>count) << 2);
  }
  // y[n, o] += Σ_f x[n, f] · W[o, f]
  const weightRows = weight + ((<usize>(unitStart * features)) << 2);
  gemm(batch, count, features, x, features, 1, weightRows, 1, features, yColumns, units, true, pack);
}

/**
 * y = x · Wᵀ + b for `batch` samples and every unit, overwriting y, from Wᵀ [features, units] (row-major, as
 * transpose.ts lays it out): the same products as denseForward, summed in the same order, but gemm reads Wᵀ's
 * rows in place (for up to 16 samples) where denseForward packs W's columns, one value at a time, at every call.
 * The training step transposes W once per step and runs this on every chunk.
 */
export function denseForwardTransposed(
  batch: i32,
  features: i32,
  units: i32,
  x: usize,
  weightT: usize,
  bias: usize,
  y: usize,
  pack: usize,
): void {
  const rowBytes = (<usize>units) << 2;
  for (let n = 0; n < batch; n++) memory.copy(y + <usize>n * rowBytes, bias, rowBytes);
  // y[n, o] += Σ_f x[n, f] · Wᵀ[f, o]
  gemm(batch, units, features, x, features, 1, weightT, units, 1, y, units, true, pack);
}

/** In the forward pass this was y = x · Wᵀ + b, so now dx = dy · W: columns [featureStart, featureEnd), overwritten. */
export function denseBackwardData(
  batch: i32,
  features: i32,
  units: i32,
  dy: usize,
  weight: usize,
  dx: usize,
  pack: usize,
  featureStart: i32,
  featureEnd: i32,
): void {
  const offset = (<usize>featureStart) << 2;
  gemm(
    batch,
    featureEnd - featureStart,
    units,
    dy,
    units,
    1,
    weight + offset,
    features,
    1,
    dx + offset,
    features,
    false,
    pack,
  );
}

/**
 * In the forward pass this was y = x · Wᵀ + b, so now dW += dyᵀ · x (columns [featureStart, featureEnd) of dW)
 * and db[o] += Σ_n dy[n,o] (for o in [unitStart, unitEnd)).
 */
export function denseBackwardFilter(
  batch: i32,
  features: i32,
  units: i32,
  x: usize,
  dy: usize,
  dWeight: usize,
  dBias: usize,
  pack: usize,
  featureStart: i32,
  featureEnd: i32,
  unitStart: i32,
  unitEnd: i32,
): void {
  for (let o = unitStart; o < unitEnd; o++) {
    let sum: f32 = 0;
    for (let n = 0; n < batch; n++) sum += load<f32>(dy + ((<usize>(n * units + o)) << 2));
    const at = dBias + ((<usize>o) << 2);
    store<f32>(at, load<f32>(at) + sum);
  }
  const offset = (<usize>featureStart) << 2;
  gemm(
    units,
    featureEnd - featureStart,
    batch,
    dy,
    1,
    units,
    x + offset,
    features,
    1,
    dWeight + offset,
    features,
    true,
    pack,
  );
}
