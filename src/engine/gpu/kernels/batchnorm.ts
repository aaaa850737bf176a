/**
 * batchnorm on the GPU, as src/engine/layers/batchnorm.ts, for x read as [N, C, plane] (plane = H·W, or 1 for
 * BatchNorm1d). Per channel c, one workgroup of 256 threads sums its M = N·plane values in a fixed order (thread
 * t takes values t, t + 256, …; then a tree of halving strides), so the statistics are the same on every run:
 *   statistics (training): μ_c, the biased σ²_c (a second pass over x − μ_c), invStd_c = 1/√(σ²_c + ε), and the
 *     running statistics moved towards them (running_var takes the unbiased σ²_c·M/(M − 1)); channel 0 also
 *     counts num_batches_tracked. In evaluation the kernel copies the running statistics instead.
 *   normalize: x̂ = (x − μ_c)·invStd_c, y = γ_c·x̂ + β_c (x̂ kept for backward).
 *   backward sums: dβ_c = Σ dy, dγ_c = Σ dy·x̂ (overwriting the gradients).
 *   dx = γ_c·invStd_c·(dy − mean(dy) − x̂·mean(dy·x̂)) in training, γ_c·invStd_c·dy in evaluation.
 * `stats` holds (μ_c, invStd_c) per channel; `buffers` holds running_mean, running_var and num_batches_tracked.
 */
import { type Dispatch, type GpuContext, LINEAR_ENTRY, LINEAR_INDEX, linearWorkgroups, words } from '../gpu-context';

/** The most invocations a workgroup may have by WebGPU's default limits: one channel's sums spread widest. */
const THREADS = 256;

/** Element i (0 ≤ i < M) of channel c in [N, C, plane]. */
const AT = 'fn at(c: u32, i: u32) -> u32 { return ((i / p.plane) * p.channels + c) * p.plane + i % p.plane; }';

/** Sums `partial` over the workgroup into partial[0] (every thread must call it). */
const TREE_FN = /* wgsl */ `
var<workgroup> partial: array<f32, ${THREADS}>;
fn tree(t: u32, value: f32) -> f32 {
  workgroupBarrier();
  partial[t] = value;
  workgroupBarrier();
  for (var stride = ${THREADS / 2}u; stride > 0u; stride = stride / 2u) {
    if (t < stride) { partial[t] += partial[t + stride]; }
    workgroupBarrier();
  }
  return partial[0];
}`;

const DIMS = 'batch: u32, channels: u32, plane: u32';

const STATISTICS_WGSL = /* wgsl */ `
struct Params { ${DIMS}, training: u32, momentum: f32, eps: f32, runningMean: u32, runningVar: u32, tracked: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> stats: array<f32>;
@group(0) @binding(3) var<storage, read_write> buffers: array<f32>;
${AT}
${TREE_FN}
@compute @workgroup_size(${THREADS})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let c = wg.x;
  let t = lid.x;
  if (p.training == 0u) {
    if (t == 0u) {
      stats[2u * c] = buffers[p.runningMean + c];
      stats[2u * c + 1u] = 1.0 / sqrt(buffers[p.runningVar + c] + p.eps);
    }
    return;
  }
  let count = p.batch * p.plane;
  var sum = 0.0;
  for (var i = t; i < count; i += ${THREADS}u) { sum += x[at(c, i)]; }
  let mean = tree(t, sum) / f32(count);
  var squares = 0.0;
  for (var i = t; i < count; i += ${THREADS}u) {
    let centered = x[at(c, i)] - mean;
    squares += centered * centered;
  }
  let variance = tree(t, squares) / f32(count);
  if (t == 0u) {
    stats[2u * c] = mean;
    stats[2u * c + 1u] = 1.0 / sqrt(variance + p.eps);
    let m = p.momentum;
    let unbiased = variance * (f32(count) / f32(count - 1u));
    buffers[p.runningMean + c] = (1.0 - m) * buffers[p.runningMean + c] + m * mean;
    buffers[p.runningVar + c] = (1.0 - m) * buffers[p.runningVar + c] + m * unbiased;
    if (c == 0u) { buffers[p.tracked] = buffers[p.tracked] + 1.0; }
  }
}`;

const NORMALIZE_WGSL = /* wgsl */ `
struct Params { total: u32, channels: u32, plane: u32, gamma: u32, beta: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> stats: array<f32>;
@group(0) @binding(3) var<storage, read> params: array<f32>;
@group(0) @binding(4) var<storage, read_write> xHat: array<f32>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  let c = (i / p.plane) % p.channels;
  let normalized = (x[i] - stats[2u * c]) * stats[2u * c + 1u];
  xHat[i] = normalized;
  y[i] = params[p.gamma + c] * normalized + params[p.beta + c];
}`;

const GRADIENT_SUMS_WGSL = /* wgsl */ `
struct Params { ${DIMS}, gamma: u32, beta: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> xHat: array<f32>;
@group(0) @binding(3) var<storage, read_write> grads: array<f32>;
${AT}
${TREE_FN}
@compute @workgroup_size(${THREADS})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let c = wg.x;
  let t = lid.x;
  let count = p.batch * p.plane;
  var sumDy = 0.0;
  var sumDyXHat = 0.0;
  for (var i = t; i < count; i += ${THREADS}u) {
    let k = at(c, i);
    sumDy += dy[k];
    sumDyXHat += dy[k] * xHat[k];
  }
  let dBeta = tree(t, sumDy);
  let dGamma = tree(t, sumDyXHat);
  if (t == 0u) {
    grads[p.beta + c] = dBeta;
    grads[p.gamma + c] = dGamma;
  }
}`;

const INPUT_GRADIENT_WGSL = /* wgsl */ `
struct Params { total: u32, channels: u32, plane: u32, gamma: u32, beta: u32, training: u32, count: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> xHat: array<f32>;
@group(0) @binding(3) var<storage, read> stats: array<f32>;
@group(0) @binding(4) var<storage, read> params: array<f32>;
@group(0) @binding(5) var<storage, read> grads: array<f32>;
@group(0) @binding(6) var<storage, read_write> dx: array<f32>;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  let c = (i / p.plane) % p.channels;
  let scale = params[p.gamma + c] * stats[2u * c + 1u];
  var centered = dy[i];
  if (p.training == 1u) {
    let meanDy = grads[p.beta + c] / f32(p.count);
    let meanDyXHat = grads[p.gamma + c] / f32(p.count);
    centered = dy[i] - meanDy - xHat[i] * meanDyXHat;
  }
  dx[i] = scale * centered;
}`;

export interface BatchNormGpuDims {
  batch: number;
  channels: number;
  plane: number;
}

/** Where a batchnorm layer's values live: γ and β in params/grads, its running statistics in buffers. */
export interface BatchNormPlaces {
  params: GPUBuffer;
  grads: GPUBuffer;
  buffers: GPUBuffer;
  gamma: number;
  beta: number;
  runningMean: number;
  runningVar: number;
  tracked: number;
}

export function batchNormStatistics(
  ctx: GpuContext,
  d: BatchNormGpuDims,
  training: boolean,
  momentum: number,
  eps: number,
  x: GPUBuffer,
  stats: GPUBuffer,
  places: BatchNormPlaces,
): Dispatch {
  const params = words([
    d.batch,
    d.channels,
    d.plane,
    training ? 1 : 0,
    { f32: momentum },
    { f32: eps },
    places.runningMean,
    places.runningVar,
    places.tracked,
  ]);
  return ctx.dispatch('batchnorm-statistics', STATISTICS_WGSL, params, [x, stats, places.buffers], [d.channels, 1, 1]);
}

export function batchNormNormalize(
  ctx: GpuContext,
  d: BatchNormGpuDims,
  x: GPUBuffer,
  stats: GPUBuffer,
  places: BatchNormPlaces,
  xHat: GPUBuffer,
  y: GPUBuffer,
): Dispatch {
  const total = d.batch * d.channels * d.plane;
  const params = words([total, d.channels, d.plane, places.gamma, places.beta]);
  return ctx.dispatch(
    'batchnorm-normalize',
    NORMALIZE_WGSL,
    params,
    [x, stats, places.params, xHat, y],
    linearWorkgroups(total),
  );
}

export function batchNormGradientSums(
  ctx: GpuContext,
  d: BatchNormGpuDims,
  dy: GPUBuffer,
  xHat: GPUBuffer,
  places: BatchNormPlaces,
): Dispatch {
  const params = words([d.batch, d.channels, d.plane, places.gamma, places.beta]);
  return ctx.dispatch(
    'batchnorm-gradient-sums',
    GRADIENT_SUMS_WGSL,
    params,
    [dy, xHat, places.grads],
    [d.channels, 1, 1],
  );
}

/** dx; reads dγ and dβ (the sums of the dispatch before) from the gradients. */
export function batchNormInputGradient(
  ctx: GpuContext,
  d: BatchNormGpuDims,
  training: boolean,
  dy: GPUBuffer,
  xHat: GPUBuffer,
  stats: GPUBuffer,
  places: BatchNormPlaces,
  dx: GPUBuffer,
): Dispatch {
  const total = d.batch * d.channels * d.plane;
  const params = words([total, d.channels, d.plane, places.gamma, places.beta, training ? 1 : 0, d.batch * d.plane]);
  return ctx.dispatch(
    'batchnorm-input-gradient',
    INPUT_GRADIENT_WGSL,
    params,
    [dy, xHat, stats, places.params, places.grads, dx],
    linearWorkgroups(total),
  );
}
