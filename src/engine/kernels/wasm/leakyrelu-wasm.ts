/**
 * leakyrelu forward and backward on the wasm kernels (assembly/leaky-relu.ts), with the contract of
 * leakyReluForward and leakyReluBackward in src/engine/layers/leakyrelu.ts and bit-identical results (a·x in
 * float64, rounded once). The slope travels as a float64 in the scratch area: kernel threads take i32 arguments.
 * On several threads each takes a range of elements.
 */
import { runByElements } from './element-shares';
import { ScratchLayout, type ScratchRegion } from './scratch-layout';
import type { WasmKernels } from './wasm-kernels';

export class LeakyReluWasm {
  // keyed by element count rather than batch: an activation layer sees only flat arrays
  private readonly layout: ScratchLayout<'slope' | 'x' | 'dy'>;
  private slopeRegion: ScratchRegion | null = null;
  private slopeView: Float64Array<ArrayBufferLike> = new Float64Array(1);

  constructor(
    readonly kernels: WasmKernels,
    private readonly slope: number,
  ) {
    this.layout = new ScratchLayout(kernels, (count) => ({ slope: 2, x: count, dy: count }));
  }

  forward(x: Float32Array, y: Float32Array): void {
    const r = this.regions(y.length);
    r.x.view.set(x);
    runByElements(this.kernels.pool, 'leakyReluForwardAt', y.length, 2, r.x.address, r.x.address, r.slope.address);
    y.set(r.x.view);
  }

  backward(x: Float32Array, dy: Float32Array, dx: Float32Array): void {
    const r = this.regions(dx.length);
    r.x.view.set(x);
    r.dy.view.set(dy);
    const pool = this.kernels.pool;
    runByElements(pool, 'leakyReluBackwardAt', dx.length, 3, r.x.address, r.dy.address, r.dy.address, r.slope.address);
    dx.set(r.dy.view);
  }

  /** The regions, with the slope written whenever they move (other layers overwrite the scratch in between). */
  private regions(count: number) {
    const r = this.layout.regions(count);
    if (r.slope !== this.slopeRegion) {
      this.slopeRegion = r.slope;
      this.slopeView = new Float64Array(r.slope.view.buffer, r.slope.address, 1);
    }
    this.slopeView[0] = this.slope;
    return r;
  }
}
