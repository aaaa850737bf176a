/**
 * leakyrelu forward and backward on float32 in linear memory, the same rule and rounding as
 * src/engine/layers/leakyrelu.ts (the slope a is a float64 there, so a·x is formed in float64 and rounded once):
 *   y = x > 0 ? x : a·x        dx = x > 0 ? dy : a·dy
 */

export function leakyReluForward(count: i32, x: usize, y: usize, slope: f64): void {
  for (let i = 0; i < count; i++) {
    const offset = (<usize>i) << 2;
    const v = load<f32>(x + offset);
    store<f32>(y + offset, v > 0 ? v : <f32>(slope * <f64>v));
  }
}

export function leakyReluBackward(count: i32, x: usize, dy: usize, dx: usize, slope: f64): void {
  for (let i = 0; i < count; i++) {
    const offset = (<usize>i) << 2;
    const d = load<f32>(dy + offset);
    store<f32>(dx + offset, load<f32>(x + offset) > 0 ? d : <f32>(slope * <f64>d));
  }
}

/**
 * The two passes with the slope read from a float64 at `slope` (the kernel threads pass only i32 arguments),
 * four lanes at a time: a·x in float64 per lane, rounded once to float32, and the lane's own value where x > 0.
 * Bit-identical to the scalar passes above (NaN lanes stay NaN, payloads aside).
 */
export function leakyReluForwardAt(count: i32, x: usize, y: usize, slope: usize): void {
  leakyReluSimd(count, x, x, y, load<f64>(slope));
}

export function leakyReluBackwardAt(count: i32, x: usize, dy: usize, dx: usize, slope: usize): void {
  leakyReluSimd(count, x, dy, dx, load<f64>(slope));
}

/** out = sign > 0 ? value : a·value. */
function leakyReluSimd(count: i32, sign: usize, value: usize, out: usize, a: f64): void {
  const aV = f64x2.splat(a);
  const zero = f32x4.splat(0);
  const vectorEnd = count & ~3;
  let i = 0;
  for (; i < vectorEnd; i += 4) {
    const offset = (<usize>i) << 2;
    const v = v128.load(value + offset);
    const low = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(v), aV));
    const high = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)), aV));
    const scaled = v128.shuffle<f32>(low, high, 0, 1, 4, 5);
    const positive = f32x4.gt(v128.load(sign + offset), zero);
    v128.store(out + offset, v128.bitselect(v, scaled, positive));
  }
  for (; i < count; i++) {
    const offset = (<usize>i) << 2;
    const v = load<f32>(value + offset);
    store<f32>(out + offset, load<f32>(sign + offset) > 0 ? v : <f32>(a * <f64>v));
  }
}
