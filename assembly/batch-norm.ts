/**
 * Batch norm in training, on one chunk of `count` samples x [count, C, plane] at a time (the train step's chunks),
 * with the whole-batch reductions left to the host between two fork-joins (src/engine/kernels/wasm/
 * train-step-wasm.ts). The math is that of src/engine/layers/batchnorm.ts:
 *   forward:  per chunk, for each channel c: the sum of its values and M2, the sum of squared deviations from
 *             the chunk's own mean (the host combines the chunks in chunk order into the batch mean and biased
 *             variance); then x̂ = (x − μ_c)·invStd_c and y = γ_c·x̂ + β_c
 *   backward: per chunk, Σ dy and Σ dy·x̂ of each channel (the host sums the chunks into dβ, dγ and the means
 *             below); then dx = scale_c·(dy − meanDy_c − x̂·meanDyXHat_c) with scale_c = γ_c·invStd_c
 * The sums run in float64, two lanes at a time (their order is fixed by the shapes alone, so a chunk's sums are
 * the same on any thread); the elementwise passes run in float64 too, each value rounded once to float32, so
 * given the same statistics they give the layer's values bit for bit. The layer path
 * (src/engine/kernels/wasm/batchnorm-wasm.ts) runs the same kernels.
 * Per-channel arrays of the host are float64 (`mean`, `invStd`, `scale`, …); `partials` holds two float64 per
 * channel: [c·2] and [c·2 + 1].
 */

function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}

/** Byte offset of plane (n, c) of a [count, channels, plane] batch. */
function planeOffset(n: i32, channels: i32, c: i32, plane: i32): usize {
  return (<usize>(n * channels + c) * <usize>plane) << 2;
}

/** The four lanes of a float32 vector as two float64 vectors: [0, 1] and [2, 3]. */
function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

/** Σ row[p] over p < plane, in float64. */
function rowSum(row: usize, plane: i32): f64 {
  const vectorEnd = plane & ~3;
  let low = f64x2.splat(0);
  let upper = f64x2.splat(0);
  let p = 0;
  for (; p < vectorEnd; p += 4) {
    const v = v128.load(row + ((<usize>p) << 2));
    low = f64x2.add(low, f64x2.promote_low_f32x4(v));
    upper = f64x2.add(upper, high(v));
  }
  const lanes = f64x2.add(low, upper);
  let sum = f64x2.extract_lane(lanes, 0) + f64x2.extract_lane(lanes, 1);
  for (; p < plane; p++) sum += <f64>load<f32>(row + ((<usize>p) << 2));
  return sum;
}

/** Σ (row[p] − mean)² over p < plane, in float64. */
function rowSquares(row: usize, plane: i32, mean: f64): f64 {
  const vectorEnd = plane & ~3;
  const m = f64x2.splat(mean);
  let low = f64x2.splat(0);
  let upper = f64x2.splat(0);
  let p = 0;
  for (; p < vectorEnd; p += 4) {
    const v = v128.load(row + ((<usize>p) << 2));
    const a = f64x2.sub(f64x2.promote_low_f32x4(v), m);
    const b = f64x2.sub(high(v), m);
    low = f64x2.add(low, f64x2.mul(a, a));
    upper = f64x2.add(upper, f64x2.mul(b, b));
  }
  const lanes = f64x2.add(low, upper);
  let sum = f64x2.extract_lane(lanes, 0) + f64x2.extract_lane(lanes, 1);
  for (; p < plane; p++) {
    const centered = <f64>load<f32>(row + ((<usize>p) << 2)) - mean;
    sum += centered * centered;
  }
  return sum;
}

/** partials[c] = [Σ x, Σ (x − chunk mean)²] over the chunk's values of channel c. */
export function batchNormChunkStatistics(count: i32, channels: i32, plane: i32, x: usize, partials: usize): void {
  const values = <f64>(count * plane);
  for (let c = 0; c < channels; c++) {
    let sum: f64 = 0;
    for (let n = 0; n < count; n++) sum += rowSum(x + planeOffset(n, channels, c, plane), plane);
    const mean = sum / values;
    let squares: f64 = 0;
    for (let n = 0; n < count; n++) squares += rowSquares(x + planeOffset(n, channels, c, plane), plane, mean);
    store<f64>(partials + ((<usize>(2 * c)) << 3), sum);
    store<f64>(partials + ((<usize>(2 * c + 1)) << 3), squares);
  }
}

/** partials[c] = [Σ dy, Σ dy·x̂] over the chunk's values of channel c, both in one pass over dy. */
export function batchNormChunkGradientSums(
  count: i32,
  channels: i32,
  plane: i32,
  dy: usize,
  xHat: usize,
  partials: usize,
): void {
  const vectorEnd = plane & ~3;
  for (let c = 0; c < channels; c++) {
    let sumDy: f64 = 0;
    let sumDyXHat: f64 = 0;
    for (let n = 0; n < count; n++) {
      const start = planeOffset(n, channels, c, plane);
      let dyLow = f64x2.splat(0);
      let dyHigh = f64x2.splat(0);
      let dotLow = f64x2.splat(0);
      let dotHigh = f64x2.splat(0);
      let p = 0;
      for (; p < vectorEnd; p += 4) {
        const offset = start + ((<usize>p) << 2);
        const d = v128.load(dy + offset);
        const h = v128.load(xHat + offset);
        const dLow = f64x2.promote_low_f32x4(d);
        const dHigh = high(d);
        dyLow = f64x2.add(dyLow, dLow);
        dyHigh = f64x2.add(dyHigh, dHigh);
        dotLow = f64x2.add(dotLow, f64x2.mul(dLow, f64x2.promote_low_f32x4(h)));
        dotHigh = f64x2.add(dotHigh, f64x2.mul(dHigh, high(h)));
      }
      const dyLanes = f64x2.add(dyLow, dyHigh);
      const dotLanes = f64x2.add(dotLow, dotHigh);
      let rowDy = f64x2.extract_lane(dyLanes, 0) + f64x2.extract_lane(dyLanes, 1);
      let rowDot = f64x2.extract_lane(dotLanes, 0) + f64x2.extract_lane(dotLanes, 1);
      for (; p < plane; p++) {
        const offset = start + ((<usize>p) << 2);
        const d = <f64>load<f32>(dy + offset);
        rowDy += d;
        rowDot += d * <f64>load<f32>(xHat + offset);
      }
      sumDy += rowDy;
      sumDyXHat += rowDot;
    }
    store<f64>(partials + ((<usize>(2 * c)) << 3), sumDy);
    store<f64>(partials + ((<usize>(2 * c + 1)) << 3), sumDyXHat);
  }
}

/**
 * The layer path's split (src/engine/kernels/wasm/batchnorm-wasm.ts): the chunks [chunkStart, chunkEnd) of a
 * batch of `batch` samples cut into chunks of `chunkSize`, each chunk's partials at partials + chunk·channels·16
 * bytes. A chunk's sums depend on its samples alone, so any split of the chunks over threads gives the same
 * partials, and the host adds them up in chunk order.
 */
export function batchNormStatisticsChunks(
  chunkStart: i32,
  chunkEnd: i32,
  chunkSize: i32,
  batch: i32,
  channels: i32,
  plane: i32,
  x: usize,
  partials: usize,
): void {
  for (let k = chunkStart; k < chunkEnd; k++) {
    const n0 = k * chunkSize;
    const count = min(chunkSize, batch - n0);
    batchNormChunkStatistics(
      count,
      channels,
      plane,
      x + planeOffset(n0, channels, 0, plane),
      partials + ((<usize>(k * channels)) << 4),
    );
  }
}

/** batchNormChunkGradientSums over chunks [chunkStart, chunkEnd), laid out as batchNormStatisticsChunks. */
export function batchNormGradientSumsChunks(
  chunkStart: i32,
  chunkEnd: i32,
  chunkSize: i32,
  batch: i32,
  channels: i32,
  plane: i32,
  dy: usize,
  xHat: usize,
  partials: usize,
): void {
  for (let k = chunkStart; k < chunkEnd; k++) {
    const n0 = k * chunkSize;
    const count = min(chunkSize, batch - n0);
    const offset = planeOffset(n0, channels, 0, plane);
    batchNormChunkGradientSums(
      count,
      channels,
      plane,
      dy + offset,
      xHat + offset,
      partials + ((<usize>(k * channels)) << 4),
    );
  }
}

/** Four float32 lanes from two float64 vectors (lanes [0, 1] of each), each rounded once. */
function demoteBoth(low: v128, upper: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(upper), 0, 1, 4, 5);
}

/**
 * x̂ = (x − mean[c])·invStd[c] and y = γ[c]·x̂ + β[c] in float64, each rounded once to float32, as the layer's
 * reference (batchNormForward in src/engine/layers/batchnorm.ts). Plain multiplies and adds, no fused ones, so
 * both wasm builds agree too.
 */
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
  const vectorEnd = plane & ~3;
  for (let n = 0; n < count; n++) {
    for (let c = 0; c < channels; c++) {
      const mu = f64At(mean, c);
      const scale = f64At(invStd, c);
      const g = <f64>load<f32>(gamma + ((<usize>c) << 2));
      const b = <f64>load<f32>(beta + ((<usize>c) << 2));
      const muV = f64x2.splat(mu);
      const scaleV = f64x2.splat(scale);
      const gV = f64x2.splat(g);
      const bV = f64x2.splat(b);
      const start = planeOffset(n, channels, c, plane);
      let p = 0;
      for (; p < vectorEnd; p += 4) {
        const offset = start + ((<usize>p) << 2);
        const v = v128.load(x + offset);
        const low = f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(v), muV), scaleV);
        const upper = f64x2.mul(f64x2.sub(high(v), muV), scaleV);
        v128.store(xHat + offset, demoteBoth(low, upper));
        v128.store(y + offset, demoteBoth(f64x2.add(f64x2.mul(gV, low), bV), f64x2.add(f64x2.mul(gV, upper), bV)));
      }
      for (; p < plane; p++) {
        const offset = start + ((<usize>p) << 2);
        const normalized = (<f64>load<f32>(x + offset) - mu) * scale;
        store<f32>(xHat + offset, <f32>normalized);
        store<f32>(y + offset, <f32>(g * normalized + b));
      }
    }
  }
}

/**
 * dx = scale[c]·(dy − meanDy[c] − x̂·meanDyXHat[c]) in float64, rounded once, as the layer's reference
 * (batchNormBackward).
 */
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
  const vectorEnd = plane & ~3;
  for (let n = 0; n < count; n++) {
    for (let c = 0; c < channels; c++) {
      const s = f64At(scale, c);
      const md = f64At(meanDy, c);
      const mdx = f64At(meanDyXHat, c);
      const sV = f64x2.splat(s);
      const mdV = f64x2.splat(md);
      const mdxV = f64x2.splat(mdx);
      const start = planeOffset(n, channels, c, plane);
      let p = 0;
      for (; p < vectorEnd; p += 4) {
        const offset = start + ((<usize>p) << 2);
        const d = v128.load(dy + offset);
        const h = v128.load(xHat + offset);
        const low = f64x2.sub(f64x2.sub(f64x2.promote_low_f32x4(d), mdV), f64x2.mul(f64x2.promote_low_f32x4(h), mdxV));
        const upper = f64x2.sub(f64x2.sub(high(d), mdV), f64x2.mul(high(h), mdxV));
        v128.store(dx + offset, demoteBoth(f64x2.mul(sV, low), f64x2.mul(sV, upper)));
      }
      for (; p < plane; p++) {
        const offset = start + ((<usize>p) << 2);
        const centered = <f64>load<f32>(dy + offset) - md - <f64>load<f32>(xHat + offset) * mdx;
        store<f32>(dx + offset, <f32>(s * centered));
      }
    }
  }
}
