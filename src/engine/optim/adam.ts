/**
 * Adam as torch.optim.Adam and AdamW as torch.optim.AdamW (amsgrad off), per parameter θ with gradient g at
 * step t = 1, 2, …:
 *   Adam:  g ← g + λ·θ              (weight decay added to the gradient)
 *   AdamW: θ ← θ · (1 − lr·λ)       (decoupled: the decay shrinks θ directly; it never enters m or v)
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 *   θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * The last line is torch's arrangement of m̂ / (√v̂ + ε) with m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t).
 * Weight decay applies to every parameter, batch norm's γ and β included, as torch.optim does by default.
 * On the wasm kernels one call updates every parameter (wasm-update.ts), with bit-identical results.
 */
import type { AdamHyper, OptimizerWasm } from '../kernels/wasm/optimizer-wasm';
import type { Param } from '../params';
import {
  type AdamConfig,
  type AdamState,
  type AdamWConfig,
  type AdamWState,
  loadBuffers,
  OPTIMIZER_DEFAULTS,
  type Optimizer,
  requireFinite,
  saveBuffers,
} from './optimizer';
import { activeWasmUpdate } from './wasm-update';

export function adamUpdate(
  theta: Float32Array,
  grad: Float32Array,
  expAvg: Float32Array,
  expAvgSq: Float32Array,
  step: number,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  weightDecay: number,
): void {
  const stepSize = lr / (1 - beta1 ** step);
  const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** step);
  for (let i = 0; i < theta.length; i++) {
    const g = grad[i] + weightDecay * theta[i];
    expAvg[i] = beta1 * expAvg[i] + (1 - beta1) * g;
    expAvgSq[i] = beta2 * expAvgSq[i] + (1 - beta2) * g * g;
    theta[i] -= (stepSize * expAvg[i]) / (Math.sqrt(expAvgSq[i]) / biasCorrection2Sqrt + eps);
  }
}

export class Adam implements Optimizer {
  lr: number;
  private readonly type: 'adam' | 'adamw';
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly weightDecay: number;
  private readonly expAvg: Float32Array[];
  private readonly expAvgSq: Float32Array[];
  private steps = 0;
  private wasm: OptimizerWasm | null = null;
  /** The wasm update's hyperparameters, made once so that a step allocates nothing. */
  private readonly wasmHyper: AdamHyper;

  constructor(
    private readonly params: readonly Param[],
    config: AdamConfig | AdamWConfig,
  ) {
    this.type = config.type;
    const defaults = OPTIMIZER_DEFAULTS[config.type];
    this.lr = requireFinite('lr', config.lr, 0);
    this.beta1 = requireFinite('beta1', config.beta1 ?? defaults.beta1, 0);
    this.beta2 = requireFinite('beta2', config.beta2 ?? defaults.beta2, 0);
    this.eps = requireFinite('eps', config.eps ?? defaults.eps, 0);
    this.weightDecay = requireFinite('weightDecay', config.weightDecay ?? defaults.weightDecay, 0);
    if (this.beta1 >= 1 || this.beta2 >= 1) throw new Error(`${this.name} betas must be below 1`);
    this.expAvg = params.map((param) => new Float32Array(param.data.length));
    this.expAvgSq = params.map((param) => new Float32Array(param.data.length));
    const { lr, beta1, beta2, eps, weightDecay } = this;
    this.wasmHyper = { step: 0, lr, beta1, beta2, eps, weightDecay, decoupled: this.type === 'adamw' };
  }

  private get name(): string {
    return this.type === 'adamw' ? 'AdamW' : 'Adam';
  }

  step(): void {
    this.steps++;
    const decoupled = this.type === 'adamw';
    this.wasm = activeWasmUpdate(this.wasm, this.params, 2);
    if (this.wasm !== null) {
      this.wasmHyper.step = this.steps;
      this.wasmHyper.lr = this.lr;
      this.wasm.adam(this.expAvg, this.expAvgSq, this.wasmHyper);
      return;
    }
    const shrink = 1 - this.lr * this.weightDecay;
    this.params.forEach((param, i) => {
      if (decoupled) for (let j = 0; j < param.data.length; j++) param.data[j] *= shrink;
      adamUpdate(
        param.data,
        param.grad,
        this.expAvg[i],
        this.expAvgSq[i],
        this.steps,
        this.lr,
        this.beta1,
        this.beta2,
        this.eps,
        decoupled ? 0 : this.weightDecay,
      );
    });
  }

  getState(): AdamState | AdamWState {
    const names = this.params.map((param) => param.name);
    return {
      type: this.type,
      step: this.steps,
      lr: this.lr,
      expAvg: saveBuffers(names, this.expAvg),
      expAvgSq: saveBuffers(names, this.expAvgSq),
    };
  }

  setState(state: AdamState | AdamWState): void {
    if (state.type !== this.type) throw new Error(`cannot load ${state.type} optimizer state into ${this.name}`);
    const names = this.params.map((param) => param.name);
    loadBuffers(state.expAvg, names, this.expAvg);
    loadBuffers(state.expAvgSq, names, this.expAvgSq);
    this.steps = state.step;
    this.lr = state.lr;
  }
}
