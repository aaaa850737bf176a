/**
 * Sums in a fixed order (no float atomics), so one adapter gives the same numbers every run: one workgroup per
 * output; thread t adds elements t, t + 64, t + 128, … in order, then the 64 partial sums are added pairwise in
 * a tree of halving strides.
 */
import { type Dispatch, type GpuContext, words } from '../gpu-context';

const REDUCE_THREADS = 64;

const TREE = /* wgsl */ `
  partial[t] = sum;
  workgroupBarrier();
  for (var stride = ${REDUCE_THREADS / 2}u; stride > 0u; stride = stride / 2u) {
    if (t < stride) { partial[t] += partial[t + stride]; }
    workgroupBarrier();
  }`;

const SUM_ROWS_WGSL = /* wgsl */ `
struct Params { count: u32, inner: u32, innerStride: u32, outerStride: u32, jStride: u32, base: u32, outBase: u32, accumulate: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
var<workgroup> partial: array<f32, ${REDUCE_THREADS}>;

@compute @workgroup_size(${REDUCE_THREADS})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let j = wg.x;
  let t = lid.x;
  var sum = 0.0;
  for (var i = t; i < p.count; i += ${REDUCE_THREADS}u) {
    sum += src[p.base + j * p.jStride + (i % p.inner) * p.innerStride + (i / p.inner) * p.outerStride];
  }
  ${TREE}
  if (t == 0u) {
    var total = partial[0];
    if (p.accumulate == 1u) { total += out[p.outBase + j]; }
    out[p.outBase + j] = total;
  }
}`;

export interface SumArgs {
  src: GPUBuffer;
  out: GPUBuffer;
  /** outputs j = 0 … outputs − 1, each Σ_i over `count` elements */
  outputs: number;
  count: number;
  /** element (i, j) = base + j·jStride + (i % inner)·innerStride + (i / inner)·outerStride */
  base: number;
  jStride: number;
  inner: number;
  innerStride: number;
  outerStride: number;
  outBase: number;
  accumulate?: boolean;
}

/** out[outBase + j] (+)= Σ_i src[element (i, j)]: bias gradients, the batch's loss sum. */
export function sumRows(ctx: GpuContext, args: SumArgs): Dispatch {
  const params = words([
    args.count,
    args.inner,
    args.innerStride,
    args.outerStride,
    args.jStride,
    args.base,
    args.outBase,
    args.accumulate ? 1 : 0,
  ]);
  return ctx.dispatch('sum-rows', SUM_ROWS_WGSL, params, [args.src, args.out], [args.outputs, 1, 1]);
}

const SEGMENT_SQUARES_WGSL = /* wgsl */ `
struct Params { outBase: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> segments: array<u32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
var<workgroup> partial: array<f32, ${REDUCE_THREADS}>;

fn squares(which: u32, start: u32, end: u32, t: u32) -> f32 {
  var sum = 0.0;
  for (var i = start + t; i < end; i += ${REDUCE_THREADS}u) {
    var v = 0.0;
    if (which == 0u) { v = x[i]; } else { v = y[i]; }
    sum += v * v;
  }
  return sum;
}

@compute @workgroup_size(${REDUCE_THREADS})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let s = wg.x;
  let t = lid.x;
  let start = segments[2u * s];
  let end = start + segments[2u * s + 1u];
  for (var which = 0u; which < 2u; which++) {
    var sum = squares(which, start, end, t);
    ${TREE}
    if (t == 0u) { out[p.outBase + 2u * s + which] = partial[0]; }
    workgroupBarrier();
  }
}`;

/**
 * For each segment s = (start, length) of `segments`: out[outBase + 2s] = Σ x², out[outBase + 2s + 1] = Σ y² over
 * the segment. Per-layer gradient, weight and update norms (a layer's parameters are one segment).
 */
export function segmentSquares(
  ctx: GpuContext,
  x: GPUBuffer,
  y: GPUBuffer,
  segments: GPUBuffer,
  segmentCount: number,
  out: GPUBuffer,
  outBase: number,
): Dispatch {
  return ctx.dispatch(
    'segment-squares',
    SEGMENT_SQUARES_WGSL,
    words([outBase]),
    [x, y, segments, out],
    [segmentCount, 1, 1],
  );
}
