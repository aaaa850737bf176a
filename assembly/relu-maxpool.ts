/**
 * A relu directly followed by a 2×2 max-pool with stride 2, fused, on NCHW float32 planes in linear memory.
 * Forward, in one pass over the relu's input x:
 *   r = x > 0 ? x : 0        (the relu's output, written too: the trainer hands it out after the step)
 *   y[oh,ow] = max of r over rows 2oh, 2oh + 1 and columns 2ow, 2ow + 1;  argmax = ih·W + iw of the first maximum
 * the values and winners of reluForward (assembly/elementwise.ts) then maxPool2dForward (assembly/maxpool2d.ts):
 * r holds no NaN and no −0 (the relu makes both +0), so the pool's NaN rule never applies and the first maximum
 * in row-major window order is found by comparing the two top inputs, the two bottom ones, then the two rows.
 * Backward, in one pass writing the relu input's gradient:
 *   in the forward pass this was: r = relu(x), y = r[argmax]
 *   so now we have: dx[i] = (i = argmax of its window and y of that window > 0) ? dy + 0 : 0
 * which is maxPool2dBackward (dy + 0 to the winner, +0 elsewhere) then reluBackward (x > 0 ? · : 0): at the
 * winner r = y, so x > 0 exactly when y > 0. Inputs in no window (the last row or column of an odd size) get 0.
 * Each output row takes four windows per SIMD step; a row whose width is not a multiple of four ends with a step
 * overlapping the one before (it writes the same values again), so only rows of fewer than four windows run scalar.
 */

import { beat } from './heartbeat';

/**
 * Plane offsets 0, 2, 4, 6 of four adjacent windows' top-left inputs, as data: a v128.const would be rebuilt at
 * every use inside the loops (V8 materializes vector constants in place), a load before the loop is kept.
 */
const WINDOW_LANES: usize = memory.data<i32>([0, 2, 4, 6], 16);

/**
 * Lanes of a where mask is all ones, of b where it is all zeros. The relaxed build's laneselect is one blend on
 * x86 (bitselect is three instructions) and exact for masks of whole lanes, which compares give.
 */
function pick(a: v128, b: v128, mask: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i32x4.relaxed_laneselect(a, b, mask);
  return v128.bitselect(a, b, mask);
}

/** pmax(0, v) is 0 < v ? v : 0, the relu's rule lane-wise (NaN and −0 give +0): one maxps on x86. */
function relu4(v: v128): v128 {
  return f32x4.pmax(f32x4.splat(0), v);
}

function relu1(v: f32): f32 {
  return v > 0 ? v : 0;
}

export function reluMaxPool2x2Forward(
  planes: i32,
  inHeight: i32,
  inWidth: i32,
  outHeight: i32,
  outWidth: i32,
  x: usize,
  r: usize,
  y: usize,
  argmax: usize,
): void {
  const inPlaneBytes = (<usize>(inHeight * inWidth)) << 2;
  const outPlaneBytes = (<usize>(outHeight * outWidth)) << 2;
  const rowBytes = (<usize>inWidth) << 2;
  const covered = <usize>(outHeight * 2) * rowBytes;
  const lanes = v128.load(WINDOW_LANES);
  const down = i32x4.splat(inWidth);
  for (let plane = 0; plane < planes; plane++) {
    beat();
    const inAt = <usize>plane * inPlaneBytes;
    const outAt = <usize>plane * outPlaneBytes;
    for (let oh = 0; oh < outHeight; oh++) {
      const start = oh * 2 * inWidth;
      const top = inAt + ((<usize>start) << 2);
      const windows = outAt + ((<usize>(oh * outWidth)) << 2);
      if (outWidth >= 4) {
        for (let ow = 0; ow < outWidth; ow += 4) {
          const first = min(ow, outWidth - 4);
          const input = top + ((<usize>first) << 3);
          const output = windows + ((<usize>first) << 2);
          const left = i32x4.add(i32x4.splat(start + first * 2), lanes);
          reluPool2x2Four(x + input, r + input, rowBytes, left, down, y + output, argmax + output);
        }
      } else {
        for (let ow = 0; ow < outWidth; ow++) {
          const output = windows + ((<usize>ow) << 2);
          reluPool2x2One(x + top, r + top, start, ow * 2, inWidth, y + output, argmax + output);
        }
      }
      for (let iw = outWidth * 2; iw < inWidth; iw++) {
        const at = top + ((<usize>iw) << 2);
        store<f32>(r + at, relu1(load<f32>(x + at)));
        store<f32>(r + at + rowBytes, relu1(load<f32>(x + at + rowBytes)));
      }
    }
    reluRange(x + inAt + covered, r + inAt + covered, inPlaneBytes - covered);
  }
}

/**
 * Four adjacent windows, x and r pointing at the first one's top-left input: lanes hold windows 0..3, `left` their
 * top-left inputs' plane indices and `down` the plane width. A compare's mask is −1 in its lanes, so `left − mask`
 * is the right-hand input's index where it won.
 */
function reluPool2x2Four(x: usize, r: usize, rowBytes: usize, left: v128, down: v128, y: usize, argmax: usize): void {
  const topLo = relu4(v128.load(x));
  const topHi = relu4(v128.load(x, 16));
  const bottomLo = relu4(v128.load(x + rowBytes));
  const bottomHi = relu4(v128.load(x + rowBytes, 16));
  v128.store(r, topLo);
  v128.store(r, topHi, 16);
  v128.store(r + rowBytes, bottomLo);
  v128.store(r + rowBytes, bottomHi, 16);
  const topLeft = v128.shuffle<f32>(topLo, topHi, 0, 2, 4, 6);
  const topRight = v128.shuffle<f32>(topLo, topHi, 1, 3, 5, 7);
  const bottomLeft = v128.shuffle<f32>(bottomLo, bottomHi, 0, 2, 4, 6);
  const bottomRight = v128.shuffle<f32>(bottomLo, bottomHi, 1, 3, 5, 7);
  // pmax(a, b) is a < b ? b : a: the left input keeps a tie, the top row keeps a tie with the bottom one
  const top = f32x4.pmax(topLeft, topRight);
  const bottom = f32x4.pmax(bottomLeft, bottomRight);
  v128.store(y, f32x4.pmax(top, bottom));
  const topIndex = i32x4.sub(left, f32x4.gt(topRight, topLeft));
  const bottomIndex = i32x4.sub(i32x4.add(left, down), f32x4.gt(bottomRight, bottomLeft));
  v128.store(argmax, pick(bottomIndex, topIndex, f32x4.gt(bottom, top)));
}

/** One window whose top-left input is column `column` of the row at plane index `start` (x and r at that row). */
function reluPool2x2One(x: usize, r: usize, start: i32, column: i32, inWidth: i32, y: usize, argmax: usize): void {
  let best: f32 = -1;
  let bestIndex = 0;
  for (let kh = 0; kh < 2; kh++) {
    for (let kw = 0; kw < 2; kw++) {
      const position = kh * inWidth + column + kw;
      const at = (<usize>position) << 2;
      const v = relu1(load<f32>(x + at));
      store<f32>(r + at, v);
      // strict > keeps the first of equal maxima; every v ≥ 0 beats the initial −1
      const wins = v > best;
      best = select<f32>(v, best, wins);
      bestIndex = select<i32>(start + position, bestIndex, wins);
    }
  }
  store<f32>(y, best);
  store<i32>(argmax, bestIndex);
}

/** r = relu(x) over `bytes` bytes (a multiple of 4). */
function reluRange(x: usize, r: usize, bytes: usize): void {
  const vectorBytes = bytes & ~15;
  let i: usize = 0;
  for (; i < vectorBytes; i += 16) v128.store(r + i, relu4(v128.load(x + i)));
  for (; i < bytes; i += 4) store<f32>(r + i, relu1(load<f32>(x + i)));
}

export function reluMaxPool2x2Backward(
  planes: i32,
  inHeight: i32,
  inWidth: i32,
  outHeight: i32,
  outWidth: i32,
  dy: usize,
  argmax: usize,
  y: usize,
  dx: usize,
): void {
  const inPlaneBytes = (<usize>(inHeight * inWidth)) << 2;
  const outPlaneBytes = (<usize>(outHeight * outWidth)) << 2;
  const rowBytes = (<usize>inWidth) << 2;
  const covered = <usize>(outHeight * 2) * rowBytes;
  for (let plane = 0; plane < planes; plane++) {
    beat();
    const dxPlane = dx + <usize>plane * inPlaneBytes;
    const outAt = <usize>plane * outPlaneBytes;
    for (let oh = 0; oh < outHeight; oh++) {
      const start = oh * 2 * inWidth;
      const top = dxPlane + ((<usize>start) << 2);
      const windows = outAt + ((<usize>(oh * outWidth)) << 2);
      if (outWidth >= 4) {
        for (let ow = 0; ow < outWidth; ow += 4) {
          const first = min(ow, outWidth - 4);
          const at = windows + ((<usize>first) << 2);
          const delta = v128.and(
            f32x4.add(v128.load(dy + at), f32x4.splat(0)),
            f32x4.gt(v128.load(y + at), f32x4.splat(0)),
          );
          unpool2x2Four(
            start + first * 2,
            inWidth,
            delta,
            v128.load(argmax + at),
            top + ((<usize>first) << 3),
            rowBytes,
          );
        }
      } else {
        for (let ow = 0; ow < outWidth; ow++) {
          const at = windows + ((<usize>ow) << 2);
          const delta = select<f32>(load<f32>(dy + at) + 0, 0, load<f32>(y + at) > 0);
          const winner = load<i32>(argmax + at) - start - ow * 2;
          const input = top + ((<usize>ow) << 3);
          store<f32>(input, select<f32>(delta, 0, winner === 0));
          store<f32>(input, select<f32>(delta, 0, winner === 1), 4);
          store<f32>(input + rowBytes, select<f32>(delta, 0, winner === inWidth));
          store<f32>(input + rowBytes, select<f32>(delta, 0, winner === inWidth + 1), 4);
        }
      }
      for (let iw = outWidth * 2; iw < inWidth; iw++) {
        store<f32>(top + ((<usize>iw) << 2), 0);
        store<f32>(top + rowBytes + ((<usize>iw) << 2), 0);
      }
    }
    // an odd height leaves a last row; memory.fill is a call into the host even for zero bytes
    if (covered < inPlaneBytes) memory.fill(dxPlane + covered, 0, inPlaneBytes - covered);
  }
}

/**
 * Four adjacent windows whose top-left input is at plane index `start`, `top` pointing at it in dx: each window's
 * delta goes to the input that won it, interleaved into the two input rows (8 floats each).
 */
function unpool2x2Four(start: i32, inWidth: i32, delta: v128, winner: v128, top: usize, rowBytes: usize): void {
  // where the winner lies in its window: 0, 1 (top row), W, W + 1 (bottom row)
  const offset = i32x4.sub(winner, i32x4.add(i32x4.splat(start), i32x4(0, 2, 4, 6)));
  const topLeft = v128.and(delta, i32x4.eq(offset, i32x4.splat(0)));
  const topRight = v128.and(delta, i32x4.eq(offset, i32x4.splat(1)));
  const bottomLeft = v128.and(delta, i32x4.eq(offset, i32x4.splat(inWidth)));
  const bottomRight = v128.and(delta, i32x4.eq(offset, i32x4.splat(inWidth + 1)));
  v128.store(top, v128.shuffle<f32>(topLeft, topRight, 0, 4, 1, 5));
  v128.store(top, v128.shuffle<f32>(topLeft, topRight, 2, 6, 3, 7), 16);
  v128.store(top + rowBytes, v128.shuffle<f32>(bottomLeft, bottomRight, 0, 4, 1, 5));
  v128.store(top + rowBytes, v128.shuffle<f32>(bottomLeft, bottomRight, 2, 6, 3, 7), 16);
}
