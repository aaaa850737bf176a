/**
 * AdamW as torch.optim.AdamW (amsgrad off): Adam with *decoupled* weight decay. Per parameter θ with gradient g
 * at step t = 1, 2, …:
 *   θ ← θ · (1 − lr·λ)                      (the decay shrinks θ directly; it never enters m or v)
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 *   θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * Weight decay applies to every parameter, batch norm's γ and β included, as torch.optim does by default.
 */
import type { Param } from '../params';
import { adamUpdate } from './adam';
import {
  type AdamWConfig,
  type AdamWState,
  loadBuffers,
  OPTIMIZER_DEFAULTS,
  type Optimizer,
  requireFinite,
  saveBuffers,
} from './optimizer';

export class AdamW implements Optimizer {
  lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly weightDecay: number;
  private readonly expAvg: Float32Array[];
  private readonly expAvgSq: Float32Array[];
  private steps = 0;

  constructor(
    private readonly params: readonly Param[],
    config: AdamWConfig,
  ) {
    const defaults = OPTIMIZER_DEFAULTS.adamw;
    this.lr = requireFinite('lr', config.lr, 0);
    this.beta1 = requireFinite('beta1', config.beta1 ?? defaults.beta1, 0);
    this.beta2 = requireFinite('beta2', config.beta2 ?? defaults.beta2, 0);
    this.eps = requireFinite('eps', config.eps ?? defaults.eps, 0);
    this.weightDecay = requireFinite('weightDecay', config.weightDecay ?? defaults.weightDecay, 0);
    if (this.beta1 >= 1 || this.beta2 >= 1) throw new Error('AdamW betas must be below 1');
    this.expAvg = params.map((param) => new Float32Array(param.data.length));
    this.expAvgSq = params.map((param) => new Float32Array(param.data.length));
  }

  step(): void {
    this.steps++;
    const shrink = 1 - this.lr * this.weightDecay;
    this.params.forEach((param, i) => {
      const theta = param.data;
      for (let j = 0; j < theta.length; j++) theta[j] *= shrink;
      adamUpdate(
        theta,
        param.grad,
        this.expAvg[i],
        this.expAvgSq[i],
        this.steps,
        this.lr,
        this.beta1,
        this.beta2,
        this.eps,
        0,
      );
    });
  }

  getState(): AdamWState {
    const names = this.params.map((param) => param.name);
    return {
      type: 'adamw',
      step: this.steps,
      lr: this.lr,
      expAvg: saveBuffers(names, this.expAvg),
      expAvgSq: saveBuffers(names, this.expAvgSq),
    };
  }

  setState(state: AdamWState): void {
    if (state.type !== 'adamw') throw new Error(`cannot load ${state.type} optimizer state into AdamW`);
    const names = this.params.map((param) => param.name);
    loadBuffers(state.expAvg, names, this.expAvg);
    loadBuffers(state.expAvgSq, names, this.expAvgSq);
    this.steps = state.step;
    this.lr = state.lr;
  }
}
