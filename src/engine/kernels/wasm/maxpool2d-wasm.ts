/**
 * maxpool2d forward and backward on the wasm kernels (assembly/maxpool2d.ts), with the contracts of
 * maxPool2dForward and maxPool2dBackward in src/engine/layers/maxpool2d.ts and bit-identical results: forward
 * overwrites y and records each window's winner in argmax, backward overwrites dx (a gather: each input sums the
 * deltas of the windows it won). On several threads each takes a range of planes (sample × channel).
 */
import type { Pool2dDims } from '../dims';
import { shareStart } from './kernel-thread-pool';
import { ScratchLayout } from './scratch-layout';
import type { WasmKernels } from './wasm-kernels';

export class MaxPool2dWasm {
  private readonly layout: ScratchLayout<'x' | 'y' | 'argmax'>;
  private readonly inPlane: number;
  private readonly outPlane: number;
  private argmaxPart: Int32Array = new Int32Array(0);

  constructor(
    readonly kernels: WasmKernels,
    private readonly d: Pool2dDims,
  ) {
    this.inPlane = d.inHeight * d.inWidth;
    this.outPlane = d.outHeight * d.outWidth;
    const inSize = d.channels * this.inPlane;
    const outSize = d.channels * this.outPlane;
    // backward reuses the regions: dy in y, dx in x
    this.layout = new ScratchLayout(kernels, (batch) => ({
      x: batch * inSize,
      y: batch * outSize,
      argmax: batch * outSize,
    }));
  }

  /** argmax must hold at least batch·C·OH·OW entries; the first that many are written. */
  forward(x: Float32Array, y: Float32Array, argmax: Int32Array): void {
    const r = this.layout.regions(this.d.batch);
    r.x.view.set(x);
    this.run('maxPool2dForward', r.x.address, r.y.address, r.argmax.address);
    y.set(r.y.view);
    argmax.set(r.argmax.ints);
  }

  /** argmax as forward wrote it for this batch; overwrites the first batch·C·H·W entries of dx. */
  backward(dy: Float32Array, argmax: Int32Array, dx: Float32Array): void {
    const r = this.layout.regions(this.d.batch);
    r.y.view.set(dy);
    r.argmax.ints.set(this.batchPart(argmax, r.argmax.ints.length));
    this.run('maxPool2dBackward', r.y.address, r.argmax.address, r.x.address);
    dx.set(r.x.view);
  }

  /** argmax's first `length` entries; the view is kept, so that a step makes none while argmax and length stay. */
  private batchPart(argmax: Int32Array, length: number): Int32Array {
    if (this.argmaxPart.buffer !== argmax.buffer || this.argmaxPart.length !== length) {
      this.argmaxPart = argmax.subarray(0, length);
    }
    return this.argmaxPart;
  }

  /**
   * Splits the planes over the threads. first, second, third: the kernel's last three arguments (x, y, argmax
   * forward; dy, argmax, dx backward) for plane 0; each thread's are moved to its first plane.
   */
  private run(kernel: 'maxPool2dForward' | 'maxPool2dBackward', first: number, second: number, third: number): void {
    const d = this.d;
    const planes = d.batch * d.channels;
    const forward = kernel === 'maxPool2dForward';
    const pool = this.kernels.pool;
    const threads = Math.min(planes, pool.threadsFor(planes * this.outPlane * d.pool * d.pool));
    for (let t = 0; t < threads; t++) {
      const start = shareStart(planes, threads, t, 1);
      const inOffset = start * this.inPlane * 4;
      const outOffset = start * this.outPlane * 4;
      pool.share(
        t,
        shareStart(planes, threads, t + 1, 1) - start,
        d.inHeight,
        d.inWidth,
        d.pool,
        d.stride,
        d.outHeight,
        d.outWidth,
        first + (forward ? inOffset : outOffset),
        second + outOffset,
        third + (forward ? outOffset : inOffset),
      );
    }
    pool.run(kernel, threads);
  }
}
