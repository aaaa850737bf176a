/**
 * SGD as torch.optim.SGD (momentum μ, dampening τ, nesterov, weight decay λ), per parameter θ with gradient g:
 *   g ← g + λ·θ
 *   b ← g on the first step (not (1 − τ)·g), else b ← μ·b + (1 − τ)·g        (only when μ ≠ 0)
 *   g ← g + μ·b if nesterov, else g ← b                                      (only when μ ≠ 0)
 *   θ ← θ − lr·g
 * On the wasm kernels one call updates every parameter (wasm-update.ts), with bit-identical results.
 */
import type { OptimizerWasm, SgdHyper } from '../kernels/wasm/optimizer-wasm';
import type { Param } from '../params';
import {
  loadBuffers,
  OPTIMIZER_DEFAULTS,
  type Optimizer,
  requireFinite,
  type SgdConfig,
  type SgdState,
  saveBuffers,
} from './optimizer';
import { activeWasmUpdate } from './wasm-update';

export function sgdUpdate(
  theta: Float32Array,
  grad: Float32Array,
  momentumBuffer: Float32Array,
  firstStep: boolean,
  lr: number,
  momentum: number,
  dampening: number,
  nesterov: boolean,
  weightDecay: number,
): void {
  for (let i = 0; i < theta.length; i++) {
    let g = grad[i] + weightDecay * theta[i];
    if (momentum !== 0) {
      momentumBuffer[i] = firstStep ? g : momentum * momentumBuffer[i] + (1 - dampening) * g;
      g = nesterov ? g + momentum * momentumBuffer[i] : momentumBuffer[i];
    }
    theta[i] -= lr * g;
  }
}

export class Sgd implements Optimizer {
  lr: number;
  private readonly momentum: number;
  private readonly dampening: number;
  private readonly nesterov: boolean;
  private readonly weightDecay: number;
  private readonly momentumBuffers: Float32Array[];
  private steps = 0;
  private wasm: OptimizerWasm | null = null;
  /** The wasm update's hyperparameters, made once so that a step allocates nothing. */
  private readonly wasmHyper: SgdHyper;

  constructor(
    private readonly params: readonly Param[],
    config: SgdConfig,
  ) {
    const defaults = OPTIMIZER_DEFAULTS.sgd;
    this.lr = requireFinite('lr', config.lr, 0);
    this.momentum = requireFinite('momentum', config.momentum ?? defaults.momentum, 0);
    this.dampening = requireFinite('dampening', config.dampening ?? defaults.dampening, 0);
    this.nesterov = config.nesterov ?? defaults.nesterov;
    this.weightDecay = requireFinite('weightDecay', config.weightDecay ?? defaults.weightDecay, 0);
    if (this.nesterov && (this.momentum === 0 || this.dampening !== 0)) {
      throw new Error('nesterov momentum needs momentum > 0 and dampening 0 (as torch.optim.SGD)');
    }
    this.momentumBuffers = params.map((param) => new Float32Array(this.momentum === 0 ? 0 : param.data.length));
    const { lr, momentum, dampening, nesterov, weightDecay } = this;
    this.wasmHyper = { lr, momentum, dampening, nesterov, weightDecay, firstStep: true };
  }

  step(): void {
    const firstStep = this.steps === 0;
    this.wasm = activeWasmUpdate(this.wasm, this.params, this.momentum === 0 ? 0 : 1);
    if (this.wasm !== null) {
      this.wasmHyper.lr = this.lr;
      this.wasmHyper.firstStep = firstStep;
      this.wasm.sgd(this.momentumBuffers, this.wasmHyper);
      this.steps++;
      return;
    }
    this.params.forEach((param, i) => {
      sgdUpdate(
        param.data,
        param.grad,
        this.momentumBuffers[i],
        firstStep,
        this.lr,
        this.momentum,
        this.dampening,
        this.nesterov,
        this.weightDecay,
      );
    });
    this.steps++;
  }

  getState(): SgdState {
    const names = this.params.map((param) => param.name);
    const momentumBuffers = this.momentum === 0 || this.steps === 0 ? {} : saveBuffers(names, this.momentumBuffers);
    return { type: 'sgd', step: this.steps, lr: this.lr, momentumBuffers };
  }

  setState(state: SgdState): void {
    if (state.type !== 'sgd') throw new Error(`cannot load ${state.type} optimizer state into SGD`);
    if (this.momentum !== 0 && state.step > 0) {
      loadBuffers(
        state.momentumBuffers,
        this.params.map((param) => param.name),
        this.momentumBuffers,
      );
    }
    this.steps = state.step;
    this.lr = state.lr;
  }
}
