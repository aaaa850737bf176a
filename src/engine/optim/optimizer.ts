/**
 * Optimizers update parameters from their accumulated gradients with torch.optim's exact rules, so a run can
 * be replayed in PyTorch step by step. Their state (step count, buffers by parameter name) is plain JSON data,
 * so a run can be saved and resumed exactly.
 */

export interface SgdConfig {
  type: 'sgd';
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

export interface AdamConfig {
  type: 'adam';
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

export interface AdamWConfig {
  type: 'adamw';
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled: θ ← θ·(1 − lr·λ) before the Adam step (default 0.01, as torch.optim.AdamW). */
  weightDecay?: number;
}

export type OptimizerConfig = SgdConfig | AdamConfig | AdamWConfig;

/** torch.optim's defaults, defined once. */
export const OPTIMIZER_DEFAULTS = {
  sgd: { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
  adam: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
  adamw: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
} as const;

/** Per-parameter buffers by PyTorch name; float32 values stored as numbers, so JSON keeps them exact. */
export type ParamBuffers = Record<string, number[]>;

export interface SgdState {
  type: 'sgd';
  /** Steps taken so far; the momentum buffers exist from step 1 on. */
  step: number;
  lr: number;
  momentumBuffers: ParamBuffers;
}

export interface AdamState {
  type: 'adam';
  step: number;
  lr: number;
  expAvg: ParamBuffers;
  expAvgSq: ParamBuffers;
}

/** The same buffers as Adam's, under their own type so a run cannot continue with the other rule. */
export interface AdamWState extends Omit<AdamState, 'type'> {
  type: 'adamw';
}

export type OptimizerState = SgdState | AdamState | AdamWState;

export interface Optimizer {
  /** The learning rate of the next step; schedules change it between epochs. */
  lr: number;
  /** Applies one update to every parameter from its current gradient. */
  step(): void;
  getState(): OptimizerState;
  setState(state: OptimizerState): void;
}

export function requireFinite(name: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`optimizer ${name} must be a number ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function saveBuffers(names: readonly string[], buffers: readonly Float32Array[]): ParamBuffers {
  const saved: ParamBuffers = {};
  names.forEach((name, i) => {
    saved[name] = Array.from(buffers[i]);
  });
  return saved;
}

export function loadBuffers(saved: ParamBuffers, names: readonly string[], buffers: readonly Float32Array[]): void {
  names.forEach((name, i) => {
    const values = saved[name];
    if (values === undefined || values.length !== buffers[i].length) {
      throw new Error(
        `optimizer state for "${name}" is ${values === undefined ? 'missing' : `${values.length} values`}, ` +
          `expected ${buffers[i].length}; the state was saved for another network`,
      );
    }
    buffers[i].set(values);
  });
}
