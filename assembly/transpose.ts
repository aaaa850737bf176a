/**
 * dst = srcᵀ: dst[c · rows + r] = src[r · cols + c] for a row-major [rows, cols] float32 matrix. The training step
 * transposes each dense weight once per step, so that every chunk's forward product reads Wᵀ in place instead
 * of packing W's columns itself (assembly/dense.ts denseForwardTransposed), and a convolution's weight gradient
 * transposes dy so that gemm packs whole rows (conv2d.ts). 4×4 blocks go through registers (transpose4x4, which
 * gemm's packing of a transposed B uses too); the edges are copied one value at a time. An exact copy: no rounding.
 */

/**
 * The 4×4 block whose rows are the vectors at src + r · srcStep (bytes) goes transposed to dst: its column j is
 * stored at dst + j · dstStep.
 */
export function transpose4x4(src: usize, srcStep: usize, dst: usize, dstStep: usize): void {
  const r0 = v128.load(src);
  const r1 = v128.load(src + srcStep);
  const r2 = v128.load(src + 2 * srcStep);
  const r3 = v128.load(src + 3 * srcStep);
  // rows 0 and 1 interleaved (r0[0] r1[0] r0[1] r1[1], then lanes 2 and 3), the same for rows 2 and 3; each
  // column is then one f64 lane of each pair
  const low01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const high01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const low23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const high23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f64>(low01, low23, 0, 2));
  v128.store(dst + dstStep, v128.shuffle<f64>(low01, low23, 1, 3));
  v128.store(dst + 2 * dstStep, v128.shuffle<f64>(high01, high23, 0, 2));
  v128.store(dst + 3 * dstStep, v128.shuffle<f64>(high01, high23, 1, 3));
}

export function transpose(rows: i32, cols: i32, src: usize, dst: usize): void {
  const rowBytes = (<usize>cols) << 2;
  const dstRowBytes = (<usize>rows) << 2;
  const blockRows = rows & ~3;
  const blockCols = cols & ~3;
  for (let r = 0; r < blockRows; r += 4) {
    const from = src + <usize>r * rowBytes;
    const to = dst + ((<usize>r) << 2);
    for (let c = 0; c < blockCols; c += 4) {
      inline.always(transpose4x4(from + ((<usize>c) << 2), rowBytes, to + <usize>c * dstRowBytes, dstRowBytes));
    }
  }
  for (let r = 0; r < rows; r++) {
    const from = src + <usize>r * rowBytes;
    // the columns past the last full block, and every column of the rows past the last full block
    for (let c = r < blockRows ? blockCols : 0; c < cols; c++) {
      store<f32>(dst + <usize>c * dstRowBytes + ((<usize>r) << 2), load<f32>(from + ((<usize>c) << 2)));
    }
  }
}
