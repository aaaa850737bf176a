/**
 * A residual block's sum, out = a + b for `count` floats (forward: body(x) + shortcut(x); backward: the two
 * branches' input gradients), one rounding each as src/engine/layers/residual.ts. Pointers may alias.
 */

export function residualAdd(count: i32, a: usize, b: usize, out: usize): void {
  const bytes = (<usize>count) << 2;
  const vectorBytes = bytes & ~15;
  let i: usize = 0;
  for (; i < vectorBytes; i += 16) v128.store(out + i, f32x4.add(v128.load(a + i), v128.load(b + i)));
  for (; i < bytes; i += 4) store<f32>(out + i, load<f32>(a + i) + load<f32>(b + i));
}
