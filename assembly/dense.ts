/**
 * dense (torch.nn.Linear) on float32 in linear memory, the same math as src/engine/layers/dense.ts:
 *   y[n,o] = b[o] + Σ_f W[o,f] · x[n,f]; x [N,F] → y [N,O]; W [O,F], b [O].
 */
import { gemm } from './gemm';

export function denseForward(
  batch: i32,
  features: i32,
  units: i32,
  x: usize,
  weight: usize,
  bias: usize,
  y: usize,
  pack: usize,
): void {
  const rowBytes = (<usize>units) << 2;
  for (let n = 0; n < batch; n++) memory.copy(y + <usize>n * rowBytes, bias, rowBytes);
  // y[n, o] += Σ_f x[n, f] · W[o, f]
  gemm(batch, units, features, x, features, 1, weight, 1, features, y, units, true, pack);
}

/** In the forward pass this was y = x · Wᵀ + b, so now we have dx = dy · W (overwriting dx). */
export function denseBackwardData(
  batch: i32,
  features: i32,
  units: i32,
  dy: usize,
  weight: usize,
  dx: usize,
  pack: usize,
): void {
  gemm(batch, features, units, dy, units, 1, weight, features, 1, dx, features, false, pack);
}

/** In the forward pass this was y = x · Wᵀ + b, so now we have dW += dyᵀ · x and db[o] += Σ_n dy[n,o]. */
export function denseBackwardFilter(
  batch: i32,
  features: i32,
  units: i32,
  x: usize,
  dy: usize,
  dWeight: usize,
  dBias: usize,
  pack: usize,
): void {
  for (let o = 0; o < units; o++) {
    let sum: f32 = 0;
    for (let n = 0; n < batch; n++) sum += load<f32>(dy + ((<usize>(n * units + o)) << 2));
    const at = dBias + ((<usize>o) << 2);
    store<f32>(at, load<f32>(at) + sum);
  }
  gemm(units, features, batch, dy, 1, units, x, features, 1, dWeight, features, true, pack);
}
