/**
 * maxpool2d forward on the wasm kernels (assembly/maxpool2d.ts), with the contract of maxPool2dForward in
 * src/engine/layers/maxpool2d.ts: overwrites y and records each window's winner in argmax.
 */
import type { Pool2dDims } from '../../layers/pooling';
import { ScratchLayout } from './scratch-layout';
import type { WasmKernels } from './wasm-kernels';

export class MaxPool2dWasm {
  private readonly layout: ScratchLayout<'x' | 'y' | 'argmax'>;

  constructor(
    private readonly kernels: WasmKernels,
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
    this.kernels.exports.maxPool2dForward(
      d.batch * d.channels,
      d.inHeight,
      d.inWidth,
      d.pool,
      d.stride,
      d.outHeight,
      d.outWidth,
      r.x.address,
      r.y.address,
      r.argmax.address,
    );
    y.set(r.y.view);
    argmax.set(r.argmax.ints);
  }
}
