/**
 * SGD, Adam and AdamW over every parameter at once (all parameters live in one buffer), with torch.optim's rules
 * exactly as src/engine/optim/sgd.ts and adam.ts (AdamW: θ ← θ·(1 − lr·λ) first, the decay never entering m or v). The per-step values (learning rate, first step, Adam's bias
 * corrections) are read from the step uniform, which the trainer writes before each submit. Each kernel also
 * writes the update θ_after − θ_before, from which the per-layer update ratios are summed.
 */
import type { AdamConfig, AdamWConfig, SgdConfig } from '../../optim/optimizer';
import { OPTIMIZER_DEFAULTS } from '../../optim/optimizer';
import { type Dispatch, type GpuContext, LINEAR_ENTRY, LINEAR_INDEX, linearWorkgroups, words } from '../gpu-context';

/**
 * The step uniform, as 4-byte words: 0 dropout seed (u32), 1 first step (u32, 1 or 0), 2 lr, 3 Adam's
 * lr / (1 − β1^t), 4 Adam's √(1 − β2^t), 5 AdamW's shrink factor 1 − lr·λ (floats). The learning rate of a
 * schedule or warmup is written here every step: no buffer is made per step.
 */
export const STEP_WORDS = 8;
export const STEP_STRUCT =
  'struct Step { seed: u32, first: u32, lr: f32, stepSize: f32, correction2: f32, shrink: f32 }';

const SGD_WGSL = /* wgsl */ `
struct Params { total: u32, momentum: f32, dampening: f32, nesterov: u32, weightDecay: f32 }
${STEP_STRUCT}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> theta: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> buf: array<f32>;
@group(0) @binding(4) var<storage, read_write> delta: array<f32>;
@group(0) @binding(5) var<uniform> s: Step;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  let old = theta[i];
  var g = grad[i] + p.weightDecay * old;
  if (p.momentum != 0.0) {
    var b = g;
    if (s.first == 0u) { b = p.momentum * buf[i] + (1.0 - p.dampening) * g; }
    buf[i] = b;
    g = select(b, g + p.momentum * b, p.nesterov == 1u);
  }
  let next = old - s.lr * g;
  theta[i] = next;
  delta[i] = next - old;
}`;

const ADAM_WGSL = /* wgsl */ `
struct Params { total: u32, beta1: f32, beta2: f32, eps: f32, weightDecay: f32, decoupled: u32 }
${STEP_STRUCT}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> theta: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;
@group(0) @binding(5) var<storage, read_write> delta: array<f32>;
@group(0) @binding(6) var<uniform> s: Step;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  let old = theta[i];
  // AdamW shrinks θ itself; Adam adds λ·θ to the gradient (p.weightDecay is 0 for AdamW)
  let decayed = select(old, old * s.shrink, p.decoupled == 1u);
  let g = grad[i] + p.weightDecay * decayed;
  let mi = p.beta1 * m[i] + (1.0 - p.beta1) * g;
  let vi = p.beta2 * v[i] + (1.0 - p.beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  let next = decayed - (s.stepSize * mi) / (sqrt(vi) / s.correction2 + p.eps);
  theta[i] = next;
  delta[i] = next - old;
}`;

export interface OptimizerBuffers {
  params: GPUBuffer;
  grads: GPUBuffer;
  /** SGD's momentum buffers, or Adam's first moments. */
  state1: GPUBuffer;
  /** Adam's second moments (unused by SGD). */
  state2: GPUBuffer;
  delta: GPUBuffer;
  step: GPUBuffer;
}

export function sgdStep(ctx: GpuContext, config: SgdConfig, total: number, b: OptimizerBuffers): Dispatch {
  const d = OPTIMIZER_DEFAULTS.sgd;
  const params = words([
    total,
    { f32: config.momentum ?? d.momentum },
    { f32: config.dampening ?? d.dampening },
    (config.nesterov ?? d.nesterov) ? 1 : 0,
    { f32: config.weightDecay ?? d.weightDecay },
  ]);
  return ctx.dispatch('sgd', SGD_WGSL, params, [b.params, b.grads, b.state1, b.delta, b.step], linearWorkgroups(total));
}

/** Adam, or AdamW for an adamw config (its shrink factor comes from the step uniform). */
export function adamStep(
  ctx: GpuContext,
  config: AdamConfig | AdamWConfig,
  total: number,
  b: OptimizerBuffers,
): Dispatch {
  const d = OPTIMIZER_DEFAULTS[config.type];
  const decoupled = config.type === 'adamw';
  const params = words([
    total,
    { f32: config.beta1 ?? d.beta1 },
    { f32: config.beta2 ?? d.beta2 },
    { f32: config.eps ?? d.eps },
    { f32: decoupled ? 0 : (config.weightDecay ?? d.weightDecay) },
    decoupled ? 1 : 0,
  ]);
  return ctx.dispatch(
    config.type,
    ADAM_WGSL,
    params,
    [b.params, b.grads, b.state1, b.state2, b.delta, b.step],
    linearWorkgroups(total),
  );
}
