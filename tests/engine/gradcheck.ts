/**
 * The one central-difference gradient check used for every layer and loss.
 *
 * numeric ∂f/∂v ≈ (f(v + h₊) − f(v − h₋)) / (h₊ + h₋), where h₊ = fl32(v + ε) − v and h₋ = v − fl32(v − ε) are
 * the steps float32 storage actually took. The network runs in float32 (the engine's precision); f is
 * accumulated and differenced in float64.
 *
 * ε = 1e-2: float32 rounding of f is ~1e-7 relative, so the numeric estimate has an error of roughly
 * 1e-7·|f| / 2ε ≈ 1e-5 for |f| ~ 1, while the truncation error of smooth functions is ε²/6·f''' ≈ 2e-5·f'''.
 * Piecewise-linear layers (relu, max-pool) are checked on inputs kept more than ε away from their kinks.
 * Pass: |analytic − numeric| ≤ ATOL + RTOL·|numeric| for every element.
 */
import { expect } from 'vitest';
import type { Layer, Mode } from '../../src/engine/layers/layer';
import type { Loss } from '../../src/engine/losses/loss';
import { Rng } from '../../src/engine/rng';
import { type Tensor, tensor } from '../../src/engine/tensor';

export const GRADCHECK = { eps: 1e-2, rtol: 5e-4, atol: 5e-5 } as const;

export interface GradTarget {
  name: string;
  /** Values perturbed in place (and restored) one at a time. */
  values: Float32Array;
  analytic: ArrayLike<number>;
}

/** Largest |analytic − numeric| / (ATOL + RTOL·|numeric|) seen; below 1 passes. */
export const worstGradcheckRatio = { value: 0 };

export function expectGradientsMatch(targets: readonly GradTarget[], objective: () => number): void {
  for (const { name, values, analytic } of targets) {
    for (let i = 0; i < values.length; i++) {
      const original = values[i];
      values[i] = original + GRADCHECK.eps;
      const stepUp = values[i] - original;
      const up = objective();
      values[i] = original - GRADCHECK.eps;
      const stepDown = original - values[i];
      const down = objective();
      values[i] = original;
      const numeric = (up - down) / (stepUp + stepDown);
      const allowed = GRADCHECK.atol + GRADCHECK.rtol * Math.abs(numeric);
      const error = Math.abs(analytic[i] - numeric);
      worstGradcheckRatio.value = Math.max(worstGradcheckRatio.value, error / allowed);
      if (!(error <= allowed)) {
        expect.fail(
          `${name}[${i}]: analytic ${analytic[i]}, numeric ${numeric} (allowed error ${allowed.toExponential(2)})`,
        );
      }
    }
  }
}

/** Uniform values in [−scale, scale), from a seeded Rng. */
export function randomTensor(shape: readonly number[], rng: Rng, scale = 1): Tensor {
  const t = tensor(shape);
  for (let i = 0; i < t.data.length; i++) t.data[i] = (2 * rng.nextFloat() - 1) * scale;
  return t;
}

/**
 * Checks dx and every parameter gradient of `layer` at input x, through the objective f = Σ r·y with a fixed
 * random r (so dL/dy = r). `beforeForward` runs before every forward (dropout uses it to replay its mask).
 * `mode` 'eval' checks the evaluation pass (batch norm with its running statistics).
 */
export function checkLayerGradients(
  layer: Layer,
  x: Tensor,
  beforeForward: () => void = () => {},
  mode: Mode = 'train',
): void {
  const rng = new Rng(99);
  beforeForward();
  const y = layer.forward(x, mode);
  const weights = randomTensor(y.shape, rng);
  const objective = (): number => {
    beforeForward();
    const out = layer.forward(x, mode).data;
    let sum = 0;
    for (let i = 0; i < out.length; i++) sum += weights.data[i] * out[i];
    return sum;
  };
  for (const param of layer.params) param.grad.fill(0);
  const dx = layer.backward(weights, true);
  if (dx === null) throw new Error('backward returned no input gradient');
  const targets: GradTarget[] = [
    { name: 'dx', values: x.data, analytic: dx.data.slice() },
    ...layer.params.map((param) => ({ name: param.name, values: param.data, analytic: param.grad.slice() })),
  ];
  expectGradientsMatch(targets, objective);
}

/** Checks dLoss/dy of `loss` at outputs y. */
export function checkLossGradients(loss: Loss, y: Tensor, labels: Int32Array): void {
  loss.forward(y, labels);
  const dy = loss.backward().data.slice();
  expectGradientsMatch([{ name: 'dy', values: y.data, analytic: dy }], () => loss.forward(y, labels));
}
