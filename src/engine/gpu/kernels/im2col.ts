/**
 * The column matrices of conv2d for a whole batch, in GPU memory: cols[n, r, p] with r = (c·K + kh)·K + kw and
 * p = oh·OW + ow holds x[n, c, oh·s − p + kh, ow·s − p + kw] (0 outside x), as src/engine/layers/conv2d.ts's im2col.
 * col2im is its adjoint, written as a gather so that no two threads add into one place: each input pixel sums
 * the column entries copied from it, in ascending (kh, kw) order as the CPU's col2im adds them.
 */
import type { Conv2dDims } from '../../kernels/dims';
import { type Dispatch, type GpuContext, LINEAR_ENTRY, LINEAR_INDEX, linearWorkgroups, words } from '../gpu-context';

const DIMS = /* wgsl */ `
struct Params { total: u32, channels: u32, height: u32, width: u32, kernel: u32, stride: u32, pad: u32,
  outHeight: u32, outWidth: u32, xBase: u32, pad1: u32, pad2: u32 }
@group(0) @binding(0) var<uniform> p: Params;`;

const IM2COL_WGSL = /* wgsl */ `${DIMS}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> cols: array<f32>;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  let plane = p.outHeight * p.outWidth;
  let patchSize = p.channels * p.kernel * p.kernel;
  let pos = i % plane;
  let r = (i / plane) % patchSize;
  let n = i / (plane * patchSize);
  let kw = r % p.kernel;
  let kh = (r / p.kernel) % p.kernel;
  let c = r / (p.kernel * p.kernel);
  let ih = i32((pos / p.outWidth) * p.stride + kh) - i32(p.pad);
  let iw = i32((pos % p.outWidth) * p.stride + kw) - i32(p.pad);
  var v = 0.0;
  if (ih >= 0 && iw >= 0 && ih < i32(p.height) && iw < i32(p.width)) {
    v = x[p.xBase + ((n * p.channels + c) * p.height + u32(ih)) * p.width + u32(iw)];
  }
  cols[i] = v;
}`;

const COL2IM_WGSL = /* wgsl */ `${DIMS}
@group(0) @binding(1) var<storage, read> cols: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  let plane = p.outHeight * p.outWidth;
  let patchSize = p.channels * p.kernel * p.kernel;
  let iw = i32(i % p.width);
  let ih = i32((i / p.width) % p.height);
  let c = (i / (p.width * p.height)) % p.channels;
  let n = i / (p.width * p.height * p.channels);
  var sum = 0.0;
  for (var kh = 0u; kh < p.kernel; kh++) {
    let rowSpan = ih + i32(p.pad) - i32(kh);
    if (rowSpan < 0 || rowSpan % i32(p.stride) != 0) { continue; }
    let oh = u32(rowSpan) / p.stride;
    if (oh >= p.outHeight) { continue; }
    for (var kw = 0u; kw < p.kernel; kw++) {
      let colSpan = iw + i32(p.pad) - i32(kw);
      if (colSpan < 0 || colSpan % i32(p.stride) != 0) { continue; }
      let ow = u32(colSpan) / p.stride;
      if (ow >= p.outWidth) { continue; }
      let r = (c * p.kernel + kh) * p.kernel + kw;
      sum += cols[(n * patchSize + r) * plane + oh * p.outWidth + ow];
    }
  }
  dx[p.xBase + i] = sum;
}`;

function params(d: Conv2dDims, total: number, xBase: number): Uint32Array {
  return words([
    total,
    d.inChannels,
    d.inHeight,
    d.inWidth,
    d.kernel,
    d.stride,
    d.pad,
    d.outHeight,
    d.outWidth,
    xBase,
    0,
    0,
  ]);
}

/** cols [batch, C·K·K, OH·OW] from x [batch, C, H, W] starting at element xBase of `x`. */
export function im2col(
  ctx: GpuContext,
  d: Conv2dDims,
  batch: number,
  x: GPUBuffer,
  xBase: number,
  cols: GPUBuffer,
): Dispatch {
  const total = batch * d.inChannels * d.kernel * d.kernel * d.outHeight * d.outWidth;
  return ctx.dispatch('im2col', IM2COL_WGSL, params(d, total, xBase), [x, cols], linearWorkgroups(total));
}

/** dx [batch, C, H, W] (overwritten, from element xBase) = the adjoint of im2col applied to dcols. */
export function col2im(
  ctx: GpuContext,
  d: Conv2dDims,
  batch: number,
  cols: GPUBuffer,
  dx: GPUBuffer,
  xBase: number,
): Dispatch {
  const total = batch * d.inChannels * d.inHeight * d.inWidth;
  return ctx.dispatch('col2im', COL2IM_WGSL, params(d, total, xBase), [cols, dx], linearWorkgroups(total));
}
