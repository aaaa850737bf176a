/**
 * The one matrix-product kernel behind conv2d and dense:
 *   C[i,j] = (accumulate ? C[i,j] : 0) + Σ_{k<K} A[i,k] · B[k,j]   for i < M, j < N
 * Each matrix is addressed through an offset and a stride per axis, e.g. A[i,k] = a[aOffset + i·aRowStride +
 * k·aColStride], so a transposed operand is only a swap of strides and sub-blocks need no copies.
 *
 * The bulk is computed in 4×4 blocks of C held in sixteen local accumulators: each step along k loads 4 values of
 * A and 4 of B for 16 multiply-adds, which is several times faster in JavaScript than updating C in memory for
 * every product. Sums are kept in float64 and rounded once when stored.
 */
export interface MatrixView {
  data: Float32Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

export function gemm(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: MatrixView,
  accumulate: boolean,
): void {
  const blockedRows = m - (m % 4);
  const blockedCols = n - (n % 4);
  gemmBlocks(blockedRows, blockedCols, k, a, b, c, accumulate);
  gemmEdge(blockedRows, m, 0, n, k, a, b, c, accumulate);
  gemmEdge(0, blockedRows, blockedCols, n, k, a, b, c, accumulate);
}

function gemmBlocks(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: MatrixView,
  accumulate: boolean,
): void {
  const { data: A, rowStride: aRow, colStride: aCol } = a;
  const { data: B, rowStride: bRow, colStride: bCol } = b;
  const { data: C, rowStride: cRow, colStride: cCol } = c;
  const bCol2 = 2 * bCol;
  const bCol3 = 3 * bCol;
  const cCol2 = 2 * cCol;
  const cCol3 = 3 * cCol;
  for (let i = 0; i < m; i += 4) {
    const aRow0 = a.offset + i * aRow;
    const aRow1 = aRow0 + aRow;
    const aRow2 = aRow1 + aRow;
    const aRow3 = aRow2 + aRow;
    for (let j = 0; j < n; j += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0;
      let c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0;
      let c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      let bAt = b.offset + j * bCol;
      let aAt = 0;
      for (let kk = 0; kk < k; kk++) {
        const a0 = A[aRow0 + aAt];
        const a1 = A[aRow1 + aAt];
        const a2 = A[aRow2 + aAt];
        const a3 = A[aRow3 + aAt];
        const b0 = B[bAt];
        const b1 = B[bAt + bCol];
        const b2 = B[bAt + bCol2];
        const b3 = B[bAt + bCol3];
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
        aAt += aCol;
        bAt += bRow;
      }
      let at = c.offset + i * cRow + j * cCol;
      if (accumulate) {
        C[at] += c00;
        C[at + cCol] += c01;
        C[at + cCol2] += c02;
        C[at + cCol3] += c03;
        at += cRow;
        C[at] += c10;
        C[at + cCol] += c11;
        C[at + cCol2] += c12;
        C[at + cCol3] += c13;
        at += cRow;
        C[at] += c20;
        C[at + cCol] += c21;
        C[at + cCol2] += c22;
        C[at + cCol3] += c23;
        at += cRow;
        C[at] += c30;
        C[at + cCol] += c31;
        C[at + cCol2] += c32;
        C[at + cCol3] += c33;
      } else {
        C[at] = c00;
        C[at + cCol] = c01;
        C[at + cCol2] = c02;
        C[at + cCol3] = c03;
        at += cRow;
        C[at] = c10;
        C[at + cCol] = c11;
        C[at + cCol2] = c12;
        C[at + cCol3] = c13;
        at += cRow;
        C[at] = c20;
        C[at + cCol] = c21;
        C[at + cCol2] = c22;
        C[at + cCol3] = c23;
        at += cRow;
        C[at] = c30;
        C[at + cCol] = c31;
        C[at + cCol2] = c32;
        C[at + cCol3] = c33;
      }
    }
  }
}

/** The rows [rowStart, rowEnd) × columns [colStart, colEnd) left over by the 4×4 blocks, one dot product each. */
function gemmEdge(
  rowStart: number,
  rowEnd: number,
  colStart: number,
  colEnd: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: MatrixView,
  accumulate: boolean,
): void {
  const { data: A, rowStride: aRow, colStride: aCol } = a;
  const { data: B, rowStride: bRow, colStride: bCol } = b;
  const { data: C, rowStride: cRow, colStride: cCol } = c;
  for (let i = rowStart; i < rowEnd; i++) {
    for (let j = colStart; j < colEnd; j++) {
      let sum = 0;
      let aAt = a.offset + i * aRow;
      let bAt = b.offset + j * bCol;
      for (let kk = 0; kk < k; kk++) {
        sum += A[aAt] * B[bAt];
        aAt += aCol;
        bAt += bRow;
      }
      const at = c.offset + i * cRow + j * cCol;
      C[at] = accumulate ? C[at] + sum : sum;
    }
  }
}
