/**
 * maxpool2d forward on the wasm kernels (assembly/maxpool2d.ts), with the contract of maxPool2dForward in
 * src/engine/layers/maxpool2d.ts: overwrites y and records each window's winner in argmax. On several threads
 * each takes a range of planes (sample × channel).
 */
import type { Pool2dDims } from '../../layers/pooling';
import { shareStart } from './kernel-thread-pool';
import { ScratchLayout } from './scratch-layout';
import type { WasmKernels } from './wasm-kernels';

export class MaxPool2dWasm {
  private readonly layout: ScratchLayout<'x' | 'y' | 'argmax'>;

  constructor(
    readonly kernels: WasmKernels,
    private readonly d: Pool2dDims,
  ) {
    const inSize = d.channels * d.inHeight * d.inWidth;
    const outSize = d.channels * d.outHeight * d.outWidth;
    this.layout = new ScratchLayout(kernels, (batch) => ({
      x: batch * inSize,
      y: batch * outSize,
      argmax: batch * outSize,
    }));
  }

  /** argmax must hold at least batch·C·OH·OW entries; the first that many are written. */
  forward(x: Float32Array, y: Float32Array, argmax: Int32Array): void {
    const d = this.d;
    const r = this.layout.regions(d.batch);
    r.x.view.set(x);
    const planes = d.batch * d.channels;
    const inPlane = d.inHeight * d.inWidth;
    const outPlane = d.outHeight * d.outWidth;
    const pool = this.kernels.pool;
    const threads = Math.min(planes, pool.threadsFor(planes * outPlane * d.pool * d.pool));
    for (let t = 0; t < threads; t++) {
      const start = shareStart(planes, threads, t, 1);
      pool.share(
        t,
        shareStart(planes, threads, t + 1, 1) - start,
        d.inHeight,
        d.inWidth,
        d.pool,
        d.stride,
        d.outHeight,
        d.outWidth,
        r.x.address + start * inPlane * 4,
        r.y.address + start * outPlane * 4,
        r.argmax.address + start * outPlane * 4,
      );
    }
    pool.run('maxPool2dForward', threads);
    y.set(r.y.view);
    argmax.set(r.argmax.ints);
  }
}
