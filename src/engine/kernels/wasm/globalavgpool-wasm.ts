/**
 * globalavgpool forward and backward on the wasm kernels (assembly/global-avg-pool.ts), with the contracts of
 * globalAvgPoolForward and globalAvgPoolBackward in src/engine/layers/globalavgpool.ts and bit-identical results
 * (each plane's sum in float64, in the same order). On several threads each takes a range of planes.
 */
import { shareStart } from './kernel-thread-pool';
import { ScratchLayout } from './scratch-layout';
import type { WasmKernels } from './wasm-kernels';

export class GlobalAvgPoolWasm {
  // keyed by plane count (samples × channels)
  private readonly layout: ScratchLayout<'x' | 'y'>;

  constructor(
    readonly kernels: WasmKernels,
    private readonly plane: number,
  ) {
    this.layout = new ScratchLayout(kernels, (planes) => ({ x: planes * plane, y: planes }));
  }

  /** y [planes] from x [planes · plane]. */
  forward(x: Float32Array, y: Float32Array): void {
    const r = this.layout.regions(y.length);
    r.x.view.set(x);
    this.run('globalAvgPoolForward', y.length, r.x.address, r.y.address);
    y.set(r.y.view);
  }

  /** dx [planes · plane] from dy [planes]. */
  backward(dy: Float32Array, dx: Float32Array): void {
    const r = this.layout.regions(dy.length);
    r.y.view.set(dy);
    this.run('globalAvgPoolBackward', dy.length, r.x.address, r.y.address);
    dx.set(r.x.view);
  }

  /** `perPlane` points at the per-plane values (y or dy), `wide` at the planes (x or dx). */
  private run(
    kernel: 'globalAvgPoolForward' | 'globalAvgPoolBackward',
    planes: number,
    wide: number,
    perPlane: number,
  ) {
    const forward = kernel === 'globalAvgPoolForward';
    const pool = this.kernels.pool;
    const threads = Math.min(planes, pool.threadsFor(planes * this.plane));
    for (let t = 0; t < threads; t++) {
      const start = shareStart(planes, threads, t, 1);
      const count = shareStart(planes, threads, t + 1, 1) - start;
      const wideAt = wide + start * this.plane * 4;
      const perPlaneAt = perPlane + start * 4;
      if (forward) pool.share(t, count, this.plane, wideAt, perPlaneAt);
      else pool.share(t, count, this.plane, perPlaneAt, wideAt);
    }
    pool.run(kernel, threads);
  }
}
