/**
 * Every case of tests/fixtures/pytorch/training.json trained by the GpuTrainer: the batches as a dataset in order
 * (no shuffle), PyTorch's initial parameters; the loss of each step, the first step's gradients and the
 * parameters after the third optimizer step must match PyTorch within the CPU engine's tolerances.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/data/dataset';
import { GpuNetwork } from '../../src/engine/gpu/gpu-network';
import { GpuTrainer } from '../../src/engine/gpu/gpu-trainer';
import { buildNetwork } from '../../src/engine/network';
import type { OptimizerConfig } from '../../src/engine/optim/optimizer';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import type { StepReport } from '../../src/engine/trainer/events';
import {
  AFTER_STEPS,
  ErrorTally,
  expectValuesClose,
  type FixtureTensor,
  loadFixture,
  SINGLE_OP,
  toTensor,
} from '../engine/fixtures';
import { testGpu } from './gpu-device';

interface TrainingCase {
  name: string;
  spec: NetworkSpec;
  optimizer: OptimizerConfig;
  init: Record<string, FixtureTensor>;
  steps: { x: FixtureTensor; labels: number[]; loss: number; grads: Record<string, FixtureTensor> }[];
  final: Record<string, FixtureTensor>;
}

const { cases } = loadFixture<{ cases: TrainingCase[] }>('training.json');
const gpu = await testGpu();
const tally = new ErrorTally();

function stepsAsDataset(c: TrainingCase, classes: number): Dataset {
  const pixels = new Float32Array(c.steps.flatMap((step) => step.x.data));
  const [, channels, height, width] = c.steps[0].x.shape;
  return {
    count: c.steps.length * c.steps[0].x.shape[0],
    shape: { channels, height, width },
    pixels,
    labels: Int32Array.from(c.steps.flatMap((step) => step.labels)),
    classNames: Array.from({ length: classes }, (_, k) => `class ${k}`),
  };
}

function networkFor(c: TrainingCase) {
  const network = buildNetwork(c.spec, new Rng(0));
  network.setParameters(Object.fromEntries(Object.entries(c.init).map(([name, value]) => [name, toTensor(value)])));
  return network;
}

describe.skipIf(typeof gpu === 'string')('GPU training steps match PyTorch', () => {
  for (const c of cases) {
    it(c.name, async () => {
      if (typeof gpu === 'string') return;
      const network = networkFor(c);
      const batchSize = c.steps[0].x.shape[0];

      // the first step's loss and gradients, from the GPU network directly
      const probe = new GpuNetwork(gpu.device, network, batchSize);
      try {
        probe.ctx.write({ buffer: probe.input, offset: 0 }, new Float32Array(c.steps[0].x.data));
        probe.ctx.write({ buffer: probe.labels, offset: 0 }, Int32Array.from(c.steps[0].labels));
        probe.ctx.run([
          ...probe.forwardPass(batchSize, 'train'),
          ...probe.lossPass(batchSize),
          ...probe.backwardPass(batchSize),
        ]);
        const [sum] = await probe.read(probe.batchLoss, 1);
        expectValuesClose([sum / batchSize], [c.steps[0].loss], SINGLE_OP, 'step 1 loss', tally);
        const grads = await probe.read(probe.grads, probe.parameterCount);
        network.params.forEach((param, i) => {
          const grad = grads.subarray(probe.offsets[i], probe.offsets[i] + param.data.length);
          expectValuesClose(grad, c.steps[0].grads[param.name].data, SINGLE_OP, `step 1 d${param.name}`, tally);
        });
      } finally {
        probe.dispose();
      }

      const data = stepsAsDataset(c, network.classes);
      const config = { epochs: 1, batchSize, optimizer: c.optimizer, shuffle: false };
      const trainer = await GpuTrainer.create(network, { train: data }, config, gpu.device);
      const reports: StepReport[] = [];
      trainer.onEvent((event) => {
        if (event.type === 'step') reports.push(event.report);
      });
      try {
        while (!trainer.done) await trainer.step();
      } finally {
        trainer.dispose();
      }
      expect(reports.map((report) => report.step)).toEqual([1, 2, 3]);
      reports.forEach((report, i) => {
        expectValuesClose([report.loss], [c.steps[i].loss], AFTER_STEPS, `step ${i + 1} loss`, tally);
      });
      for (const param of network.params) {
        expectValuesClose(param.data, c.final[param.name].data, AFTER_STEPS, `final ${param.name}`, tally);
      }
    });
  }

  afterAll(() => console.log(tally.summary('training.json on the GPU')));
});
