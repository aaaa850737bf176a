/**
 * The batch arrives as its dataset's own bytes and becomes float on the GPU, as fillBatch does on the CPU
 * (src/engine/data/dataset.ts): x = (pixel · scale − mean[c]) / std[c], with scale 1/255 for uint8 pixels and 1
 * for float32 ones. uint8 pixels travel four to a 32-bit word, so an upload is a quarter of the float batch.
 */
import { type Dispatch, type GpuContext, LINEAR_ENTRY, LINEAR_INDEX, linearWorkgroups, words } from '../gpu-context';

const INPUT_WGSL = /* wgsl */ `
struct Params { total: u32, plane: u32, channels: u32, bytes: u32, scale: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> raw: array<u32>;
@group(0) @binding(2) var<storage, read> normalization: array<f32>;
@group(0) @binding(3) var<storage, read_write> x: array<f32>;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  var v = 0.0;
  if (p.bytes == 1u) {
    v = f32((raw[i / 4u] >> ((i % 4u) * 8u)) & 255u);
  } else {
    v = bitcast<f32>(raw[i]);
  }
  let c = (i / p.plane) % p.channels;
  x[i] = (v * p.scale - normalization[2u * c]) * normalization[2u * c + 1u];
}`;

/**
 * x [batch, C, H, W] from `raw` (uint8 packed in words, or float32 bits); `normalization` holds (mean, 1/std) per
 * channel, (0, 1) when the run does not normalize.
 */
export function convertInput(
  ctx: GpuContext,
  total: number,
  plane: number,
  channels: number,
  pixelBytes: 1 | 4,
  raw: GPUBuffer,
  normalization: GPUBuffer,
  x: GPUBuffer,
): Dispatch {
  const params = words([total, plane, channels, pixelBytes, { f32: pixelBytes === 1 ? 1 / 255 : 1 }]);
  return ctx.dispatch('input', INPUT_WGSL, params, [raw, normalization, x], linearWorkgroups(total));
}
