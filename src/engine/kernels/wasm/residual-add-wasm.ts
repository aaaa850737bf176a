/**
 * A residual block's sum, sum = a + b (forward: body(x) + shortcut(x); backward: the two branches' input
 * gradients), on the wasm kernels (assembly/residual-add.ts), bit-identical to addInto in
 * src/engine/layers/residual.ts (one float32 addition per element either way). On several threads each takes
 * a range of elements.
 */
import { runByElements } from './element-shares';
import { ScratchLayout } from './scratch-layout';
import type { WasmKernels } from './wasm-kernels';

export class ResidualAddWasm {
  // keyed by element count: the forward sum and the backward one differ in size when the block changes shape
  private readonly layout: ScratchLayout<'a' | 'b'>;

  constructor(readonly kernels: WasmKernels) {
    this.layout = new ScratchLayout(kernels, (count) => ({ a: count, b: count }));
  }

  add(a: Float32Array, b: Float32Array, sum: Float32Array): void {
    const r = this.layout.regions(sum.length);
    r.a.view.set(a);
    r.b.view.set(b);
    runByElements(this.kernels.pool, 'residualAdd', sum.length, 3, r.a.address, r.b.address, r.a.address);
    sum.set(r.a.view);
  }
}
