/**
 * maxpool2d on NCHW float32 in linear memory, the same rule as src/engine/layers/maxpool2d.ts:
 *   y[n,c,oh,ow] = max_{kh,kw<K} x[n, c, oh·s + kh, ow·s + kw]
 * argmax records ih·W + iw of the winner inside its input plane; ties go to the first maximum in row-major window
 * order and a NaN wins, as in PyTorch. Backward routes dy to the winners as a gather (see maxPool2dBackward).
 * The common 2×2 window with stride 2 runs four windows per SIMD step, a row whose width is not a multiple of four
 * ending with a step that overlaps the one before (it writes the same values again); other shapes, and rows of
 * fewer than four windows, run a scalar loop. Both choose winners with branch-free selects: on activations of random sign a compare-and-branch
 * mispredicts about every other element, which made the generic loop cost ~15 ns per window.
 */

import { beat } from './heartbeat';

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
  // rows go four windows at a time (8 input columns, all inside the row), the last four overlapping if need be
  const vectorRows = pool === 2 && stride === 2 && outWidth >= 4;
  let out: usize = 0;
  for (let plane = 0; plane < planes; plane++) {
    beat();
    const xPlane = x + ((<usize>(plane * inPlane)) << 2);
    for (let oh = 0; oh < outHeight; oh++) {
      if (vectorRows) {
        for (let ow = 0; ow < outWidth; ow += 4) {
          const first = min(ow, outWidth - 4);
          const at = (out + <usize>first) << 2;
          pool2x2Four(xPlane, inWidth, oh * 2 * inWidth + first * 2, y + at, argmax + at);
        }
        out += <usize>outWidth;
        continue;
      }
      for (let ow = 0; ow < outWidth; ow++) {
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

/**
 * dx = dLoss/dx for `planes` planes, overwriting dx. In the forward pass this was y[o] = x[argmax[o]] for each
 * window o of a plane, so each input gathers the deltas of the windows it won:
 *   dx[i] = Σ_{windows o containing i, argmax[o] = i} dy[o]
 * summed from 0 in increasing o, the order in which the TypeScript reference scatters dx[argmax[o]] += dy[o], so
 * the results are bit-identical. Each input is written once (no scatter, no zeroing pass, no conflicts between
 * threads splitting planes). 2×2 windows with stride 2 (no overlap) take four windows per SIMD step.
 */
export function maxPool2dBackward(
  planes: i32,
  inHeight: i32,
  inWidth: i32,
  pool: i32,
  stride: i32,
  outHeight: i32,
  outWidth: i32,
  dy: usize,
  argmax: usize,
  dx: usize,
): void {
  const inPlane = inHeight * inWidth;
  const outPlane = outHeight * outWidth;
  for (let plane = 0; plane < planes; plane++) {
    beat();
    const dxPlane = dx + ((<usize>(plane * inPlane)) << 2);
    const dyPlane = dy + ((<usize>(plane * outPlane)) << 2);
    const argmaxPlane = argmax + ((<usize>(plane * outPlane)) << 2);
    if (pool === 2 && stride === 2) {
      unpool2x2Plane(inHeight, inWidth, outHeight, outWidth, dyPlane, argmaxPlane, dxPlane);
    } else {
      gatherPlane(inHeight, inWidth, pool, stride, outHeight, outWidth, dyPlane, argmaxPlane, dxPlane);
    }
  }
}

/** Any window and stride: each input sums, in increasing window order, the deltas of the windows it won. */
function gatherPlane(
  inHeight: i32,
  inWidth: i32,
  pool: i32,
  stride: i32,
  outHeight: i32,
  outWidth: i32,
  dy: usize,
  argmax: usize,
  dx: usize,
): void {
  for (let ih = 0; ih < inHeight; ih++) {
    // windows oh with oh·s ≤ ih < oh·s + K
    const ohStart = ih < pool ? 0 : (ih - pool) / stride + 1;
    const ohEnd = min(outHeight, ih / stride + 1);
    for (let iw = 0; iw < inWidth; iw++) {
      const owStart = iw < pool ? 0 : (iw - pool) / stride + 1;
      const owEnd = min(outWidth, iw / stride + 1);
      const position = ih * inWidth + iw;
      let sum: f32 = 0;
      for (let oh = ohStart; oh < ohEnd; oh++) {
        for (let ow = owStart; ow < owEnd; ow++) {
          const at = (<usize>(oh * outWidth + ow)) << 2;
          sum += select<f32>(load<f32>(dy + at), 0, load<i32>(argmax + at) === position);
        }
      }
      store<f32>(dx + ((<usize>position) << 2), sum);
    }
  }
}

/**
 * 2×2 windows, stride 2: every input lies in at most one window, so dx is that window's delta where the input won
 * it and 0 elsewhere (inputs past the last window, with an odd H or W, get 0). The delta is added to +0 first, as
 * the reference's 0 + dy, which turns −0 into +0. Four windows per SIMD step, as forward.
 */
function unpool2x2Plane(
  inHeight: i32,
  inWidth: i32,
  outHeight: i32,
  outWidth: i32,
  dy: usize,
  argmax: usize,
  dx: usize,
): void {
  const rowBytes = (<usize>inWidth) << 2;
  for (let oh = 0; oh < outHeight; oh++) {
    const start = oh * 2 * inWidth;
    const top = dx + ((<usize>start) << 2);
    const bottom = top + rowBytes;
    const windows = (<usize>(oh * outWidth)) << 2;
    if (outWidth >= 4) {
      // the last four windows overlap the ones before when the width is not a multiple of four
      for (let ow = 0; ow < outWidth; ow += 4) {
        const first = min(ow, outWidth - 4);
        const at = windows + ((<usize>first) << 2);
        unpool2x2Four(
          start + first * 2,
          inWidth,
          v128.load(dy + at),
          v128.load(argmax + at),
          top + ((<usize>first) << 3),
          bottom + ((<usize>first) << 3),
        );
      }
    }
    for (let ow = 0; outWidth < 4 && ow < outWidth; ow++) {
      const at = windows + ((<usize>ow) << 2);
      const delta = load<f32>(dy + at) + 0;
      const winner = load<i32>(argmax + at);
      const position = start + ow * 2;
      const offset = (<usize>ow) << 3;
      store<f32>(top + offset, select<f32>(delta, 0, winner === position));
      store<f32>(top + offset, select<f32>(delta, 0, winner === position + 1), 4);
      store<f32>(bottom + offset, select<f32>(delta, 0, winner === position + inWidth));
      store<f32>(bottom + offset, select<f32>(delta, 0, winner === position + inWidth + 1), 4);
    }
    for (let iw = outWidth * 2; iw < inWidth; iw++) {
      store<f32>(top + ((<usize>iw) << 2), 0);
      store<f32>(bottom + ((<usize>iw) << 2), 0);
    }
  }
  const covered = <usize>(outHeight * 2) * rowBytes;
  // an odd height leaves a last row; memory.fill is a call into the host even for zero bytes
  if (covered < <usize>inHeight * rowBytes) memory.fill(dx + covered, 0, <usize>inHeight * rowBytes - covered);
}

/**
 * Four adjacent 2×2 windows whose top-left input is at plane index `start`: lane j of each mask says whether
 * window j's winner is its top-left, top-right, bottom-left or bottom-right input; the masked deltas are then
 * interleaved into the two input rows (8 floats each).
 */
function unpool2x2Four(start: i32, inWidth: i32, delta: v128, winner: v128, top: usize, bottom: usize): void {
  delta = f32x4.add(delta, f32x4.splat(0));
  const topLeft = i32x4.add(i32x4.splat(start), i32x4(0, 2, 4, 6));
  const bottomLeft = i32x4.add(topLeft, i32x4.splat(inWidth));
  const one = i32x4.splat(1);
  const a = v128.and(delta, i32x4.eq(winner, topLeft));
  const b = v128.and(delta, i32x4.eq(winner, i32x4.add(topLeft, one)));
  const c = v128.and(delta, i32x4.eq(winner, bottomLeft));
  const d = v128.and(delta, i32x4.eq(winner, i32x4.add(bottomLeft, one)));
  v128.store(top, v128.shuffle<f32>(a, b, 0, 4, 1, 5));
  v128.store(top, v128.shuffle<f32>(a, b, 2, 6, 3, 7), 16);
  v128.store(bottom, v128.shuffle<f32>(c, d, 0, 4, 1, 5));
  v128.store(bottom, v128.shuffle<f32>(c, d, 2, 6, 3, 7), 16);
}
