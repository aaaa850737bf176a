/**
 * The matrix product behind every wasm kernel, 128-bit SIMD:
 *   C[i,j] = (accumulate ? C[i,j] : 0) + Σ_{p<k} A[i,p] · B[p,j]   for i < m, j < n
 * A is read one scalar at a time (splatted across lanes), so it may have any strides: a transposed A costs
 * nothing. B is copied ("packed") into panels of 8 columns, kc rows at a time, so the inner loop reads it as two
 * contiguous vectors whatever its strides, and a panel (kc·8 floats = 8 KiB) stays in L1 while every row of A
 * passes over it. C is row-major (unit column stride) with leading dimension ldc.
 * The register block is 4 rows × 8 columns of C: eight f32x4 accumulators, two B vectors and one A splat per
 * step, 32 multiply-adds per 6 loads. Sums are kept in float32, as PyTorch's CPU kernels keep them.
 * Each multiply-add is `madd`: one fused multiply-add (f32x4.relaxed_madd: one rounding on hardware with FMA) in the relaxed-SIMD
 * build, a multiply then an add (two roundings) in the plain-SIMD build, so the two builds differ by float rounding
 * only, and each on its own sums in the same order however C is split.
 * Pointers are byte addresses into linear memory; strides are in elements.
 * The module keeps no scratch of its own, so threads sharing one memory may run gemm at once on disjoint parts
 * of C (each with its own pack area). Every entry of C is summed in the same order however C is split.
 * The register blocks are inlined (inline.always at each call): as calls, V8's optimizing compiler keeps their code fast only when it has
 * runtime feedback to inline them itself; compiled without it (eagerly, or in a kernel thread that tiers up on
 * its own) a convolution ran 2× slower (27.5 against 13 ms for B's second convolution, 32 samples).
 */

import { beat } from './heartbeat';
import { transpose4x4 } from './transpose';

const PANEL: i32 = 8;
const ROWS: i32 = 4;
/** Up to this many rows of C, a row-major B is read in place instead of packed (see gemm). */
const DIRECT_MAX_ROWS: i32 = 16;
/** Rows of B packed at once: 256·8 floats is 8 KiB, half of a typical 32 KiB L1. */
export const DEPTH_BLOCK: i32 = 256;

/**
 * acc + a·b lane-wise. ASC_FEATURE_RELAXED_SIMD is a compile-time constant (`--enable relaxed-simd`), so each
 * build keeps one branch. relaxed_madd may round once or twice depending on the hardware; x86 with FMA3 and ARM
 * run it as one fused multiply-add, which is the point: half the instructions of the inner loop.
 */
export function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** dst[p·8 + jj] = B[k0 + p, j0 + jj] for p < kc, jj < cols, and zero for cols ≤ jj < 8. */
function packPanel(k0: i32, kc: i32, j0: i32, cols: i32, b: usize, bRow: i32, bCol: i32, dst: usize): void {
  let src = b + ((<usize>(k0 * bRow + j0 * bCol)) << 2);
  const rowStep = (<usize>bRow) << 2;
  if (cols === PANEL && bCol === 1) {
    for (let p = 0; p < kc; p++) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      dst += 32;
      src += rowStep;
    }
    return;
  }
  const colStep = (<usize>bCol) << 2;
  let p = 0;
  if (cols === PANEL && bRow === 1) {
    // a transposed B (a weight gradient's dyᵀ, a dense layer's Wᵀ): four rows at a time through registers
    for (; p + 4 <= kc; p += 4) {
      // columns jj hold rows p…p+3 as one vector each: two 4×4 transposes give the panel's four rows
      inline.always(transpose4x4(src, colStep, dst, 32));
      inline.always(transpose4x4(src + 4 * colStep, colStep, dst + 16, 32));
      dst += 128;
      src += 16;
    }
  }
  for (; p < kc; p++) {
    let at = src;
    for (let jj = 0; jj < cols; jj++) {
      store<f32>(dst + ((<usize>jj) << 2), load<f32>(at));
      at += colStep;
    }
    for (let jj = cols; jj < PANEL; jj++) store<f32>(dst + ((<usize>jj) << 2), 0);
    dst += 32;
    src += rowStep;
  }
}

/** pack[(panel·kc + p)·8 + jj] = B[k0 + p, panel·8 + jj], zero past column n. */
function packB(k0: i32, kc: i32, n: i32, b: usize, bRow: i32, bCol: i32, pack: usize): void {
  for (let j0 = 0; j0 < n; j0 += PANEL) {
    packPanel(k0, kc, j0, min(PANEL, n - j0), b, bRow, bCol, pack + ((<usize>(j0 * kc)) << 2));
  }
}

/** Adds (or writes) the first `cols` lanes of the 8 in lo:hi at c; lanes are extracted with constant indices. */
function storePartialRow(c: usize, lo: v128, hi: v128, accumulate: bool, cols: i32): void {
  for (let jj = 0; jj < cols; jj++) {
    let value: f32 = 0;
    switch (jj) {
      case 0:
        value = f32x4.extract_lane(lo, 0);
        break;
      case 1:
        value = f32x4.extract_lane(lo, 1);
        break;
      case 2:
        value = f32x4.extract_lane(lo, 2);
        break;
      case 3:
        value = f32x4.extract_lane(lo, 3);
        break;
      case 4:
        value = f32x4.extract_lane(hi, 0);
        break;
      case 5:
        value = f32x4.extract_lane(hi, 1);
        break;
      case 6:
        value = f32x4.extract_lane(hi, 2);
        break;
      default:
        value = f32x4.extract_lane(hi, 3);
    }
    const at = c + ((<usize>jj) << 2);
    store<f32>(at, accumulate ? load<f32>(at) + value : value);
  }
}

function storeRow(c: usize, lo: v128, hi: v128, accumulate: bool, cols: i32): void {
  if (cols !== PANEL) {
    storePartialRow(c, lo, hi, accumulate, cols);
    return;
  }
  if (accumulate) {
    lo = f32x4.add(lo, v128.load(c));
    hi = f32x4.add(hi, v128.load(c, 16));
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

/** Four rows of C against one packed panel: C[i..i+4, j0..j0+cols] (+)= A[i..i+4, k-block] · panel. */
function block4x8(
  kc: i32,
  a: usize,
  aRowBytes: usize,
  aColBytes: usize,
  bp: usize,
  bStep: usize,
  c: usize,
  ldcBytes: usize,
  accumulate: bool,
  cols: i32,
): void {
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  let a0 = a;
  const a1Offset = aRowBytes;
  const a2Offset = aRowBytes << 1;
  const a3Offset = aRowBytes * 3;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let va = v128.load32_splat(a0);
    c00 = inline.always(madd(va, b0, c00));
    c01 = inline.always(madd(va, b1, c01));
    va = v128.load32_splat(a0 + a1Offset);
    c10 = inline.always(madd(va, b0, c10));
    c11 = inline.always(madd(va, b1, c11));
    va = v128.load32_splat(a0 + a2Offset);
    c20 = inline.always(madd(va, b0, c20));
    c21 = inline.always(madd(va, b1, c21));
    va = v128.load32_splat(a0 + a3Offset);
    c30 = inline.always(madd(va, b0, c30));
    c31 = inline.always(madd(va, b1, c31));
    a0 += aColBytes;
    bp += bStep;
  }
  inline.always(storeRow(c, c00, c01, accumulate, cols));
  inline.always(storeRow(c + ldcBytes, c10, c11, accumulate, cols));
  inline.always(storeRow(c + (ldcBytes << 1), c20, c21, accumulate, cols));
  inline.always(storeRow(c + ldcBytes * 3, c30, c31, accumulate, cols));
}

/** One row of C against one packed panel, for the m mod 4 rows left over. */
function block1x8(
  kc: i32,
  a: usize,
  aColBytes: usize,
  bp: usize,
  bStep: usize,
  c: usize,
  accumulate: bool,
  cols: i32,
): void {
  let c0 = f32x4.splat(0),
    c1 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const va = v128.load32_splat(a);
    c0 = inline.always(madd(va, v128.load(bp), c0));
    c1 = inline.always(madd(va, v128.load(bp, 16), c1));
    a += aColBytes;
    bp += bStep;
  }
  inline.always(storeRow(c, c0, c1, accumulate, cols));
}

/** Floats of packing scratch that gemm needs for a product with n columns. */
export function packSize(n: i32): i32 {
  return DEPTH_BLOCK * ((n + PANEL - 1) / PANEL) * PANEL;
}

export function gemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  aRow: i32,
  aCol: i32,
  b: usize,
  bRow: i32,
  bCol: i32,
  c: usize,
  ldc: i32,
  accumulate: bool,
  pack: usize,
): void {
  if (m <= 0 || n <= 0) return;
  const ldcBytes = (<usize>ldc) << 2;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + <usize>i * ldcBytes, 0, (<usize>n) << 2);
    return;
  }
  const aRowBytes = (<usize>aRow) << 2;
  const aColBytes = (<usize>aCol) << 2;
  // With few rows of A each panel of B is used only a few times, so copying it costs more than reading B in
  // place; a row-major B is then read directly, and only a partial last panel is packed (to zero its padding).
  const direct = bCol === 1 && m <= DIRECT_MAX_ROWS;
  for (let k0 = 0; k0 < k; k0 += DEPTH_BLOCK) {
    const kc = min(DEPTH_BLOCK, k - k0);
    if (!direct) packB(k0, kc, n, b, bRow, bCol, pack);
    const add = accumulate || k0 > 0;
    const aBlock = a + <usize>k0 * aColBytes;
    for (let j0 = 0; j0 < n; j0 += PANEL) {
      beat();
      const cols = min(PANEL, n - j0);
      let bp = pack + ((<usize>(j0 * kc)) << 2);
      let bStep: usize = 32;
      if (direct && cols === PANEL) {
        bp = b + ((<usize>(k0 * bRow + j0)) << 2);
        bStep = (<usize>bRow) << 2;
      } else if (direct) {
        bp = pack;
        packPanel(k0, kc, j0, cols, b, bRow, bCol, pack);
      }
      const cColumn = c + ((<usize>j0) << 2);
      let i = 0;
      for (; i + ROWS <= m; i += ROWS) {
        inline.always(
          block4x8(
            kc,
            aBlock + <usize>i * aRowBytes,
            aRowBytes,
            aColBytes,
            bp,
            bStep,
            cColumn + <usize>i * ldcBytes,
            ldcBytes,
            add,
            cols,
          ),
        );
      }
      for (; i < m; i++) {
        inline.always(
          block1x8(kc, aBlock + <usize>i * aRowBytes, aColBytes, bp, bStep, cColumn + <usize>i * ldcBytes, add, cols),
        );
      }
    }
  }
}
