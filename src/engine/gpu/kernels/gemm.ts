/**
 * C = A·B (+ C) (+ bias), the one matrix product under conv2d and dense: C[m,n] = Σ_k A[m,k] · B[k,n], each sum
 * in ascending k, so the result is the same on every run.
 *
 * Each operand is read through a view: element (r, c) sits at
 *   base + (r % rowInner)·rowStride + (r / rowInner)·rowOuterStride + (c % colInner)·colStride + (c / colInner)·colOuterStride,
 * so transposes cost nothing and a whole batch folds into one product: conv2d's y[n,o,p] = Σ_r W[o,r]·cols[n,r,p]
 * is C[o, (n,p)] with the column index split into sample n and position p.
 *
 * Tiling: a workgroup of 8×8 threads computes a 32×32 block of C; per step of 16 along k it stages a 32×16 block of
 * A and a 16×32 block of B in workgroup memory, and each thread accumulates a 4×4 register block from them.
 *
 * Split k: a weight gradient is a small C over a long k (conv1's dW: 8×25 over 18,432 positions of a batch), which
 * would leave one workgroup doing all the work. Then k is cut into parts, workgroup z sums part z into its own
 * slice of a scratch buffer, and a second kernel adds the parts for each element in ascending z: still one fixed
 * order, so still the same result every run.
 */
import { type Dispatch, type GpuContext, LINEAR_ENTRY, LINEAR_INDEX, linearWorkgroups } from '../gpu-context';

export interface MatrixView {
  buffer: GPUBuffer;
  base: number;
  rowStride: number;
  colStride: number;
  /** Rows (columns) come in groups of rowInner (colInner); the group index steps by rowOuterStride (colOuterStride). */
  rowInner?: number;
  rowOuterStride?: number;
  colInner?: number;
  colOuterStride?: number;
}

export interface GemmArgs {
  m: number;
  n: number;
  k: number;
  a: MatrixView;
  b: MatrixView;
  c: MatrixView;
  /** Add into C instead of overwriting it. */
  accumulate?: boolean;
  /** Adds bias[base + row] (per row of C) or bias[base + column] (per column). */
  bias?: { buffer: GPUBuffer; base: number; per: 'row' | 'column' };
}

const TILE = 32;
const NO_GROUPS = 0xffffffff;

const GEMM_WGSL = /* wgsl */ `
struct View { base: u32, rowInner: u32, rowStride: u32, rowOuter: u32, colInner: u32, colStride: u32, colOuter: u32, pad: u32 }
struct Params { a: View, b: View, c: View, m: u32, n: u32, k: u32, accumulate: u32, biasMode: u32, biasBase: u32,
  kChunk: u32, partStride: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;

const TM = 32u;
const TN = 32u;
const TK = 16u;
var<workgroup> aTile: array<f32, 512>;
var<workgroup> bTile: array<f32, 512>;

fn at(v: View, r: u32, c: u32) -> u32 {
  return v.base + (r % v.rowInner) * v.rowStride + (r / v.rowInner) * v.rowOuter
    + (c % v.colInner) * v.colStride + (c / v.colInner) * v.colOuter;
}

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row0 = wg.y * TM;
  let col0 = wg.x * TN;
  let t = lid.y * 8u + lid.x;
  let kStart = wg.z * p.kChunk;
  let kEnd = min(p.k, kStart + p.kChunk);
  var acc: array<f32, 16>;
  for (var k0 = kStart; k0 < kEnd; k0 += TK) {
    for (var i = 0u; i < 8u; i++) {
      let e = t + i * 64u;
      let ar = row0 + e / TK;
      let ak = k0 + e % TK;
      var av = 0.0;
      if (ar < p.m && ak < kEnd) { av = A[at(p.a, ar, ak)]; }
      aTile[e] = av;
      let bk = k0 + e / TN;
      let bc = col0 + e % TN;
      var bv = 0.0;
      if (bk < kEnd && bc < p.n) { bv = B[at(p.b, bk, bc)]; }
      bTile[e] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        a[i] = aTile[(lid.y * 4u + i) * TK + kk];
        b[i] = bTile[kk * TN + lid.x * 4u + i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i * 4u + j] += a[i] * b[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let r = row0 + lid.y * 4u + i;
    for (var j = 0u; j < 4u; j++) {
      let c = col0 + lid.x * 4u + j;
      if (r < p.m && c < p.n) {
        let index = at(p.c, r, c) + wg.z * p.partStride;
        var v = acc[i * 4u + j];
        if (p.biasMode == 1u) { v += bias[p.biasBase + r]; }
        if (p.biasMode == 2u) { v += bias[p.biasBase + c]; }
        if (p.accumulate == 1u) { v += C[index]; }
        C[index] = v;
      }
    }
  }
}`;

function viewWords(view: MatrixView): number[] {
  return [
    view.base,
    view.rowInner ?? NO_GROUPS,
    view.rowStride,
    view.rowOuterStride ?? 0,
    view.colInner ?? NO_GROUPS,
    view.colStride,
    view.colOuterStride ?? 0,
    0,
  ];
}

const SUM_PARTS_WGSL = /* wgsl */ `
struct View { base: u32, rowInner: u32, rowStride: u32, rowOuter: u32, colInner: u32, colStride: u32, colOuter: u32, pad: u32 }
struct Params { c: View, m: u32, n: u32, parts: u32, accumulate: u32, biasMode: u32, biasBase: u32, pad0: u32, pad1: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> partial: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.m * p.n) { return; }
  let r = i / p.n;
  let c = i % p.n;
  var v = 0.0;
  for (var z = 0u; z < p.parts; z++) { v += partial[z * p.m * p.n + i]; }
  if (p.biasMode == 1u) { v += bias[p.biasBase + r]; }
  if (p.biasMode == 2u) { v += bias[p.biasBase + c]; }
  let index = p.c.base + (r % p.c.rowInner) * p.c.rowStride + (r / p.c.rowInner) * p.c.rowOuter
    + (c % p.c.colInner) * p.c.colStride + (c / p.c.colInner) * p.c.colOuter;
  if (p.accumulate == 1u) { v += C[index]; }
  C[index] = v;
}`;

/** Workgroups below which a long k is split, and the shortest k part worth a workgroup of its own. */
const WANTED_WORKGROUPS = 64;
const MIN_K_PART = 256;

/** One dispatch, or two when k is split (see the header). */
export function gemm(ctx: GpuContext, args: GemmArgs): Dispatch[] {
  const { m, n, k, a, b, c, bias } = args;
  const tiles: [number, number] = [Math.ceil(n / TILE), Math.ceil(m / TILE)];
  const wantedParts = Math.ceil(WANTED_WORKGROUPS / (tiles[0] * tiles[1]));
  const parts = Math.max(1, Math.min(wantedParts, Math.floor(k / MIN_K_PART)));
  const kChunk = Math.ceil(k / parts / 16) * 16;
  const biasMode = bias === undefined ? 0 : bias.per === 'row' ? 1 : 2;
  const biasBuffer = bias?.buffer ?? a.buffer;
  const accumulate = args.accumulate ? 1 : 0;
  if (parts === 1) {
    const params = Uint32Array.from([
      ...viewWords(a),
      ...viewWords(b),
      ...viewWords(c),
      ...[m, n, k, accumulate, biasMode, bias?.base ?? 0, kChunk, 0],
    ]);
    return [ctx.dispatch('gemm', GEMM_WGSL, params, [a.buffer, b.buffer, c.buffer, biasBuffer], [...tiles, 1])];
  }
  const usedParts = Math.ceil(k / kChunk);
  const scratch = ctx.storage(usedParts * m * n, 'gemm k parts');
  const partView: MatrixView = { buffer: scratch, base: 0, rowStride: n, colStride: 1 };
  const partParams = Uint32Array.from([
    ...viewWords(a),
    ...viewWords(b),
    ...viewWords(partView),
    ...[m, n, k, 0, 0, 0, kChunk, m * n],
  ]);
  const sumParams = Uint32Array.from([
    ...viewWords(c),
    ...[m, n, usedParts, accumulate, biasMode, bias?.base ?? 0, 0, 0],
  ]);
  return [
    ctx.dispatch('gemm', GEMM_WGSL, partParams, [a.buffer, b.buffer, scratch, a.buffer], [...tiles, usedParts]),
    ctx.dispatch('gemm-sum-parts', SUM_PARTS_WGSL, sumParams, [scratch, c.buffer, biasBuffer], linearWorkgroups(m * n)),
  ];
}
