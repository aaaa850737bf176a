/**
 * maxpool2d on NCHW float32 in linear memory, the same rule as src/engine/layers/maxpool2d.ts:
 *   y[n,c,oh,ow] = max_{kh,kw<K} x[n, c, oh·s + kh, ow·s + kw]
 * argmax records ih·W + iw of the winner inside its input plane; ties go to the first maximum in row-major window
 * order and a NaN wins, as in PyTorch. (Backward, a scatter of dy through argmax, stays in TypeScript: moving its
 * operands into wasm memory would cost as much as the scatter itself.)
 * The common 2×2 window with stride 2 runs four windows per SIMD step; other shapes (and row tails) run a scalar
 * loop. Both choose winners with branch-free selects: on activations of random sign a compare-and-branch
 * mispredicts about every other element, which made the generic loop cost ~15 ns per window.
 */

export function maxPool2dForward(
  planes: i32,
  inHeight: i32,
  inWidth: i32,
  pool: i32,
  stride: i32,
  outHeight: i32,
  outWidth: i32,
  x: usize,
  y: usize,
  argmax: usize,
): void {
  const inPlane = inHeight * inWidth;
  const pairs = pool === 2 && stride === 2;
  // windows [0, vectorWidth) of each output row go four at a time: 8 input columns, all inside the row
  const vectorWidth = pairs ? outWidth & ~3 : 0;
  let out: usize = 0;
  for (let plane = 0; plane < planes; plane++) {
    const xPlane = x + ((<usize>(plane * inPlane)) << 2);
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < vectorWidth; ow += 4) {
        pool2x2Four(xPlane, inWidth, oh * 2 * inWidth + ow * 2, y + (out << 2), argmax + (out << 2));
        out += 4;
      }
      for (let ow = vectorWidth; ow < outWidth; ow++) {
        const windowStart = oh * stride * inWidth + ow * stride;
        let best = -Infinity as f32;
        let bestIndex = windowStart;
        for (let kh = 0; kh < pool; kh++) {
          const row = windowStart + kh * inWidth;
          for (let kw = 0; kw < pool; kw++) {
            const v = load<f32>(xPlane + ((<usize>(row + kw)) << 2));
            // strict > keeps the first of equal maxima; a NaN wins
            // biome-ignore lint/suspicious/noGlobalIsNan: AssemblyScript's isNaN<f32> is a typed builtin, no coercion
            const wins = <bool>(<i32>(v > best) | <i32>isNaN(v));
            best = select<f32>(v, best, wins);
            bestIndex = select<i32>(row + kw, bestIndex, wins);
          }
        }
        store<f32>(y + (out << 2), best);
        store<i32>(argmax + (out << 2), bestIndex);
        out++;
      }
    }
  }
}

/**
 * Four adjacent 2×2 windows whose top-left input is at plane index `start`: lanes hold windows 0..3, and the
 * four candidates are visited in the scalar loop's order (top-left, top-right, bottom-left, bottom-right), so
 * ties and NaNs resolve identically.
 */
function pool2x2Four(xPlane: usize, inWidth: i32, start: i32, y: usize, argmax: usize): void {
  const top = xPlane + ((<usize>start) << 2);
  const bottom = top + ((<usize>inWidth) << 2);
  const topLo = v128.load(top);
  const topHi = v128.load(top, 16);
  const bottomLo = v128.load(bottom);
  const bottomHi = v128.load(bottom, 16);
  // the first candidate always wins against −∞ unless it is −∞ itself, where it keeps its own index anyway
  let best = v128.shuffle<f32>(topLo, topHi, 0, 2, 4, 6);
  const firstIndex = i32x4.add(i32x4.splat(start), i32x4(0, 2, 4, 6));
  let bestIndex = firstIndex;
  let candidate = v128.shuffle<f32>(topLo, topHi, 1, 3, 5, 7);
  let wins = v128.or(f32x4.gt(candidate, best), f32x4.ne(candidate, candidate));
  best = v128.bitselect(candidate, best, wins);
  bestIndex = v128.bitselect(i32x4.add(firstIndex, i32x4.splat(1)), bestIndex, wins);
  candidate = v128.shuffle<f32>(bottomLo, bottomHi, 0, 2, 4, 6);
  wins = v128.or(f32x4.gt(candidate, best), f32x4.ne(candidate, candidate));
  best = v128.bitselect(candidate, best, wins);
  bestIndex = v128.bitselect(i32x4.add(firstIndex, i32x4.splat(inWidth)), bestIndex, wins);
  candidate = v128.shuffle<f32>(bottomLo, bottomHi, 1, 3, 5, 7);
  wins = v128.or(f32x4.gt(candidate, best), f32x4.ne(candidate, candidate));
  best = v128.bitselect(candidate, best, wins);
  bestIndex = v128.bitselect(i32x4.add(firstIndex, i32x4.splat(inWidth + 1)), bestIndex, wins);
  v128.store(y, best);
  v128.store(argmax, bestIndex);
}
