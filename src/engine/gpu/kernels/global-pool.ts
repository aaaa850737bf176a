/**
 * globalavgpool on the GPU, as src/engine/layers/globalavgpool.ts: x [N,C,H,W] → y [N,C].
 *   forward:  y[i] = (Σ_p x[i·plane + p]) / plane, one thread per plane i = (n, c), summing in plane order
 *   backward: dx[i·plane + p] = dy[i] / plane
 */
import { type Dispatch, type GpuContext, LINEAR_ENTRY, LINEAR_INDEX, linearWorkgroups, words } from '../gpu-context';

const FORWARD_WGSL = /* wgsl */ `
struct Params { planes: u32, plane: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.planes) { return; }
  var sum = 0.0;
  for (var k = i * p.plane; k < (i + 1u) * p.plane; k++) { sum += x[k]; }
  y[i] = sum / f32(p.plane);
}`;

const BACKWARD_WGSL = /* wgsl */ `
struct Params { total: u32, plane: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  dx[i] = dy[i / p.plane] / f32(p.plane);
}`;

/** `planes` = N·C outputs, each the mean of `plane` = H·W inputs. */
export function globalAvgPoolForward(
  ctx: GpuContext,
  planes: number,
  plane: number,
  x: GPUBuffer,
  y: GPUBuffer,
): Dispatch {
  return ctx.dispatch('globalavgpool-forward', FORWARD_WGSL, words([planes, plane]), [x, y], linearWorkgroups(planes));
}

export function globalAvgPoolBackward(
  ctx: GpuContext,
  planes: number,
  plane: number,
  dy: GPUBuffer,
  dx: GPUBuffer,
): Dispatch {
  const total = planes * plane;
  return ctx.dispatch(
    'globalavgpool-backward',
    BACKWARD_WGSL,
    words([total, plane]),
    [dy, dx],
    linearWorkgroups(total),
  );
}
