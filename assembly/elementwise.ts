/**
 * relu forward and backward on float32 in linear memory, the same rule as src/engine/layers/relu.ts:
 *   y = x > 0 ? x : 0        dx = x > 0 ? dy : 0
 * Written as a bit mask (x > 0 lane-wise, all ones or all zeros) ANDed with the value, so there is no branch
 * for random signs to mispredict and the result is bit-identical to the reference: −0 and NaN give +0 in both.
 * `count` may be any length; the tail past the last full vector runs scalar. Pointers may alias (in place).
 */

export function reluForward(count: i32, x: usize, y: usize): void {
  const zero = f32x4.splat(0);
  const vectorEnd = count & ~3;
  let i = 0;
  for (; i < vectorEnd; i += 4) {
    const offset = (<usize>i) << 2;
    const v = v128.load(x + offset);
    v128.store(y + offset, v128.and(v, f32x4.gt(v, zero)));
  }
  for (; i < count; i++) {
    const offset = (<usize>i) << 2;
    const v = load<f32>(x + offset);
    store<f32>(y + offset, v > 0 ? v : 0);
  }
}

export function reluBackward(count: i32, x: usize, dy: usize, dx: usize): void {
  const zero = f32x4.splat(0);
  const vectorEnd = count & ~3;
  let i = 0;
  for (; i < vectorEnd; i += 4) {
    const offset = (<usize>i) << 2;
    const positive = f32x4.gt(v128.load(x + offset), zero);
    v128.store(dx + offset, v128.and(v128.load(dy + offset), positive));
  }
  for (; i < count; i++) {
    const offset = (<usize>i) << 2;
    store<f32>(dx + offset, load<f32>(x + offset) > 0 ? load<f32>(dy + offset) : 0);
  }
}
