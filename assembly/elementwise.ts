/**
 * relu forward and backward on float32 in linear memory, the same rule as src/engine/layers/relu.ts:
 *   y = x > 0 ? x : 0        dx = x > 0 ? dy : 0
 * Branch-free, so random signs have nothing to mispredict, and bit-identical to the reference: forward is
 * pmax(0, x), which is 0 < x ? x : 0 (one maxps on x86); backward ANDs dy with the mask x > 0 (all ones or all
 * zeros per lane). −0 and NaN give +0 in both.
 * `count` may be any length; the tail past the last full vector runs scalar. Pointers may alias (in place).
 */

export function reluForward(count: i32, x: usize, y: usize): void {
  const zero = f32x4.splat(0);
  const vectorEnd = count & ~3;
  let i = 0;
  for (; i < vectorEnd; i += 4) {
    const offset = (<usize>i) << 2;
    const v = v128.load(x + offset);
    v128.store(y + offset, f32x4.pmax(zero, v));
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
