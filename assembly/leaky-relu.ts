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
