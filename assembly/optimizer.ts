/**
 * The optimizer updates of src/engine/optim/{sgd,adam}.ts over `count` float32 parameters laid out one after
 * another (the host, src/engine/kernels/wasm/optimizer-wasm.ts, puts every parameter, gradient and state buffer
 * of the network into one range each, so one call updates them all; threads take sub-ranges).
 * Exactly the TypeScript arithmetic, so the results are bit-identical to it: JavaScript computes each line in
 * float64 on float32 values and rounds only where it stores into a Float32Array; here two parameters at a time
 * are promoted to an f64x2, go through the same operations in the same order (no fused multiply-add, in both
 * builds), and are rounded back to float32 where the TypeScript stores (θ, the momentum buffer, m, v). A state
 * value stored and then read again in TypeScript is read back here as its float32 rounding too.
 * Hyperparameters arrive as float64 at `hyper`, already combined by the host exactly as the TypeScript combines
 * them (1 − β1, lr / (1 − β1^t), …), so that every intermediate is the same double.
 */
import { beat } from './heartbeat';

/** Parameters between two heartbeats: a thread that takes a long share must still show it is alive. */
const BEAT_EVERY = 1 << 16;

function load2(base: usize, i: i32): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(base + ((<usize>i) << 2)));
}

function store2(base: usize, i: i32, value: v128): void {
  v128.store64_lane(base + ((<usize>i) << 2), f32x4.demote_f64x2_zero(value), 0);
}

/** Rounds both lanes to float32 and back, as a store into a Float32Array followed by a read does. */
function roundF32(value: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(value));
}

function hyperAt(hyper: usize, index: i32): f64 {
  return load<f64>(hyper + ((<usize>index) << 3));
}

/**
 * SGD (sgdUpdate in sgd.ts). hyper: [lr, momentum, 1 − dampening, weightDecay]. `firstStep` and `nesterov` are
 * 0/1; with momentum 0 the buffer is neither read nor written.
 *   g = grad + λ·θ;  b = first ? g : μ·b + (1 − τ)·g;  g = nesterov ? g + μ·b : b;  θ = θ − lr·g
 */
export function sgdUpdate(
  count: i32,
  theta: usize,
  grad: usize,
  buffer: usize,
  hyper: usize,
  firstStep: i32,
  nesterov: i32,
): void {
  const lr = hyperAt(hyper, 0);
  const momentum = hyperAt(hyper, 1);
  const undamped = hyperAt(hyper, 2);
  const lrV = f64x2.splat(lr);
  const momentumV = f64x2.splat(momentum);
  const undampedV = f64x2.splat(undamped);
  const decayV = f64x2.splat(hyperAt(hyper, 3));
  const pairs = count & ~1;
  let i = 0;
  for (; i < pairs; i += 2) {
    if ((i & (BEAT_EVERY - 1)) === 0) beat();
    const t = load2(theta, i);
    let g = f64x2.add(load2(grad, i), f64x2.mul(decayV, t));
    if (momentum !== 0) {
      const b =
        firstStep !== 0
          ? roundF32(g)
          : roundF32(f64x2.add(f64x2.mul(momentumV, load2(buffer, i)), f64x2.mul(undampedV, g)));
      store2(buffer, i, b);
      g = nesterov !== 0 ? f64x2.add(g, f64x2.mul(momentumV, b)) : b;
    }
    store2(theta, i, f64x2.sub(t, f64x2.mul(lrV, g)));
  }
  for (; i < count; i++) {
    const offset = (<usize>i) << 2;
    const t = <f64>load<f32>(theta + offset);
    let g = <f64>load<f32>(grad + offset) + hyperAt(hyper, 3) * t;
    if (momentum !== 0) {
      const b = <f64>(<f32>(firstStep !== 0 ? g : momentum * <f64>load<f32>(buffer + offset) + undamped * g));
      store<f32>(buffer + offset, <f32>b);
      g = nesterov !== 0 ? g + momentum * b : b;
    }
    store<f32>(theta + offset, <f32>(t - lr * g));
  }
}

/**
 * Adam and AdamW (adamUpdate and Adam.step in adam.ts). hyper: [shrink, weightDecay, β1, 1 − β1, β2, 1 − β2,
 * lr / (1 − β1^t), √(1 − β2^t), ε]. With `decoupled` (AdamW) θ is first shrunk, θ = θ·shrink rounded to float32,
 * and the host passes weightDecay 0, as Adam.step does.
 *   g = grad + λ·θ;  m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g·g;  θ = θ − (stepSize·m) / (√v / √(1 − β2^t) + ε)
 */
export function adamUpdate(
  count: i32,
  theta: usize,
  grad: usize,
  expAvg: usize,
  expAvgSq: usize,
  hyper: usize,
  decoupled: i32,
): void {
  const shrinkV = f64x2.splat(hyperAt(hyper, 0));
  const decayV = f64x2.splat(hyperAt(hyper, 1));
  const beta1V = f64x2.splat(hyperAt(hyper, 2));
  const oneMinusBeta1V = f64x2.splat(hyperAt(hyper, 3));
  const beta2V = f64x2.splat(hyperAt(hyper, 4));
  const oneMinusBeta2V = f64x2.splat(hyperAt(hyper, 5));
  const stepSizeV = f64x2.splat(hyperAt(hyper, 6));
  const correction2V = f64x2.splat(hyperAt(hyper, 7));
  const epsV = f64x2.splat(hyperAt(hyper, 8));
  const pairs = count & ~1;
  let i = 0;
  for (; i < pairs; i += 2) {
    if ((i & (BEAT_EVERY - 1)) === 0) beat();
    let t = load2(theta, i);
    if (decoupled !== 0) t = roundF32(f64x2.mul(t, shrinkV));
    const g = f64x2.add(load2(grad, i), f64x2.mul(decayV, t));
    const m = roundF32(f64x2.add(f64x2.mul(beta1V, load2(expAvg, i)), f64x2.mul(oneMinusBeta1V, g)));
    const v = roundF32(f64x2.add(f64x2.mul(beta2V, load2(expAvgSq, i)), f64x2.mul(f64x2.mul(oneMinusBeta2V, g), g)));
    store2(expAvg, i, m);
    store2(expAvgSq, i, v);
    const denominator = f64x2.add(f64x2.div(f64x2.sqrt(v), correction2V), epsV);
    store2(theta, i, f64x2.sub(t, f64x2.div(f64x2.mul(stepSizeV, m), denominator)));
  }
  if (i < count) adamScalar(i, theta, grad, expAvg, expAvgSq, hyper, decoupled);
}

/** The last parameter of an odd count, the same operations one lane wide. */
function adamScalar(
  i: i32,
  theta: usize,
  grad: usize,
  expAvg: usize,
  expAvgSq: usize,
  hyper: usize,
  decoupled: i32,
): void {
  const offset = (<usize>i) << 2;
  let t = <f64>load<f32>(theta + offset);
  if (decoupled !== 0) t = <f64>(<f32>(t * hyperAt(hyper, 0)));
  const g = <f64>load<f32>(grad + offset) + hyperAt(hyper, 1) * t;
  const m = <f64>(<f32>(hyperAt(hyper, 2) * <f64>load<f32>(expAvg + offset) + hyperAt(hyper, 3) * g));
  const v = <f64>(<f32>(hyperAt(hyper, 4) * <f64>load<f32>(expAvgSq + offset) + hyperAt(hyper, 5) * g * g));
  store<f32>(expAvg + offset, <f32>m);
  store<f32>(expAvgSq + offset, <f32>v);
  const denominator = sqrt<f64>(v) / hyperAt(hyper, 7) + hyperAt(hyper, 8);
  store<f32>(theta + offset, <f32>(t - (hyperAt(hyper, 6) * m) / denominator));
}
