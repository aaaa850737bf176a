/**
 * relu forward and backward on the wasm kernels (assembly/elementwise.ts), with the contract of reluForward and
 * reluBackward in src/engine/layers/relu.ts and bit-identical results. Each pass copies its operands into the
 * scratch area and computes in place there, so the scratch holds two arrays of the layer's size at most.
 * On several threads each takes a range of elements.
 */
import { shareStart } from './kernel-thread-pool';
import { ScratchLayout } from './scratch-layout';
import type { WasmKernels } from './wasm-kernels';

/** Element shares start on whole SIMD vectors. */
const VECTOR = 4;

export class ReluWasm {
  // keyed by element count rather than batch: an activation layer sees only flat arrays
  private readonly layout: ScratchLayout<'x' | 'dy'>;

  constructor(readonly kernels: WasmKernels) {
    this.layout = new ScratchLayout(kernels, (count) => ({ x: count, dy: count }));
  }

  forward(x: Float32Array, y: Float32Array): void {
    const r = this.layout.regions(y.length);
    r.x.view.set(x);
    this.run('reluForward', y.length, r.x.address, r.x.address, r.x.address);
    y.set(r.x.view);
  }

  backward(x: Float32Array, dy: Float32Array, dx: Float32Array): void {
    const r = this.layout.regions(dx.length);
    r.x.view.set(x);
    r.dy.view.set(dy);
    this.run('reluBackward', dx.length, r.x.address, r.dy.address, r.dy.address);
    dx.set(r.dy.view);
  }

  /** reluForward(count, x, y) ignores its fourth argument; reluBackward(count, x, dy, dx) uses all three. */
  private run(kernel: 'reluForward' | 'reluBackward', count: number, first: number, second: number, third: number) {
    const pool = this.kernels.pool;
    const threads = pool.threadsFor(count);
    for (let t = 0; t < threads; t++) {
      const start = shareStart(count, threads, t, VECTOR);
      const offset = start * 4;
      pool.share(t, shareStart(count, threads, t + 1, VECTOR) - start, first + offset, second + offset, third + offset);
    }
    pool.run(kernel, threads);
  }
}
