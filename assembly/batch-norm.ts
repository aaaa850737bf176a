/**
 * Batch norm in training, on one chunk of `count` samples x [count, C, plane] at a time (the train step's chunks),
 * with the whole-batch reductions left to the host between two fork-joins (src/engine/kernels/wasm/
 * train-step-wasm.ts). The math and rounding are those of src/engine/layers/batchnorm.ts: float64 inside,
 * float32 stored.
 *   forward:  per chunk, for each channel c: the sum of its values and M2, the sum of squared deviations from
 *             the chunk's own mean (the host combines the chunks in chunk order into the batch mean and biased
 *             variance); then x̂ = (x − μ_c)·invStd_c and y = γ_c·x̂ + β_c
 *   backward: per chunk, Σ dy and Σ dy·x̂ of each channel (the host sums the chunks into dβ, dγ and the means
 *             below); then dx = scale_c·(dy − meanDy_c − x̂·meanDyXHat_c) with scale_c = γ_c·invStd_c
 * Per-channel arrays of the host are float64 (`mean`, `invStd`, `scale`, …); `partials` holds two float64 per
 * channel: [c·2] and [c·2 + 1].
 */

function plane0(base: usize, n: i32, channels: i32, c: i32, plane: i32): usize {
  return base + ((<usize>(n * channels + c) * <usize>plane) << 2);
}

function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}

/** partials[c] = [Σ x, Σ (x − chunk mean)²] over the chunk's values of channel c. */
export function batchNormChunkStatistics(count: i32, channels: i32, plane: i32, x: usize, partials: usize): void {
  const values = <f64>(count * plane);
  for (let c = 0; c < channels; c++) {
    let sum: f64 = 0;
    for (let n = 0; n < count; n++) {
      const row = plane0(x, n, channels, c, plane);
      for (let p = 0; p < plane; p++) sum += <f64>load<f32>(row + ((<usize>p) << 2));
    }
    const mean = sum / values;
    let squares: f64 = 0;
    for (let n = 0; n < count; n++) {
      const row = plane0(x, n, channels, c, plane);
      for (let p = 0; p < plane; p++) {
        const centered = <f64>load<f32>(row + ((<usize>p) << 2)) - mean;
        squares += centered * centered;
      }
    }
    store<f64>(partials + ((<usize>(2 * c)) << 3), sum);
    store<f64>(partials + ((<usize>(2 * c + 1)) << 3), squares);
  }
}

/** x̂ = (x − mean[c])·invStd[c] and y = γ[c]·x̂ + β[c], as batchNormForward in the layer. */
export function batchNormNormalize(
  count: i32,
  channels: i32,
  plane: i32,
  x: usize,
  xHat: usize,
  y: usize,
  gamma: usize,
  beta: usize,
  mean: usize,
  invStd: usize,
): void {
  for (let n = 0; n < count; n++) {
    for (let c = 0; c < channels; c++) {
      const mu = f64At(mean, c);
      const scale = f64At(invStd, c);
      const g = <f64>load<f32>(gamma + ((<usize>c) << 2));
      const b = <f64>load<f32>(beta + ((<usize>c) << 2));
      const start = (<usize>(n * channels + c) * <usize>plane) << 2;
      for (let p = 0; p < plane; p++) {
        const offset = start + ((<usize>p) << 2);
        const normalized = (<f64>load<f32>(x + offset) - mu) * scale;
        store<f32>(xHat + offset, <f32>normalized);
        store<f32>(y + offset, <f32>(g * normalized + b));
      }
    }
  }
}

/** partials[c] = [Σ dy, Σ dy·x̂] over the chunk's values of channel c. */
export function batchNormChunkGradientSums(
  count: i32,
  channels: i32,
  plane: i32,
  dy: usize,
  xHat: usize,
  partials: usize,
): void {
  for (let c = 0; c < channels; c++) {
    let sumDy: f64 = 0;
    let sumDyXHat: f64 = 0;
    for (let n = 0; n < count; n++) {
      const start = (<usize>(n * channels + c) * <usize>plane) << 2;
      for (let p = 0; p < plane; p++) {
        const offset = start + ((<usize>p) << 2);
        const d = <f64>load<f32>(dy + offset);
        sumDy += d;
        sumDyXHat += d * <f64>load<f32>(xHat + offset);
      }
    }
    store<f64>(partials + ((<usize>(2 * c)) << 3), sumDy);
    store<f64>(partials + ((<usize>(2 * c + 1)) << 3), sumDyXHat);
  }
}

/** dx = scale[c]·(dy − meanDy[c] − x̂·meanDyXHat[c]), as batchNormBackward in the layer. */
export function batchNormBackwardData(
  count: i32,
  channels: i32,
  plane: i32,
  dy: usize,
  xHat: usize,
  dx: usize,
  scale: usize,
  meanDy: usize,
  meanDyXHat: usize,
): void {
  for (let n = 0; n < count; n++) {
    for (let c = 0; c < channels; c++) {
      const s = f64At(scale, c);
      const md = f64At(meanDy, c);
      const mdx = f64At(meanDyXHat, c);
      const start = (<usize>(n * channels + c) * <usize>plane) << 2;
      for (let p = 0; p < plane; p++) {
        const offset = start + ((<usize>p) << 2);
        const d = <f64>load<f32>(dy + offset);
        store<f32>(dx + offset, <f32>(s * (d - md - <f64>load<f32>(xHat + offset) * mdx)));
      }
    }
  }
}
