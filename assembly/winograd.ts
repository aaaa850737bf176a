/**
 * 3×3 stride-1 convolution by Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray 2015), the same result as
 * the im2col path in conv2d.ts up to float rounding, with 16 multiplies per 2×2 output tile and channel pair
 * instead of 36:
 *   output tile (2×2) = Aᵀ [ Σ_c (G g[o,c] Gᵀ) ⊙ (Bᵀ d[c] B) ] A
 * for each input tile d[c] (4×4, overlapping its neighbours by 2) and filter g[o,c] (3×3), with
 *   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],  G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],  Aᵀ = [1 1 1 0; 0 1 −1 −1].
 * The sum over channels at each of the 16 positions ξ of a tile is a matrix product
 *   M[ξ] [filters × tiles] = U[ξ] [filters × channels] · V[ξ] [channels × tiles],
 * with the tiles of several samples side by side as columns so that the 16 products are big enough for gemm.
 * The input gradient of a 3×3 stride-1 convolution with padding p is itself one: dy correlated with the filters
 * flipped in both axes and with filters and channels swapped, padding 2 − p (see winogradBackwardData).
 * The weight gradient runs the chain rule through the same formula: dU[ξ][o, c] = Σ_tiles (A dy Aᵀ)[ξ] · V[ξ][c]
 * (16 products summed over the tiles) and dW[o, c] = Gᵀ dU[·][o, c] G (see winogradBackwardFilter).
 *
 * Scratch (`scratch`, floats, each part 16-byte aligned, sized by winogradForwardFloats and
 * winogradBackwardDataFloats):
 *   U [16][filters][channels] | V [16][channels][ldT] | M [16][filters][ldT] | plane | gemm's pack area
 * where plane is one zero-padded input channel. Transforms run on 4 horizontally adjacent tiles at once (one per
 * SIMD lane); the lanes past a row's last tile compute values nobody reads, which is why V and M rows have ldT ≥
 * tiles + 3 floats and the plane is a multiple of 8 columns wide plus 4.
 * Each output element depends on its own sample only and gemm sums every entry of M in the same order however
 * many columns it has, so results do not depend on how a batch is split into calls or groups.
 */
import { DEPTH_BLOCK, gemm } from './gemm';

/** Tiles (gemm columns) per group of samples: V and M of a group stay in L2 for the channel counts used here. */
const TILE_BUDGET: i32 = 128;

/** The convolution being run, in the terms of a forward pass (backward data swaps them; see setGeometry). */
let channels: i32 = 0;
let filters: i32 = 0;
let inHeight: i32 = 0;
let inWidth: i32 = 0;
let pad: i32 = 0;
let outHeight: i32 = 0;
let outWidth: i32 = 0;
/** Tiles per sample (tilesHigh × tilesWide), samples per group, floats between rows of V and M. */
let tilesHigh: i32 = 0;
let tilesWide: i32 = 0;
let sampleTiles: i32 = 0;
let groupSamples: i32 = 0;
let ldT: i32 = 0;
let planeHigh: i32 = 0;
let planeWide: i32 = 0;
/** Offsets of the scratch parts in floats, and the total. */
let vAt: i32 = 0;
let mAt: i32 = 0;
let planeAt: i32 = 0;
let packAt: i32 = 0;
let totalFloats: i32 = 0;

function align4(n: i32): i32 {
  return (n + 3) & ~3;
}

/** Sets the geometry of a 3×3 stride-1 correlation of x [c, h, w] (zero-padded by p) into [f, oh, ow]. */
function setGeometry(c: i32, h: i32, w: i32, f: i32, p: i32, oh: i32, ow: i32, batch: i32): void {
  channels = c;
  filters = f;
  inHeight = h;
  inWidth = w;
  pad = p;
  outHeight = oh;
  outWidth = ow;
  tilesHigh = (oh + 1) >> 1;
  tilesWide = (ow + 1) >> 1;
  sampleTiles = tilesHigh * tilesWide;
  groupSamples = max(1, min(batch, TILE_BUDGET / sampleTiles));
  const tiles = groupSamples * sampleTiles;
  ldT = align4(tiles) + 4;
  planeHigh = 2 * tilesHigh + 2;
  planeWide = 2 * (((tilesWide - 1) >> 2) << 2) + 12;
  vAt = align4(16 * f * c);
  mAt = vAt + 16 * c * ldT;
  planeAt = mAt + 16 * f * ldT;
  packAt = planeAt + align4(planeHigh * planeWide);
  // gemm packs kc ≤ DEPTH_BLOCK rows of its B, all columns rounded up to panels of 8: V[ξ] (channels × tiles) in
  // the passes over data, V[ξ]ᵀ (tiles × channels) in the weight gradient
  const packData = min(c, DEPTH_BLOCK) * (((tiles + 7) >> 3) << 3);
  totalFloats = packAt + max(packData, min(tiles, DEPTH_BLOCK) * (((c + 7) >> 3) << 3));
}

/** The geometry of the convolution in `shape` (conv2d.ts's block of nine i32) itself, x into y. */
function setForwardGeometry(shape: usize, batch: i32): void {
  const c = load<i32>(shape);
  const h = load<i32>(shape, 4);
  const w = load<i32>(shape, 8);
  const f = load<i32>(shape, 12);
  setGeometry(c, h, w, f, load<i32>(shape, 24), load<i32>(shape, 28), load<i32>(shape, 32), batch);
}

/** Whether conv2d.ts may run this convolution here: a 3×3 kernel, stride 1, padding ≤ 2 (backward data pads 2 − p). */
export function winogradApplies(kernel: i32, stride: i32, p: i32): bool {
  return kernel === 3 && stride === 1 && p >= 0 && p <= 2;
}

/** Floats of scratch winogradForward needs for calls of up to `batch` samples of this shape. */
export function winogradForwardFloats(c: i32, h: i32, w: i32, f: i32, p: i32, batch: i32): i32 {
  setGeometry(c, h, w, f, p, h + 2 * p - 2, w + 2 * p - 2, batch);
  return totalFloats;
}

/** Floats of scratch winogradBackwardData needs for calls of up to `batch` samples of this (forward) shape. */
export function winogradBackwardDataFloats(c: i32, h: i32, w: i32, f: i32, p: i32, batch: i32): i32 {
  setGeometry(f, h + 2 * p - 2, w + 2 * p - 2, c, 2 - p, h, w, batch);
  return totalFloats;
}

function at(base: usize, floats: i32): usize {
  return base + ((<usize>floats) << 2);
}

/** Stores (G row) · [a, b, c]ᵀ spread over four floats, `step` bytes apart: a, ½(a+b+c), ½(a−b+c), c. */
function spread(a: f32, b: f32, c: f32, dst: usize, step: usize): void {
  store<f32>(dst, a);
  store<f32>(dst + step, 0.5 * (a + b + c));
  store<f32>(dst + 2 * step, 0.5 * (a - b + c));
  store<f32>(dst + 3 * step, c);
}

/**
 * U[ξ][o][c] = (G g Gᵀ)[ξ] for every filter o < filters, channel c < channels. Forward: g = weight[o, c].
 * Backward data (`flipped`): this pass's filter o is the forward channel and its channel c the forward filter, and
 * g is weight[c, o] rotated by 180°.
 */
function transformFilters(weight: usize, u: usize, flipped: bool): void {
  const step = (<usize>(filters * channels)) << 2;
  // the next channel's filter is 9 floats on (forward), or a whole forward filter on (flipped)
  const laneBytes = (<usize>(flipped ? 9 * filters : 9)) << 2;
  for (let o = 0; o < filters; o++) {
    let c = 0;
    for (; c + 4 <= channels; c += 4) {
      const g = at(weight, 9 * (flipped ? c * filters + o : o * channels + c));
      transformFilters4(g, laneBytes, flipped, at(u, o * channels + c), step);
    }
    for (; c < channels; c++) {
      const g = at(weight, 9 * (flipped ? c * filters + o : o * channels + c));
      const dst = at(u, o * channels + c);
      // rows of G g, with g read (flipped) as g'[i][j] = g[2 − i][2 − j]
      for (let i = 0; i < 4; i++) {
        let a: f32, b: f32, cc: f32;
        const k0 = flipped ? 8 : 0;
        const sign = flipped ? -1 : 1;
        const r0 = at(g, k0),
          r1 = at(g, k0 + sign * 3),
          r2 = at(g, k0 + sign * 6);
        const j1 = sign,
          j2 = 2 * sign;
        if (i === 0) {
          a = load<f32>(r0);
          b = load<f32>(at(r0, j1));
          cc = load<f32>(at(r0, j2));
        } else if (i === 3) {
          a = load<f32>(r2);
          b = load<f32>(at(r2, j1));
          cc = load<f32>(at(r2, j2));
        } else {
          const s: f32 = i === 1 ? 1 : -1;
          a = 0.5 * (load<f32>(r0) + s * load<f32>(r1) + load<f32>(r2));
          b = 0.5 * (load<f32>(at(r0, j1)) + s * load<f32>(at(r1, j1)) + load<f32>(at(r2, j1)));
          cc = 0.5 * (load<f32>(at(r0, j2)) + s * load<f32>(at(r1, j2)) + load<f32>(at(r2, j2)));
        }
        spread(a, b, cc, dst + <usize>(4 * i) * step, step);
      }
    }
  }
}

/** Entry e of 4 filters `laneBytes` apart, one per lane. */
function gatherEntry(g: usize, laneBytes: usize, e: i32): v128 {
  const at = g + ((<usize>e) << 2);
  let v = f32x4.splat(load<f32>(at));
  v = f32x4.replace_lane(v, 1, load<f32>(at + laneBytes));
  v = f32x4.replace_lane(v, 2, load<f32>(at + 2 * laneBytes));
  return f32x4.replace_lane(v, 3, load<f32>(at + 3 * laneBytes));
}

/** spread for 4 filters at once (lane = channel), stored as vectors `step` bytes apart. */
function spread4(a: v128, b: v128, c: v128, dst: usize, step: usize): void {
  const half = f32x4.splat(0.5);
  v128.store(dst, a);
  v128.store(dst + step, f32x4.mul(half, f32x4.add(f32x4.add(a, b), c)));
  v128.store(dst + 2 * step, f32x4.mul(half, f32x4.add(f32x4.sub(a, b), c)));
  v128.store(dst + 3 * step, c);
}

/**
 * transformFilters' G g Gᵀ for 4 channels at once (lane = channel: filters g, g + laneBytes, …), the same
 * operations in the same order per lane as the scalar loop, so U is bit for bit the same. One channel at a time,
 * its 16 scattered scalar stores cost a quarter of the forward pass on 64 → 64 channels at 7×7.
 */
function transformFilters4(g: usize, laneBytes: usize, flipped: bool, dst: usize, step: usize): void {
  // g'[i][j] = g[i][j], or g[2 − i][2 − j] flipped
  const k0 = flipped ? 8 : 0;
  const sign = flipped ? -1 : 1;
  const w0 = inline.always(gatherEntry(g, laneBytes, k0)),
    w1 = inline.always(gatherEntry(g, laneBytes, k0 + sign)),
    w2 = inline.always(gatherEntry(g, laneBytes, k0 + 2 * sign));
  const w3 = inline.always(gatherEntry(g, laneBytes, k0 + 3 * sign)),
    w4 = inline.always(gatherEntry(g, laneBytes, k0 + 4 * sign)),
    w5 = inline.always(gatherEntry(g, laneBytes, k0 + 5 * sign));
  const w6 = inline.always(gatherEntry(g, laneBytes, k0 + 6 * sign)),
    w7 = inline.always(gatherEntry(g, laneBytes, k0 + 7 * sign)),
    w8 = inline.always(gatherEntry(g, laneBytes, k0 + 8 * sign));
  const half = f32x4.splat(0.5);
  // rows of G g': g'0, ½(g'0 + g'1 + g'2), ½(g'0 − g'1 + g'2), g'2, each spread by Gᵀ
  inline.always(spread4(w0, w1, w2, dst, step));
  inline.always(
    spread4(
      f32x4.mul(half, f32x4.add(f32x4.add(w0, w3), w6)),
      f32x4.mul(half, f32x4.add(f32x4.add(w1, w4), w7)),
      f32x4.mul(half, f32x4.add(f32x4.add(w2, w5), w8)),
      dst + 4 * step,
      step,
    ),
  );
  inline.always(
    spread4(
      f32x4.mul(half, f32x4.add(f32x4.sub(w0, w3), w6)),
      f32x4.mul(half, f32x4.add(f32x4.sub(w1, w4), w7)),
      f32x4.mul(half, f32x4.add(f32x4.sub(w2, w5), w8)),
      dst + 8 * step,
      step,
    ),
  );
  inline.always(spread4(w6, w7, w8, dst + 12 * step, step));
}

/**
 * One row q of Bᵀ d (12 plane columns starting at a tile group's left edge, as a, b, c) times B, for 4 tiles:
 * lane l of column k is plane column 2l + k. Stores the 4 columns of V[4q + k], `step` bytes apart.
 */
function inputRow(a: v128, b: v128, c: v128, dst: usize, step: usize): void {
  const d0 = i32x4.shuffle(a, b, 0, 2, 4, 6);
  const d1 = i32x4.shuffle(a, b, 1, 3, 5, 7);
  const d2 = i32x4.shuffle(d0, c, 1, 2, 3, 4);
  const d3 = i32x4.shuffle(d1, c, 1, 2, 3, 5);
  v128.store(dst, f32x4.sub(d0, d2));
  v128.store(dst + step, f32x4.add(d1, d2));
  v128.store(dst + 2 * step, f32x4.sub(d2, d1));
  v128.store(dst + 3 * step, f32x4.sub(d1, d3));
}

/**
 * V[ξ][c − c0][tile] for the channels [c0, c1) of the samples [0, samples) of x, tiles numbered sample by sample.
 * V[ξ] has c1 − c0 rows.
 */
function transformInputs(x: usize, samples: i32, v: usize, plane: usize, c0: i32, c1: i32): void {
  const step = (<usize>((c1 - c0) * ldT)) << 2;
  const rowBytes = (<usize>planeWide) << 2;
  const planeSize = inHeight * inWidth;
  memory.fill(plane, 0, (<usize>(planeHigh * planeWide)) << 2);
  for (let s = 0; s < samples; s++) {
    for (let c = c0; c < c1; c++) {
      // the plane's border stays zero; its interior is this channel
      const src = at(x, (s * channels + c) * planeSize);
      for (let r = 0; r < inHeight; r++) {
        const from = at(src, r * inWidth);
        const to = at(plane, (r + pad) * planeWide + pad);
        let k = 0;
        for (; k + 4 <= inWidth; k += 4) v128.store(at(to, k), v128.load(at(from, k)));
        for (; k < inWidth; k++) store<f32>(at(to, k), load<f32>(at(from, k)));
      }
      const vRow = at(v, (c - c0) * ldT + s * sampleTiles);
      for (let i = 0; i < tilesHigh; i++) {
        for (let j0 = 0; j0 < tilesWide; j0 += 4) {
          const p0 = at(plane, 2 * i * planeWide + 2 * j0);
          const p1 = p0 + rowBytes;
          const p2 = p1 + rowBytes;
          const p3 = p2 + rowBytes;
          const a0 = v128.load(p0),
            b0 = v128.load(p0, 16),
            c0 = v128.load(p0, 32);
          const a1 = v128.load(p1),
            b1 = v128.load(p1, 16),
            c1 = v128.load(p1, 32);
          const a2 = v128.load(p2),
            b2 = v128.load(p2, 16),
            c2 = v128.load(p2, 32);
          const a3 = v128.load(p3),
            b3 = v128.load(p3, 16),
            c3 = v128.load(p3, 32);
          const dst = at(vRow, i * tilesWide + j0);
          // rows of Bᵀ d, then each times B
          inline.always(inputRow(f32x4.sub(a0, a2), f32x4.sub(b0, b2), f32x4.sub(c0, c2), dst, step));
          inline.always(inputRow(f32x4.add(a1, a2), f32x4.add(b1, b2), f32x4.add(c1, c2), dst + 4 * step, step));
          inline.always(inputRow(f32x4.sub(a2, a1), f32x4.sub(b2, b1), f32x4.sub(c2, c1), dst + 8 * step, step));
          inline.always(inputRow(f32x4.sub(a1, a3), f32x4.sub(b1, b3), f32x4.sub(c1, c3), dst + 12 * step, step));
        }
      }
    }
  }
}

/**
 * lo:hi (8 floats) to dst, of which only the first `count` are outputs of this row. The rest may be written too
 * when dst + 8 floats stays before `end` (the end of this call's y): everything after dst in y is written later
 * (see transformOutputs), so only the scalar path at the very end of y needs `count`.
 */
function storeOutputs(dst: usize, lo: v128, hi: v128, count: i32, end: usize): void {
  if (count >= 8 || dst + 32 <= end) {
    v128.store(dst, lo);
    v128.store(dst, hi, 16);
    return;
  }
  let k = 0;
  if (count >= 4) {
    v128.store(dst, lo);
    lo = hi;
    k = 4;
  }
  if (k < count) store<f32>(at(dst, k), f32x4.extract_lane(lo, 0));
  if (k + 1 < count) store<f32>(at(dst, k + 1), f32x4.extract_lane(lo, 1));
  if (k + 2 < count) store<f32>(at(dst, k + 2), f32x4.extract_lane(lo, 2));
}

/** One output row of 4 tiles: [w0, w1, w2, w3] (rows of Aᵀ m, lanes = tiles) times A, plus bias, interleaved. */
function outputRow(w0: v128, w1: v128, w2: v128, w3: v128, bias: v128, dst: usize, count: i32, end: usize): void {
  const left = f32x4.add(f32x4.add(f32x4.add(w0, w1), w2), bias);
  const right = f32x4.add(f32x4.sub(f32x4.sub(w1, w2), w3), bias);
  const lo = i32x4.shuffle(left, right, 0, 4, 1, 5);
  inline.always(storeOutputs(dst, lo, i32x4.shuffle(left, right, 2, 6, 3, 7), count, end));
}

/**
 * y[s][o] = Aᵀ M[·][o][tiles of s] A + bias[o] (bias = 0: none) for the samples [0, samples), overwriting y up to
 * `end`. Tile groups of a row run right to left, so a store running past a row's end (into the next rows, planes
 * or samples) is always overwritten later by the stores that own those outputs.
 */
function transformOutputs(m: usize, samples: i32, bias: usize, y: usize, end: usize): void {
  const step = (<usize>(filters * ldT)) << 2;
  const outPlane = outHeight * outWidth;
  const lastGroup = ((tilesWide - 1) >> 2) << 2;
  for (let s = 0; s < samples; s++) {
    for (let o = 0; o < filters; o++) {
      const b = f32x4.splat(bias === 0 ? 0 : load<f32>(at(bias, o)));
      const yPlane = at(y, (s * filters + o) * outPlane);
      const mRow = at(m, o * ldT + s * sampleTiles);
      for (let i = 0; i < tilesHigh; i++) {
        const row0 = at(yPlane, 2 * i * outWidth);
        const lower = 2 * i + 1 < outHeight;
        for (let j0 = lastGroup; j0 >= 0; j0 -= 4) {
          const src = at(mRow, i * tilesWide + j0);
          const m0 = v128.load(src),
            m1 = v128.load(src + step),
            m2 = v128.load(src + 2 * step);
          const m3 = v128.load(src + 3 * step),
            m4 = v128.load(src + 4 * step),
            m5 = v128.load(src + 5 * step);
          const m6 = v128.load(src + 6 * step),
            m7 = v128.load(src + 7 * step),
            m8 = v128.load(src + 8 * step);
          const m9 = v128.load(src + 9 * step),
            m10 = v128.load(src + 10 * step);
          const m11 = v128.load(src + 11 * step),
            m12 = v128.load(src + 12 * step);
          const m13 = v128.load(src + 13 * step),
            m14 = v128.load(src + 14 * step);
          const m15 = v128.load(src + 15 * step);
          const count = min(8, outWidth - 2 * j0);
          // Aᵀ m: output row 0 is m rows 0 + 1 + 2, row 1 is rows 1 − 2 − 3
          inline.always(
            outputRow(
              f32x4.add(f32x4.add(m0, m4), m8),
              f32x4.add(f32x4.add(m1, m5), m9),
              f32x4.add(f32x4.add(m2, m6), m10),
              f32x4.add(f32x4.add(m3, m7), m11),
              b,
              at(row0, 2 * j0),
              count,
              end,
            ),
          );
          if (lower) {
            inline.always(
              outputRow(
                f32x4.sub(f32x4.sub(m4, m8), m12),
                f32x4.sub(f32x4.sub(m5, m9), m13),
                f32x4.sub(f32x4.sub(m6, m10), m14),
                f32x4.sub(f32x4.sub(m7, m11), m15),
                b,
                at(row0, outWidth + 2 * j0),
                count,
                end,
              ),
            );
          }
        }
      }
    }
  }
}

/** The whole pass once U is in place: groups of samples through input transform, 16 gemms, output transform. */
function run(batch: i32, x: usize, bias: usize, y: usize, scratch: usize): void {
  const u = scratch;
  const v = at(scratch, vAt);
  const m = at(scratch, mAt);
  const plane = at(scratch, planeAt);
  const pack = at(scratch, packAt);
  const inSample = channels * inHeight * inWidth;
  const outSample = filters * outHeight * outWidth;
  for (let n0 = 0; n0 < batch; n0 += groupSamples) {
    const samples = min(groupSamples, batch - n0);
    const tiles = samples * sampleTiles;
    transformInputs(at(x, n0 * inSample), samples, v, plane, 0, channels);
    for (let xi = 0; xi < 16; xi++) {
      // M[ξ][o, t] = Σ_c U[ξ][o, c] · V[ξ][c, t]
      const uXi = at(u, xi * filters * channels);
      const vXi = at(v, xi * channels * ldT);
      gemm(filters, tiles, channels, uXi, channels, 1, vXi, ldT, 1, at(m, xi * filters * ldT), ldT, false, pack);
    }
    transformOutputs(m, samples, bias, at(y, n0 * outSample), at(y, batch * outSample));
  }
}

/**
 * y = conv2d(x; W, b) for `batch` samples, overwriting y; shape as in conv2d.ts (kernel 3, stride 1 assumed:
 * see winogradApplies). scratch: winogradForwardFloats floats.
 */
export function winogradForward(
  shape: usize,
  batch: i32,
  x: usize,
  weight: usize,
  bias: usize,
  y: usize,
  scratch: usize,
): void {
  setForwardGeometry(shape, batch);
  transformFilters(weight, scratch, false);
  run(batch, x, bias, y, scratch);
}

/**
 * dx = dLoss/dx for `batch` samples, overwriting dx: dy [filters, outHeight, outWidth] correlated with the
 * filters rotated by 180° and transposed, padding 2 − p, gives [channels, height, width].
 * scratch: winogradBackwardDataFloats floats.
 */
export function winogradBackwardData(
  shape: usize,
  batch: i32,
  dy: usize,
  weight: usize,
  dx: usize,
  scratch: usize,
): void {
  const c = load<i32>(shape);
  const f = load<i32>(shape, 12);
  const h = load<i32>(shape, 4);
  const w = load<i32>(shape, 8);
  setGeometry(f, load<i32>(shape, 28), load<i32>(shape, 32), c, 2 - load<i32>(shape, 24), h, w, batch);
  transformFilters(weight, scratch, true);
  run(batch, dy, 0, dx, scratch);
}

/**
 * DY[ξ][o][tile] = (A dy Aᵀ)[ξ] for every filter o and the samples [0, samples) of dy: the 2×2 output gradient
 * of each tile spread back over the 4×4 positions, A = [1 0; 1 1; 1 −1; 0 −1]. Outputs past the edge (partial
 * tiles) read as 0 from the plane, zero beyond dy's rows and columns.
 */
function transformOutputGradients(dy: usize, samples: i32, out: usize, plane: usize): void {
  const step = (<usize>(filters * ldT)) << 2;
  const wide = 2 * ((((tilesWide - 1) >> 2) << 2) + 4);
  const rowBytes = (<usize>wide) << 2;
  const outPlane = outHeight * outWidth;
  memory.fill(plane, 0, (<usize>(2 * tilesHigh * wide)) << 2);
  for (let s = 0; s < samples; s++) {
    for (let o = 0; o < filters; o++) {
      const src = at(dy, (s * filters + o) * outPlane);
      for (let r = 0; r < outHeight; r++) {
        const from = at(src, r * outWidth);
        const to = at(plane, r * wide);
        let k = 0;
        for (; k + 4 <= outWidth; k += 4) v128.store(at(to, k), v128.load(at(from, k)));
        for (; k < outWidth; k++) store<f32>(at(to, k), load<f32>(at(from, k)));
      }
      const row = at(out, o * ldT + s * sampleTiles);
      for (let i = 0; i < tilesHigh; i++) {
        for (let j0 = 0; j0 < tilesWide; j0 += 4) {
          const p0 = at(plane, 2 * i * wide + 2 * j0);
          const a0 = v128.load(p0),
            b0 = v128.load(p0, 16);
          const a1 = v128.load(p0 + rowBytes),
            b1 = v128.load(p0 + rowBytes, 16);
          // lanes = tiles: left (even) and right (odd) column of each tile's upper and lower row
          const l0 = i32x4.shuffle(a0, b0, 0, 2, 4, 6),
            r0 = i32x4.shuffle(a0, b0, 1, 3, 5, 7);
          const l1 = i32x4.shuffle(a1, b1, 0, 2, 4, 6),
            r1 = i32x4.shuffle(a1, b1, 1, 3, 5, 7);
          const dst = at(row, i * tilesWide + j0);
          inline.always(gradientRow(l0, r0, dst, step));
          inline.always(gradientRow(f32x4.add(l0, l1), f32x4.add(r0, r1), dst + 4 * step, step));
          inline.always(gradientRow(f32x4.sub(l0, l1), f32x4.sub(r0, r1), dst + 8 * step, step));
          inline.always(gradientRow(f32x4.neg(l1), f32x4.neg(r1), dst + 12 * step, step));
        }
      }
    }
  }
}

/** One row of A g Aᵀ for 4 tiles from its left and right values: l, l + r, l − r, −r, `step` bytes apart. */
function gradientRow(left: v128, right: v128, dst: usize, step: usize): void {
  v128.store(dst, left);
  v128.store(dst + step, f32x4.add(left, right));
  v128.store(dst + 2 * step, f32x4.sub(left, right));
  v128.store(dst + 3 * step, f32x4.neg(right));
}

/** Adds Gᵀ X G (3×3) into dst for the 4×4 X whose entry ξ is at x + ξ·step bytes; Gᵀ = [1 ½ ½ 0; 0 ½ −½ 0; 0 ½ ½ 1]. */
function addFilterGradient(x: usize, step: usize, dst: usize): void {
  for (let k = 0; k < 4; k++) {
    // column k of Gᵀ X
    const x0 = load<f32>(x + <usize>k * step);
    const x1 = load<f32>(x + <usize>(4 + k) * step);
    const x2 = load<f32>(x + <usize>(8 + k) * step);
    const x3 = load<f32>(x + <usize>(12 + k) * step);
    const half: f32 = 0.5 * (x1 + x2);
    store<f32>(x + <usize>k * step, x0 + half);
    store<f32>(x + <usize>(4 + k) * step, 0.5 * (x1 - x2));
    store<f32>(x + <usize>(8 + k) * step, half + x3);
  }
  for (let i = 0; i < 3; i++) {
    // row i of (Gᵀ X) G
    const y0 = load<f32>(x + <usize>(4 * i) * step);
    const y1 = load<f32>(x + <usize>(4 * i + 1) * step);
    const y2 = load<f32>(x + <usize>(4 * i + 2) * step);
    const y3 = load<f32>(x + <usize>(4 * i + 3) * step);
    const half: f32 = 0.5 * (y1 + y2);
    const row = at(dst, 3 * i);
    store<f32>(row, load<f32>(row) + y0 + half);
    store<f32>(row, load<f32>(row, 4) + 0.5 * (y1 - y2), 4);
    store<f32>(row, load<f32>(row, 8) + half + y3, 8);
  }
}

/** Entry (i, k) of Gᵀ X for 4 channels (lane = channel), as addFilterGradient computes it, X's entries 4 floats wide. */
function transposedRowEntry(x: usize, step: usize, i: i32, k: i32): v128 {
  const half = f32x4.splat(0.5);
  const x1 = v128.load(x + <usize>(4 + k) * step);
  const x2 = v128.load(x + <usize>(8 + k) * step);
  if (i === 1) return f32x4.mul(half, f32x4.sub(x1, x2));
  const h = f32x4.mul(half, f32x4.add(x1, x2));
  if (i === 0) return f32x4.add(v128.load(x + <usize>k * step), h);
  return f32x4.add(h, v128.load(x + <usize>(12 + k) * step));
}

/**
 * addFilterGradient for 4 adjacent channels at once (lane = channel; dst holds their [3][3] one after another), the
 * same operations in the same order per lane, so every entry is bit for bit what the scalar version gives (threads
 * splitting the channels may use either). One scalar at a time, X's 16 entries are 16 loads `step` bytes apart per
 * channel, which cost more than the weight gradient's 16 gemms on 64 → 64 channels at 7×7.
 * `terms`: 16 floats of this call's scratch (16-byte aligned), where the vectors are taken apart by lane.
 */
function addFilterGradients4(x: usize, step: usize, dst: usize, terms: usize): void {
  const half = f32x4.splat(0.5);
  for (let i = 0; i < 3; i++) {
    // row i of Gᵀ X, then times G: y0 + ½(y1 + y2), ½(y1 − y2), ½(y1 + y2) + y3
    const y0 = inline.always(transposedRowEntry(x, step, i, 0));
    const y1 = inline.always(transposedRowEntry(x, step, i, 1));
    const y2 = inline.always(transposedRowEntry(x, step, i, 2));
    const y3 = inline.always(transposedRowEntry(x, step, i, 3));
    v128.store(terms, y0);
    v128.store(terms, f32x4.mul(half, f32x4.add(y1, y2)), 16);
    v128.store(terms, f32x4.mul(half, f32x4.sub(y1, y2)), 32);
    v128.store(terms, y3, 48);
    for (let l = 0; l < 4; l++) {
      const term = terms + <usize>(4 * l);
      const h = load<f32>(term, 16);
      const row = dst + <usize>(36 * l + 12 * i);
      store<f32>(row, load<f32>(row) + load<f32>(term) + h);
      store<f32>(row, load<f32>(row, 4) + load<f32>(term, 32), 4);
      store<f32>(row, load<f32>(row, 8) + h + load<f32>(term, 48), 8);
    }
  }
}

/**
 * dW[o, c] += dLoss/dW for the channels [c0, c1) (all filters), over `batch` samples: with DY the transformed output
 * gradient and V the transformed input, dU[ξ][o][c] = Σ_tiles DY[ξ][o][tile] · V[ξ][c][tile] (16 gemms, summed
 * group after group in sample order) and dW[o, c] = Gᵀ dU[·][o][c] G. The bias gradient is left to the caller.
 * Threads may split the channels: each entry is summed in the same order whatever the split.
 * scratch: winogradForwardFloats floats (the same buffers: dU takes U's place, DY takes M's).
 */
export function winogradBackwardFilter(
  shape: usize,
  batch: i32,
  x: usize,
  dy: usize,
  dWeight: usize,
  scratch: usize,
  c0: i32,
  c1: i32,
): void {
  setForwardGeometry(shape, batch);
  const n = c1 - c0;
  if (n <= 0) return;
  const du = scratch;
  const v = at(scratch, vAt);
  const dyt = at(scratch, mAt);
  const plane = at(scratch, planeAt);
  const pack = at(scratch, packAt);
  const inSample = channels * inHeight * inWidth;
  const outSample = filters * outHeight * outWidth;
  for (let n0 = 0; n0 < batch; n0 += groupSamples) {
    const samples = min(groupSamples, batch - n0);
    const tiles = samples * sampleTiles;
    transformInputs(at(x, n0 * inSample), samples, v, plane, c0, c1);
    transformOutputGradients(at(dy, n0 * outSample), samples, dyt, plane);
    for (let xi = 0; xi < 16; xi++) {
      // dU[ξ][o, c] (+)= Σ_t DY[ξ][o, t] · V[ξ][c, t]
      const duXi = at(du, xi * filters * n);
      gemm(filters, n, tiles, at(dyt, xi * filters * ldT), ldT, 1, at(v, xi * n * ldT), 1, ldT, duXi, n, n0 > 0, pack);
    }
  }
  const step = (<usize>(filters * n)) << 2;
  for (let o = 0; o < filters; o++) {
    let k = 0;
    for (; k + 4 <= n; k += 4) {
      addFilterGradients4(at(du, o * n + k), step, at(dWeight, 9 * (o * channels + c0 + k)), plane);
    }
    for (; k < n; k++) addFilterGradient(at(du, o * n + k), step, at(dWeight, 9 * (o * channels + c0 + k)));
  }
}
