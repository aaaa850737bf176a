/**
 * Every case of tests/fixtures/pytorch/training.json: from PyTorch's initial parameters, three batches through a
 * whole network (losses and gradients before each step) and the parameters after the third optimizer step.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildNetwork } from '../../src/engine/network';
import { createOptimizer } from '../../src/engine/optim/create-optimizer';
import type { OptimizerConfig } from '../../src/engine/optim/optimizer';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import {
  AFTER_STEPS,
  ErrorTally,
  expectClose,
  expectValuesClose,
  type FixtureTensor,
  loadFixture,
  toTensor,
  WHOLE_PASS,
} from './fixtures';

interface TrainingCase {
  name: string;
  spec: NetworkSpec;
  optimizer: OptimizerConfig;
  init: Record<string, FixtureTensor>;
  steps: { x: FixtureTensor; labels: number[]; loss: number; grads: Record<string, FixtureTensor> }[];
  final: Record<string, FixtureTensor>;
}

const { cases } = loadFixture<{ cases: TrainingCase[] }>('training.json');
const firstStepTally = new ErrorTally();
const laterStepsTally = new ErrorTally();

describe('training steps match PyTorch', () => {
  it('covers sgd, sgd with momentum and weight decay, and adam for both losses', () => {
    expect(cases.map((c) => c.name)).toHaveLength(6);
    expect(new Set(cases.map((c) => c.spec.loss))).toEqual(new Set(['softmax-cross-entropy', 'mse']));
  });

  for (const c of cases) {
    it(c.name, () => {
      const network = buildNetwork(c.spec, new Rng(0));
      network.setParameters(Object.fromEntries(Object.entries(c.init).map(([name, value]) => [name, toTensor(value)])));
      const optimizer = createOptimizer(network.params, c.optimizer);
      c.steps.forEach((step, i) => {
        // the first step starts from identical parameters; later ones from float32 updates of them
        const tolerance = i === 0 ? WHOLE_PASS : AFTER_STEPS;
        const tally = i === 0 ? firstStepTally : laterStepsTally;
        const y = network.forward(toTensor(step.x), 'train');
        const loss = network.loss.forward(y, Int32Array.from(step.labels));
        expectValuesClose([loss], [step.loss], tolerance, `step ${i + 1} loss`, tally);
        network.zeroGrad();
        network.backward(network.loss.backward());
        for (const param of network.params) {
          expectClose(
            { shape: param.shape, data: param.grad },
            step.grads[param.name],
            tolerance,
            `step ${i + 1} d${param.name}`,
            tally,
          );
        }
        optimizer.step();
      });
      const final = network.getParameters();
      expect(Object.keys(final)).toEqual(Object.keys(c.final));
      for (const [name, expected] of Object.entries(c.final)) {
        expectClose(final[name], expected, AFTER_STEPS, `final ${name}`, laterStepsTally);
      }
    });
  }

  afterAll(() => {
    console.log(firstStepTally.summary('training.json step 1 (losses, gradients)'));
    console.log(laterStepsTally.summary('training.json steps 2–3 and final parameters'));
  });
});
