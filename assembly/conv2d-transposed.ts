/**
 * A convolution's input gradient for stride 1 without padding, computed directly (a transposed convolution)
 * instead of dcols = Wᵀ · dy followed by col2im (conv2d.ts):
 *   dx[c, h, kw + w] += Σ_{o, kh : 0 ≤ h − kh < OH} W[o, c, kh, kw] · dy[o, h − kh, w]   for every kw, w < OW
 * A register block is 4 channels × 8 output columns (eight f32x4 accumulators) of one row h and one tap column kw;
 * it sums over the filters and kernel rows (up to F·K terms, where gemm's dcols summed over F = 16 only) and then
 * adds itself once onto dx[c … c+3, h, kw + ow …]. So no dcols matrix is written and read back, col2im's K·K
 * read-modify-writes per input row shrink to K, and each block's depth is K times gemm's: workload A's
 * 8→16 5×5 at 12×12 input gradient ran ~1.17× faster (bench/conv-columns-micro.ts, 8 samples: 90.9 → 76.9 µs
 * relaxed-SIMD build, 121.6 → 105.0 µs plain SIMD). Each dx entry sums its kw blocks in ascending kw, each block
 * over kh then o: the same order for every sample, and threads split the batch, so results are bit-identical
 * across thread counts; they differ from the im2col path by float rounding only (another summation order).
 * Needs OW a multiple of 8 (whole pairs of vectors per output row) and 4 or more channels; others stay on im2col.
 */

import { madd } from './gemm';

/**
 * Whether transposedBackwardData computes this shape's input gradient: from 4 channels (one whole register block);
 * with fewer, each block holds 2 accumulators and reloads dy for every channel, and 1→8 5×5 at 28×28 measured 1.4×
 * slower than im2col + gemm.
 */
export function transposedBackwardDataApplies(c: i32, s: i32, p: i32, outWidth: i32): bool {
  return c >= 4 && s === 1 && p === 0 && outWidth > 0 && (outWidth & 7) === 0;
}

/** dst[0 … 8) += (low, high) as two unaligned vectors. */
function addPair(dst: usize, low: v128, high: v128): void {
  v128.store(dst, f32x4.add(v128.load(dst), low));
  v128.store(dst, f32x4.add(v128.load(dst, 16), high), 16);
}

/**
 * dx = dLoss/dx for `batch` samples, overwriting dx; shape as conv2d.ts's loadShape reads it. Only for shapes where
 * transposedBackwardDataApplies.
 */
export function transposedBackwardData(shape: usize, batch: i32, dy: usize, weight: usize, dx: usize): void {
  const channels = load<i32>(shape);
  const height = load<i32>(shape, 4);
  const width = load<i32>(shape, 8);
  const filters = load<i32>(shape, 12);
  const K = load<i32>(shape, 16);
  const outHeight = load<i32>(shape, 28);
  const outWidth = load<i32>(shape, 32);
  const inSize = channels * height * width;
  const dyRowBytes = (<usize>outWidth) << 2;
  const dyPlaneBytes = (<usize>(outHeight * outWidth)) << 2;
  const tapRowBytes = (<usize>K) << 2;
  const wChannelBytes = (<usize>(K * K)) << 2;
  const wFilterBytes = <usize>channels * wChannelBytes;
  const dxRowBytes = (<usize>width) << 2;
  const dxPlaneBytes = (<usize>(height * width)) << 2;
  memory.fill(dx, 0, (<usize>(batch * inSize)) << 2);
  for (let n = 0; n < batch; n++) {
    const dySample = dy + <usize>n * <usize>filters * dyPlaneBytes;
    const dxSample = dx + ((<usize>(n * inSize)) << 2);
    for (let h = 0; h < height; h++) {
      // kernel rows kh with 0 ≤ h − kh < OH
      const khStart = max(0, h - outHeight + 1);
      const khEnd = min(K - 1, h) + 1;
      const dyFirst = dySample + <usize>(h - khStart) * dyRowBytes;
      const wFirst = weight + <usize>khStart * tapRowBytes;
      let c = 0;
      for (; c + 4 <= channels; c += 4) {
        const wChannels = wFirst + <usize>c * wChannelBytes;
        const dxRow = dxSample + <usize>c * dxPlaneBytes + <usize>h * dxRowBytes;
        for (let kw = 0; kw < K; kw++) {
          for (let ow = 0; ow < outWidth; ow += 8) {
            let a0 = f32x4.splat(0);
            let b0 = f32x4.splat(0);
            let a1 = f32x4.splat(0);
            let b1 = f32x4.splat(0);
            let a2 = f32x4.splat(0);
            let b2 = f32x4.splat(0);
            let a3 = f32x4.splat(0);
            let b3 = f32x4.splat(0);
            let dyRow = dyFirst + ((<usize>ow) << 2);
            let wRow = wChannels + ((<usize>kw) << 2);
            for (let kh = khStart; kh < khEnd; kh++) {
              let d = dyRow;
              let w = wRow;
              for (let o = 0; o < filters; o++) {
                const low = v128.load(d);
                const high = v128.load(d, 16);
                const w0 = v128.load32_splat(w);
                const w1 = v128.load32_splat(w + wChannelBytes);
                a0 = madd(w0, low, a0);
                b0 = madd(w0, high, b0);
                const w2 = v128.load32_splat(w + 2 * wChannelBytes);
                a1 = madd(w1, low, a1);
                b1 = madd(w1, high, b1);
                const w3 = v128.load32_splat(w + 3 * wChannelBytes);
                a2 = madd(w2, low, a2);
                b2 = madd(w2, high, b2);
                a3 = madd(w3, low, a3);
                b3 = madd(w3, high, b3);
                d += dyPlaneBytes;
                w += wFilterBytes;
              }
              dyRow -= dyRowBytes;
              wRow += tapRowBytes;
            }
            const dst = dxRow + ((<usize>(kw + ow)) << 2);
            addPair(dst, a0, b0);
            addPair(dst + dxPlaneBytes, a1, b1);
            addPair(dst + 2 * dxPlaneBytes, a2, b2);
            addPair(dst + 3 * dxPlaneBytes, a3, b3);
          }
        }
      }
      for (; c < channels; c++) {
        const wChannel = wFirst + <usize>c * wChannelBytes;
        const dxRow = dxSample + <usize>c * dxPlaneBytes + <usize>h * dxRowBytes;
        for (let kw = 0; kw < K; kw++) {
          for (let ow = 0; ow < outWidth; ow += 8) {
            let a0 = f32x4.splat(0);
            let b0 = f32x4.splat(0);
            let dyFilter = dyFirst + ((<usize>ow) << 2);
            let wFilter = wChannel + ((<usize>kw) << 2);
            for (let o = 0; o < filters; o++) {
              let d = dyFilter;
              let w = wFilter;
              for (let kh = khStart; kh < khEnd; kh++) {
                const w0 = v128.load32_splat(w);
                a0 = madd(w0, v128.load(d), a0);
                b0 = madd(w0, v128.load(d, 16), b0);
                d -= dyRowBytes;
                w += tapRowBytes;
              }
              dyFilter += dyPlaneBytes;
              wFilter += wFilterBytes;
            }
            addPair(dxRow + ((<usize>(kw + ow)) << 2), a0, b0);
          }
        }
      }
    }
  }
}
