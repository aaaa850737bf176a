/**
 * Value-by-value kernels: relu, leaky ReLU, sigmoid and tanh forward and backward (as
 * src/engine/layers/{relu,leakyrelu,sigmoid,tanh}.ts), the sum of two tensors (residual blocks), and inverted
 * dropout with its mask drawn on the GPU from a per-step seed.
 */
import { type Dispatch, type GpuContext, LINEAR_ENTRY, LINEAR_INDEX, linearWorkgroups, words } from '../gpu-context';
import { STEP_STRUCT } from './optimizer';

export type Activation = 'relu' | 'leakyrelu' | 'sigmoid' | 'tanh';

/** y = f(x); sigmoid takes e^x / (1 + e^x) for x < 0 so that no exponential overflows, as the CPU does. */
const FORWARD: Record<Activation, string> = {
  relu: 'select(0.0, v, v > 0.0)',
  leakyrelu: 'select(p.slope * v, v, v > 0.0)',
  sigmoid: 'select(exp(v) / (1.0 + exp(v)), 1.0 / (1.0 + exp(-v)), v >= 0.0)',
  // tanh(v) = sign(v)·(1 − e^(−2|v|)) / (1 + e^(−2|v|)), exact to float32 rounding for every v
  tanh: 'sign(v) * (1.0 - exp(-2.0 * abs(v))) / (1.0 + exp(-2.0 * abs(v)))',
};

/**
 * dx from dy and the kept tensor k: relu keeps its input (derivative 0 at 0), leaky ReLU too (derivative a at 0),
 * sigmoid and tanh their output.
 */
const BACKWARD: Record<Activation, string> = {
  relu: 'select(0.0, g, k > 0.0)',
  leakyrelu: 'select(p.slope * g, g, k > 0.0)',
  sigmoid: 'g * k * (1.0 - k)',
  tanh: 'g * (1.0 - k * k)',
};

/** Which tensor backward reads: relu's input, or the output for sigmoid and tanh. */
export const KEEPS: Record<Activation, 'input' | 'output'> = {
  relu: 'input',
  leakyrelu: 'input',
  sigmoid: 'output',
  tanh: 'output',
};

function forwardWgsl(activation: Activation): string {
  return /* wgsl */ `
struct Params { total: u32, slope: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  let v = x[i];
  y[i] = ${FORWARD[activation]};
}`;
}

function backwardWgsl(activation: Activation): string {
  return /* wgsl */ `
struct Params { total: u32, slope: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> kept: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  let k = kept[i];
  let g = dy[i];
  dx[i] = ${BACKWARD[activation]};
}`;
}

export function activationForward(
  ctx: GpuContext,
  activation: Activation,
  total: number,
  x: GPUBuffer,
  y: GPUBuffer,
  slope = 0,
): Dispatch {
  return ctx.dispatch(
    `${activation}-forward`,
    forwardWgsl(activation),
    words([total, { f32: slope }]),
    [x, y],
    linearWorkgroups(total),
  );
}

export function activationBackward(
  ctx: GpuContext,
  activation: Activation,
  total: number,
  kept: GPUBuffer,
  dy: GPUBuffer,
  dx: GPUBuffer,
  slope = 0,
): Dispatch {
  return ctx.dispatch(
    `${activation}-backward`,
    backwardWgsl(activation),
    words([total, { f32: slope }]),
    [kept, dy, dx],
    linearWorkgroups(total),
  );
}

/**
 * Inverted dropout: mask[i] = 0 with probability `rate`, else 1/(1 − rate), from a hash of (step seed, layer, i)
 * (PCG's output permutation twice), so masks are reproducible from the run's seed and need no RNG state on the GPU.
 * The seed is word 0 of the step uniform, which the trainer draws from the run's Rng every step.
 */
const DROPOUT_FORWARD_WGSL = /* wgsl */ `
struct Params { total: u32, layer: u32, rate: f32, keptScale: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> mask: array<f32>;
${STEP_STRUCT}
@group(0) @binding(4) var<uniform> s: Step;
fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  let bits = pcg(pcg(s.seed ^ (p.layer * 0x9e3779b9u)) ^ i);
  // the top 24 bits as a float in [0, 1), exact in float32
  let u = f32(bits >> 8u) * (1.0 / 16777216.0);
  let m = select(p.keptScale, 0.0, u < p.rate);
  mask[i] = m;
  y[i] = x[i] * m;
}`;

const DROPOUT_BACKWARD_WGSL = /* wgsl */ `
struct Params { total: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> mask: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  dx[i] = dy[i] * mask[i];
}`;

export function dropoutForward(
  ctx: GpuContext,
  total: number,
  layer: number,
  rate: number,
  x: GPUBuffer,
  y: GPUBuffer,
  mask: GPUBuffer,
  step: GPUBuffer,
): Dispatch {
  const params = words([total, layer, { f32: rate }, { f32: 1 / (1 - rate) }]);
  return ctx.dispatch('dropout-forward', DROPOUT_FORWARD_WGSL, params, [x, y, mask, step], linearWorkgroups(total));
}

export function dropoutBackward(
  ctx: GpuContext,
  total: number,
  dy: GPUBuffer,
  mask: GPUBuffer,
  dx: GPUBuffer,
): Dispatch {
  return ctx.dispatch(
    'dropout-backward',
    DROPOUT_BACKWARD_WGSL,
    words([total]),
    [dy, mask, dx],
    linearWorkgroups(total),
  );
}

const ADD_WGSL = /* wgsl */ `
struct Params { total: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> sum: array<f32>;
${LINEAR_ENTRY} {
  let i = ${LINEAR_INDEX};
  if (i >= p.total) { return; }
  sum[i] = a[i] + b[i];
}`;

/** sum = a + b, element by element (a residual block's output, and its input gradient from both branches). */
export function addTensors(ctx: GpuContext, total: number, a: GPUBuffer, b: GPUBuffer, sum: GPUBuffer): Dispatch {
  return ctx.dispatch('add', ADD_WGSL, words([total]), [a, b, sum], linearWorkgroups(total));
}
