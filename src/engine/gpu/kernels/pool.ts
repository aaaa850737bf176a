/**
 * maxpool2d and avgpool2d on [N,C,H,W] planes, as src/engine/layers/maxpool2d.ts and avgpool2d.ts. Max-pool keeps
 * the winner of every window (first maximum in row-major window order; a NaN wins, as in PyTorch) for backward.
 * Both backward passes gather: each input pixel sums the deltas of the windows that cover it (and, for max-pool,
 * chose it) in ascending window order, the order in which the CPU scatter adds them; windows may overlap.
 */
import type { Pool2dDims } from '../../kernels/dims';
import { type Dispatch, type GpuContext, LINEAR_ENTRY, LINEAR_INDEX, linearWorkgroups, words } from '../gpu-context';

const DIMS = /* wgsl */ `
struct Params { total: u32, height: u32, width: u32, pool: u32, stride: u32, outHeight: u32, outWidth: u32, pad0: u32 }
@group(0) @binding(0) var<uniform> p: Params;`;

const MAX_FORWARD_WGSL = /* wgsl */ `${DIMS}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> argmax: array<u32>;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  let ow = i % p.outWidth;
  let oh = (i / p.outWidth) % p.outHeight;
  let plane = i / (p.outWidth * p.outHeight);
  let xPlane = plane * p.height * p.width;
  let start = oh * p.stride * p.width + ow * p.stride;
  var best = x[xPlane + start];
  var bestIndex = start;
  for (var kh = 0u; kh < p.pool; kh++) {
    for (var kw = 0u; kw < p.pool; kw++) {
      let at = start + kh * p.width + kw;
      let v = x[xPlane + at];
      // strict > keeps the first of equal maxima; v != v is a NaN, which wins (once) so that it propagates
      if (v > best || (v != v && best == best)) {
        best = v;
        bestIndex = at;
      }
    }
  }
  y[i] = best;
  argmax[i] = bestIndex;
}`;

/** The windows covering input row (column) `at`: o in [first, last], o·s ≤ at < o·s + K, clipped to the output. */
const WINDOW_RANGE = /* wgsl */ `
fn firstWindow(at: u32) -> u32 {
  if (at + 1u <= p.pool) { return 0u; }
  return (at + 1u - p.pool + p.stride - 1u) / p.stride;
}
fn lastWindow(at: u32, outSize: u32) -> u32 { return min(at / p.stride, outSize - 1u); }`;

const MAX_BACKWARD_WGSL = /* wgsl */ `${DIMS}
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> argmax: array<u32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
${WINDOW_RANGE}
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  let iw = i % p.width;
  let ih = (i / p.width) % p.height;
  let plane = i / (p.width * p.height);
  let yPlane = plane * p.outHeight * p.outWidth;
  let here = ih * p.width + iw;
  var sum = 0.0;
  for (var oh = firstWindow(ih); oh <= lastWindow(ih, p.outHeight); oh++) {
    for (var ow = firstWindow(iw); ow <= lastWindow(iw, p.outWidth); ow++) {
      let o = yPlane + oh * p.outWidth + ow;
      if (argmax[o] == here) { sum += dy[o]; }
    }
  }
  dx[i] = sum;
}`;

const AVG_FORWARD_WGSL = /* wgsl */ `${DIMS}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  let ow = i % p.outWidth;
  let oh = (i / p.outWidth) % p.outHeight;
  let plane = i / (p.outWidth * p.outHeight);
  let start = plane * p.height * p.width + oh * p.stride * p.width + ow * p.stride;
  var sum = 0.0;
  for (var kh = 0u; kh < p.pool; kh++) {
    for (var kw = 0u; kw < p.pool; kw++) { sum += x[start + kh * p.width + kw]; }
  }
  y[i] = sum * (1.0 / f32(p.pool * p.pool));
}`;

const AVG_BACKWARD_WGSL = /* wgsl */ `${DIMS}
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
${WINDOW_RANGE}
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  let iw = i % p.width;
  let ih = (i / p.width) % p.height;
  let plane = i / (p.width * p.height);
  let yPlane = plane * p.outHeight * p.outWidth;
  let scale = 1.0 / f32(p.pool * p.pool);
  var sum = 0.0;
  for (var oh = firstWindow(ih); oh <= lastWindow(ih, p.outHeight); oh++) {
    for (var ow = firstWindow(iw); ow <= lastWindow(iw, p.outWidth); ow++) {
      sum += dy[yPlane + oh * p.outWidth + ow] * scale;
    }
  }
  dx[i] = sum;
}`;

function params(d: Pool2dDims, total: number): Uint32Array {
  return words([total, d.inHeight, d.inWidth, d.pool, d.stride, d.outHeight, d.outWidth, 0]);
}

function outputs(d: Pool2dDims, batch: number): number {
  return batch * d.channels * d.outHeight * d.outWidth;
}

function inputs(d: Pool2dDims, batch: number): number {
  return batch * d.channels * d.inHeight * d.inWidth;
}

export function maxPoolForward(
  ctx: GpuContext,
  d: Pool2dDims,
  batch: number,
  x: GPUBuffer,
  y: GPUBuffer,
  argmax: GPUBuffer,
): Dispatch {
  const total = outputs(d, batch);
  return ctx.dispatch('maxpool-forward', MAX_FORWARD_WGSL, params(d, total), [x, y, argmax], linearWorkgroups(total));
}

export function maxPoolBackward(
  ctx: GpuContext,
  d: Pool2dDims,
  batch: number,
  dy: GPUBuffer,
  argmax: GPUBuffer,
  dx: GPUBuffer,
): Dispatch {
  const total = inputs(d, batch);
  return ctx.dispatch(
    'maxpool-backward',
    MAX_BACKWARD_WGSL,
    params(d, total),
    [dy, argmax, dx],
    linearWorkgroups(total),
  );
}

export function avgPoolForward(ctx: GpuContext, d: Pool2dDims, batch: number, x: GPUBuffer, y: GPUBuffer): Dispatch {
  const total = outputs(d, batch);
  return ctx.dispatch('avgpool-forward', AVG_FORWARD_WGSL, params(d, total), [x, y], linearWorkgroups(total));
}

export function avgPoolBackward(ctx: GpuContext, d: Pool2dDims, batch: number, dy: GPUBuffer, dx: GPUBuffer): Dispatch {
  const total = inputs(d, batch);
  return ctx.dispatch('avgpool-backward', AVG_BACKWARD_WGSL, params(d, total), [dy, dx], linearWorkgroups(total));
}
