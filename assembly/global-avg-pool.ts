/**
 * globalavgpool forward and backward on float32 in linear memory, the same math and rounding as
 * src/engine/layers/globalavgpool.ts (the sum of a plane in float64, divided, then rounded once):
 *   y[i] = (Σ_p x[i, p]) / plane        dx[i, p] = dy[i] / plane        for each of the `planes` planes i
 */

export function globalAvgPoolForward(planes: i32, plane: i32, x: usize, y: usize): void {
  const size = <f64>plane;
  for (let i = 0; i < planes; i++) {
    const row = x + ((<usize>i * <usize>plane) << 2);
    let sum: f64 = 0;
    for (let p = 0; p < plane; p++) sum += <f64>load<f32>(row + ((<usize>p) << 2));
    store<f32>(y + ((<usize>i) << 2), <f32>(sum / size));
  }
}

export function globalAvgPoolBackward(planes: i32, plane: i32, dy: usize, dx: usize): void {
  const size = <f64>plane;
  for (let i = 0; i < planes; i++) {
    const value = <f32>(<f64>load<f32>(dy + ((<usize>i) << 2)) / size);
    const row = dx + ((<usize>i * <usize>plane) << 2);
    for (let p = 0; p < plane; p++) store<f32>(row + ((<usize>p) << 2), value);
  }
}
