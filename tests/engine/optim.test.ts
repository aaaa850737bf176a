/** torch.optim's update rules worked by hand, state round trips and learning-rate schedules. */
import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../../src/engine/optim/create-optimizer';
import type { OptimizerConfig, OptimizerState } from '../../src/engine/optim/optimizer';
import { learningRateAt } from '../../src/engine/optim/schedule';
import { createParam, type Param } from '../../src/engine/params';

function scalarParam(value: number): Param {
  const param = createParam(0, 'weight', [1]);
  param.data[0] = value;
  return param;
}

/** Runs the optimizer over the given gradients of one scalar parameter and returns θ after each step. */
function trajectory(config: OptimizerConfig, start: number, gradients: number[]): number[] {
  const param = scalarParam(start);
  const optimizer = createOptimizer([param], config);
  return gradients.map((g) => {
    param.grad[0] = g;
    optimizer.step();
    return param.data[0];
  });
}

describe('SGD as torch.optim.SGD', () => {
  it('plain: θ − lr·g', () => {
    expect(trajectory({ type: 'sgd', lr: 0.1 }, 1, [0.5])[0]).toBeCloseTo(0.95, 7);
  });

  it('momentum buffer starts as the gradient itself, not (1 − dampening)·g', () => {
    const [first, second] = trajectory({ type: 'sgd', lr: 0.1, momentum: 0.9, dampening: 0.5 }, 1, [1, 2]);
    // step 1: b = 1, θ = 1 − 0.1; step 2: b = 0.9·1 + 0.5·2 = 1.9, θ = 0.9 − 0.19
    expect(first).toBeCloseTo(0.9, 7);
    expect(second).toBeCloseTo(0.71, 6);
  });

  it('nesterov steps along g + μ·b', () => {
    const [first, second] = trajectory({ type: 'sgd', lr: 0.1, momentum: 0.5, nesterov: true }, 0, [1, 1]);
    // step 1: b = 1, g' = 1 + 0.5 = 1.5; step 2: b = 0.5 + 1 = 1.5, g' = 1 + 0.75 = 1.75
    expect(first).toBeCloseTo(-0.15, 7);
    expect(second).toBeCloseTo(-0.325, 6);
  });

  it('weight decay is added to the gradient before momentum', () => {
    const [first, second] = trajectory({ type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0.1 }, 2, [0, 0]);
    // step 1: g = 0.2, b = 0.2, θ = 1.98; step 2: g = 0.198, b = 0.18 + 0.198 = 0.378, θ = 1.98 − 0.0378
    expect(first).toBeCloseTo(1.98, 6);
    expect(second).toBeCloseTo(1.9422, 6);
  });

  it('refuses nesterov without momentum, as torch does', () => {
    expect(() => createOptimizer([scalarParam(0)], { type: 'sgd', lr: 0.1, nesterov: true })).toThrow(
      'nesterov momentum needs momentum > 0 and dampening 0',
    );
  });
});

describe('Adam as torch.optim.Adam', () => {
  it('first step moves every parameter by lr against the sign of its gradient', () => {
    expect(trajectory({ type: 'adam', lr: 0.01 }, 1, [1e-3])[0]).toBeCloseTo(0.99, 6);
    expect(trajectory({ type: 'adam', lr: 0.01 }, 1, [-50])[0]).toBeCloseTo(1.01, 6);
  });

  it('second step follows the bias-corrected moments', () => {
    const [, second] = trajectory({ type: 'adam', lr: 0.1 }, 0, [1, 3]);
    const m = 0.9 * 0.1 + 0.1 * 3;
    const v = 0.999 * 0.001 + 0.001 * 9;
    const expected = -0.1 - ((0.1 / (1 - 0.9 ** 2)) * m) / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** 2) + 1e-8);
    expect(second).toBeCloseTo(expected, 6);
  });

  it('weight decay is added to the gradient (not decoupled)', () => {
    // g = 0 + 0.5·2 = 1 > 0, so the first step is −lr whatever the size of g
    expect(trajectory({ type: 'adam', lr: 0.01, weightDecay: 0.5 }, 2, [0])[0]).toBeCloseTo(1.99, 6);
  });
});

describe('optimizer state', () => {
  for (const config of [
    { type: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true },
    { type: 'adam', lr: 0.01, weightDecay: 0.01 },
  ] satisfies OptimizerConfig[]) {
    it(`${config.type} resumes exactly from JSON state`, () => {
      const gradients = [0.3, -0.2, 0.7, 0.1];
      const straight = scalarParam(1);
      const original = createOptimizer([straight], config);
      const resumed = scalarParam(1);
      let saved: OptimizerState | null = null;
      gradients.forEach((g, i) => {
        straight.grad[0] = g;
        original.step();
        if (i === 1) {
          saved = JSON.parse(JSON.stringify(original.getState()));
          resumed.data.set(straight.data);
        }
      });
      const optimizer = createOptimizer([resumed], config);
      if (saved === null) throw new Error('no state saved');
      optimizer.setState(saved);
      for (const g of gradients.slice(2)) {
        resumed.grad[0] = g;
        optimizer.step();
      }
      expect(resumed.data[0]).toBe(straight.data[0]);
    });
  }

  it('refuses state saved for other parameters', () => {
    const optimizer = createOptimizer([scalarParam(0)], { type: 'adam', lr: 0.1 });
    expect(() => optimizer.setState({ type: 'adam', step: 1, lr: 0.1, expAvg: {}, expAvgSq: {} })).toThrow(
      'optimizer state for "0.weight" is missing',
    );
  });
});

describe('learning-rate schedules (per epoch, counting from 0)', () => {
  it('constant', () => {
    expect(learningRateAt({ type: 'constant' }, 0.1, 7, 10)).toBe(0.1);
  });

  it('step decay multiplies by gamma every stepSize epochs', () => {
    const schedule = { type: 'step', stepSize: 2, gamma: 0.5 } as const;
    expect([0, 1, 2, 3, 4].map((epoch) => learningRateAt(schedule, 0.8, epoch, 5))).toEqual([0.8, 0.8, 0.4, 0.4, 0.2]);
  });

  it('cosine goes from lr at epoch 0 to minLr at epoch E, halfway at E/2', () => {
    const schedule = { type: 'cosine', minLr: 0.01 } as const;
    expect(learningRateAt(schedule, 0.1, 0, 10)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(schedule, 0.1, 5, 10)).toBeCloseTo(0.055, 12);
    expect(learningRateAt(schedule, 0.1, 10, 10)).toBeCloseTo(0.01, 12);
  });
});
