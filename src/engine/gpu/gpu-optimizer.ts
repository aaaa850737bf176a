/**
 * The optimizer of a GPU run: its state buffers (SGD momentum, Adam and AdamW moments) beside the parameters, one
 * dispatch that updates every parameter, and the per-step values of the step uniform. Its state saves and loads in
 * the CPU optimizers' format (optim/optimizer.ts), so a run can continue on the other device.
 */
import { createOptimizer } from '../optim/create-optimizer';
import {
  type AdamConfig,
  type AdamWConfig,
  loadBuffers,
  OPTIMIZER_DEFAULTS,
  type OptimizerState,
  type SgdConfig,
  saveBuffers,
} from '../optim/optimizer';
import type { Dispatch } from './gpu-context';
import type { GpuNetwork } from './gpu-network';
import { adamStep, sgdStep } from './kernels/optimizer';

export class GpuOptimizer {
  lr: number;
  /** Steps taken so far. */
  steps = 0;
  /** θ_after − θ_before of the last step, for update ratios. */
  readonly delta: GPUBuffer;
  readonly dispatch: Dispatch;
  private readonly state1: GPUBuffer;
  private readonly state2: GPUBuffer;

  constructor(
    private readonly gpu: GpuNetwork,
    private readonly config: SgdConfig | AdamConfig | AdamWConfig,
  ) {
    // the CPU optimizer checks the settings with the same rules and messages
    createOptimizer(gpu.network.params, config);
    this.lr = config.lr;
    const total = gpu.parameterCount;
    this.delta = gpu.ctx.storage(total, 'update');
    this.state1 = gpu.ctx.storage(this.usesState1 ? total : 1, 'optimizer state 1');
    this.state2 = gpu.ctx.storage(config.type === 'sgd' ? 1 : total, 'optimizer state 2');
    const buffers = {
      params: gpu.params,
      grads: gpu.grads,
      state1: this.state1,
      state2: this.state2,
      delta: this.delta,
      step: gpu.step,
    };
    this.dispatch =
      config.type === 'sgd' ? sgdStep(gpu.ctx, config, total, buffers) : adamStep(gpu.ctx, config, total, buffers);
  }

  private get usesState1(): boolean {
    return this.config.type !== 'sgd' || (this.config.momentum ?? OPTIMIZER_DEFAULTS.sgd.momentum) !== 0;
  }

  /** Writes the step uniform for the next step (`seed` feeds dropout) and counts the step. */
  prepareStep(seed: number): void {
    this.steps++;
    if (this.config.type !== 'sgd') {
      const { beta1, beta2 } = adamBetas(this.config);
      const stepSize = this.lr / (1 - beta1 ** this.steps);
      // AdamW's decoupled decay θ ← θ·(1 − lr·λ): the factor is computed in float64, as the CPU does
      const shrink =
        this.config.type === 'adamw'
          ? 1 - this.lr * (this.config.weightDecay ?? OPTIMIZER_DEFAULTS.adamw.weightDecay)
          : 1;
      this.gpu.writeStep(seed, this.steps === 1, this.lr, stepSize, Math.sqrt(1 - beta2 ** this.steps), shrink);
    } else {
      this.gpu.writeStep(seed, this.steps === 1, this.lr, 0, 0);
    }
  }

  /** The state as the CPU optimizer would save it (waits for the GPU). */
  async getState(): Promise<OptimizerState> {
    const names = this.gpu.network.params.map((param) => param.name);
    if (this.config.type !== 'sgd') {
      return {
        type: this.config.type,
        step: this.steps,
        lr: this.lr,
        expAvg: saveBuffers(names, await this.perParam(this.state1)),
        expAvgSq: saveBuffers(names, await this.perParam(this.state2)),
      };
    }
    const momentumBuffers =
      !this.usesState1 || this.steps === 0 ? {} : saveBuffers(names, await this.perParam(this.state1));
    return { type: 'sgd', step: this.steps, lr: this.lr, momentumBuffers };
  }

  setState(state: OptimizerState): void {
    if (state.type !== this.config.type) {
      throw new Error(`cannot load ${state.type} optimizer state into ${this.config.type.toUpperCase()}`);
    }
    const names = this.gpu.network.params.map((param) => param.name);
    const upload = (saved: Record<string, number[]>, buffer: GPUBuffer) => {
      const values = this.gpu.network.params.map((param) => new Float32Array(param.data.length));
      loadBuffers(saved, names, values);
      values.forEach((value, i) => {
        this.gpu.ctx.write({ buffer, offset: this.gpu.offsets[i] }, value);
      });
    };
    if (state.type !== 'sgd') {
      upload(state.expAvg, this.state1);
      upload(state.expAvgSq, this.state2);
    } else if (this.usesState1 && state.step > 0) {
      upload(state.momentumBuffers, this.state1);
    }
    this.steps = state.step;
    this.lr = state.lr;
  }

  private async perParam(buffer: GPUBuffer): Promise<Float32Array[]> {
    const values = await this.gpu.read(buffer, this.gpu.parameterCount);
    return this.gpu.network.params.map((param, i) =>
      values.subarray(this.gpu.offsets[i], this.gpu.offsets[i] + param.data.length),
    );
  }
}

function adamBetas(config: AdamConfig | AdamWConfig): { beta1: number; beta2: number } {
  const defaults = OPTIMIZER_DEFAULTS[config.type];
  return { beta1: config.beta1 ?? defaults.beta1, beta2: config.beta2 ?? defaults.beta2 };
}
