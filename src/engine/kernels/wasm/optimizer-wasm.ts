/**
 * The optimizer update of every parameter in one wasm call (assembly/optimizer.ts), bit-identical to the
 * TypeScript loops of src/engine/optim/{sgd,adam}.ts (the kernel computes in float64 as JavaScript does and rounds
 * where the TypeScript stores into float32).
 * Operands are copied in and out at every call rather than kept in wasm memory: the data-parallel step
 * (train-step-wasm.ts) and the per-layer kernels use the scratch area from its start between two updates and
 * assume nothing there survives a call, so a region that persisted across steps would have to be carved out of
 * that contract for every kernel. The copies are plain memcpy (about 0.2 ns per float: on workload A 0.45 of the
 * 1.5 ns a plain SGD update costs per parameter, 1 of Adam's 4.2, against 3.8 and 9.5 ns in TypeScript), the
 * optimizer's own Float32Array state stays the checkpoint's source, unchanged, and the untouched originals let an
 * update whose kernel thread died restart from scratch.
 * All parameters are laid out back to back in each region (θ, gradient, up to two state buffers), so one call
 * covers them; the threads take contiguous ranges of it. Each parameter's update is independent of every other,
 * so any split gives the same numbers: the result does not depend on the thread count.
 */
import type { Param } from '../../params';
import { shareStart } from './kernel-thread-pool';
import { ScratchLayout, type ScratchRegion } from './scratch-layout';
import type { WasmKernels } from './wasm-kernels';

type Region = 'theta' | 'grad' | 'first' | 'second' | 'hyper';

/** Float64 hyperparameter slots (the kernels read at most 9). */
const HYPER_SLOTS = 16;

/** Comparable operations per parameter, for the pool's rule of when waking a thread pays off. */
const WORK_PER_PARAM = 8;

/** Shares start on whole SIMD vectors. */
const VECTOR = 4;

export interface SgdHyper {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  firstStep: boolean;
}

export interface AdamHyper {
  /** The step being taken, t = 1, 2, … */
  step: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: the decay shrinks θ directly instead of entering the gradient. */
  decoupled: boolean;
}

export class OptimizerWasm {
  private readonly layout: ScratchLayout<Region>;
  private readonly offsets: number[] = [];
  private readonly total: number;
  private regions: Record<Region, ScratchRegion> | null = null;
  /** Per region, per parameter: its floats in the region (made again only when memory grew). */
  private views: Record<Exclude<Region, 'hyper'>, Float32Array[]> = { theta: [], grad: [], first: [], second: [] };
  private hyper: Float64Array<ArrayBufferLike> = new Float64Array(0);
  /** The state buffers of the update in progress (momentum, or Adam's m and v). */
  private first: readonly Float32Array[] = [];
  private second: readonly Float32Array[] = [];
  /**
   * Copies every operand in again, as it was before the update: the update works in place, so when a kernel
   * thread died partway through its share, every share runs again from these (see KernelThreadPool.run).
   */
  private readonly copyInAgain = (): void => {
    this.copyIn();
  };

  /** `stateBuffers`: per-parameter state arrays the rule keeps (SGD with momentum 1, Adam 2, plain SGD 0). */
  constructor(
    readonly kernels: WasmKernels,
    private readonly params: readonly Param[],
    private readonly stateBuffers: 0 | 1 | 2,
  ) {
    let total = 0;
    for (const param of params) {
      this.offsets.push(total);
      total += param.data.length;
    }
    this.total = total;
    const stateFloats = (index: number) => (stateBuffers > index ? total : 0);
    this.layout = new ScratchLayout(kernels, () => ({
      theta: total,
      grad: total,
      first: stateFloats(0),
      second: stateFloats(1),
      hyper: 2 * HYPER_SLOTS,
    }));
  }

  /** SGD on every parameter; `buffers` are the momentum buffers (unused when momentum is 0). */
  sgd(buffers: readonly Float32Array[], h: SgdHyper): void {
    this.first = buffers;
    const r = this.copyIn();
    const hyper = this.hyper;
    hyper[0] = h.lr;
    hyper[1] = h.momentum;
    hyper[2] = 1 - h.dampening;
    hyper[3] = h.weightDecay;
    this.run('sgdUpdate', r, h.firstStep ? 1 : 0, h.nesterov ? 1 : 0);
    this.copyOut();
  }

  /** Adam or AdamW on every parameter, with its first and second moment buffers. */
  adam(expAvg: readonly Float32Array[], expAvgSq: readonly Float32Array[], h: AdamHyper): void {
    this.first = expAvg;
    this.second = expAvgSq;
    const r = this.copyIn();
    const hyper = this.hyper;
    // the same doubles Adam.step and adamUpdate compute
    hyper[0] = 1 - h.lr * h.weightDecay;
    hyper[1] = h.decoupled ? 0 : h.weightDecay;
    hyper[2] = h.beta1;
    hyper[3] = 1 - h.beta1;
    hyper[4] = h.beta2;
    hyper[5] = 1 - h.beta2;
    hyper[6] = h.lr / (1 - h.beta1 ** h.step);
    hyper[7] = Math.sqrt(1 - h.beta2 ** h.step);
    hyper[8] = h.eps;
    this.run('adamUpdate', r, h.decoupled ? 1 : 0, 0);
    this.copyOut();
  }

  private run(kernel: 'sgdUpdate' | 'adamUpdate', r: Record<Region, ScratchRegion>, flag: number, flag2: number) {
    const pool = this.kernels.pool;
    const count = this.total;
    const threads = pool.threadsFor(count * WORK_PER_PARAM);
    for (let t = 0; t < threads; t++) {
      const start = shareStart(count, threads, t, VECTOR);
      const length = shareStart(count, threads, t + 1, VECTOR) - start;
      const at = start * 4;
      const theta = r.theta.address + at;
      const grad = r.grad.address + at;
      // a state region of 0 floats is never read: its address is passed as is
      const first = this.stateBuffers > 0 ? r.first.address + at : r.first.address;
      if (kernel === 'sgdUpdate') pool.share(t, length, theta, grad, first, r.hyper.address, flag, flag2);
      else pool.share(t, length, theta, grad, first, r.second.address + at, r.hyper.address, flag);
    }
    pool.run(kernel, threads, this.copyInAgain);
  }

  private copyIn(): Record<Region, ScratchRegion> {
    const r = this.prepare();
    const v = this.views;
    for (let p = 0; p < this.params.length; p++) {
      v.theta[p].set(this.params[p].data);
      v.grad[p].set(this.params[p].grad);
      if (this.stateBuffers > 0) v.first[p].set(this.first[p]);
      if (this.stateBuffers > 1) v.second[p].set(this.second[p]);
    }
    return r;
  }

  private copyOut(): void {
    const v = this.views;
    for (let p = 0; p < this.params.length; p++) {
      this.params[p].data.set(v.theta[p]);
      if (this.stateBuffers > 0) this.first[p].set(v.first[p]);
      if (this.stateBuffers > 1) this.second[p].set(v.second[p]);
    }
  }

  /** The regions, and the per-parameter views into them made again whenever memory grew (a new buffer). */
  private prepare(): Record<Region, ScratchRegion> {
    const r = this.layout.regions(0);
    if (r === this.regions) return r;
    this.regions = r;
    const viewsOf = (region: ScratchRegion, used: boolean) =>
      this.params.map((param, p) =>
        used ? region.view.subarray(this.offsets[p], this.offsets[p] + param.data.length) : new Float32Array(0),
      );
    this.views = {
      theta: viewsOf(r.theta, true),
      grad: viewsOf(r.grad, true),
      first: viewsOf(r.first, this.stateBuffers > 0),
      second: viewsOf(r.second, this.stateBuffers > 1),
    };
    this.hyper = new Float64Array(r.hyper.view.buffer, r.hyper.address, HYPER_SLOTS);
    return r;
  }
}
