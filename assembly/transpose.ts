/**
 * dst = srcᵀ: dst[c · rows + r] = src[r · cols + c] for a row-major [rows, cols] float32 matrix. The training step
 * transposes each dense weight once per step, so that every chunk's forward product reads Wᵀ in place instead
 * of packing W's columns itself (assembly/dense.ts denseForwardTransposed). 4×4 blocks go through registers
 * (four loads, eight shuffles, four stores); the edges are copied one value at a time. An exact copy: no rounding.
 */
export function transpose(rows: i32, cols: i32, src: usize, dst: usize): void {
  const rowBytes = (<usize>cols) << 2;
  const dstRowBytes = (<usize>rows) << 2;
  const blockRows = rows & ~3;
  const blockCols = cols & ~3;
  for (let r = 0; r < blockRows; r += 4) {
    const from = src + <usize>r * rowBytes;
    for (let c = 0; c < blockCols; c += 4) {
      const at = from + ((<usize>c) << 2);
      const a = v128.load(at);
      const b = v128.load(at + rowBytes);
      const e = v128.load(at + 2 * rowBytes);
      const d = v128.load(at + 3 * rowBytes);
      // ab = a0 b0 a1 b1 … then the columns: a_j b_j e_j d_j
      const ab01 = v128.shuffle<f32>(a, b, 0, 4, 1, 5);
      const ab23 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
      const ed01 = v128.shuffle<f32>(e, d, 0, 4, 1, 5);
      const ed23 = v128.shuffle<f32>(e, d, 2, 6, 3, 7);
      const to = dst + <usize>c * dstRowBytes + ((<usize>r) << 2);
      v128.store(to, v128.shuffle<f64>(ab01, ed01, 0, 2));
      v128.store(to + dstRowBytes, v128.shuffle<f64>(ab01, ed01, 1, 3));
      v128.store(to + 2 * dstRowBytes, v128.shuffle<f64>(ab23, ed23, 0, 2));
      v128.store(to + 3 * dstRowBytes, v128.shuffle<f64>(ab23, ed23, 1, 3));
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
