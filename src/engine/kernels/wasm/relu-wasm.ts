/**
 * relu forward and backward on the wasm kernels (assembly/elementwise.ts), with the contract of reluForward and
 * reluBackward in src/engine/layers/relu.ts and bit-identical results. Each pass copies its operands into the
 * scratch area and computes in place there, so the scratch holds two arrays of the layer's size at most.
 */
import { ScratchLayout } from './scratch-layout';
import type { WasmKernels } from './wasm-kernels';

export class ReluWasm {
  // keyed by element count rather than batch: an activation layer sees only flat arrays
  private readonly layout: ScratchLayout<'x' | 'dy'>;

  constructor(private readonly kernels: WasmKernels) {
    this.layout = new ScratchLayout(kernels, (count) => ({ x: count, dy: count }));
  }

  forward(x: Float32Array, y: Float32Array): void {
    const r = this.layout.regions(y.length);
    r.x.view.set(x);
    this.kernels.exports.reluForward(y.length, r.x.address, r.x.address);
    y.set(r.x.view);
  }

  backward(x: Float32Array, dy: Float32Array, dx: Float32Array): void {
    const r = this.layout.regions(dx.length);
    r.x.view.set(x);
    r.dy.view.set(dy);
    this.kernels.exports.reluBackward(dx.length, r.x.address, r.dy.address, r.dy.address);
    dx.set(r.dy.view);
  }
}
