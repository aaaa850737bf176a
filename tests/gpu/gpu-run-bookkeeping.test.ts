/**
 * The run bookkeeping the GpuTrainer shares with the CPU Trainer (trainer/run-bookkeeping.ts), checked on the GPU
 * against a CPU run of the same seed: early stopping's epoch and the best epoch's weights, a mid-epoch checkpoint
 * (after a change of the base learning rate) field by field and continued on the CPU, and a divergence that ends
 * the run for good.
 */
import { describe, expect, it } from 'vitest';
import { GpuTrainer } from '../../src/engine/gpu/gpu-trainer';
import { buildNetwork } from '../../src/engine/network';
import type { OptimizerState } from '../../src/engine/optim/optimizer';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import type { TrainerCheckpoint } from '../../src/engine/trainer/checkpoint';
import type { TrainConfig } from '../../src/engine/trainer/config';
import type { StepReport, TrainerEvent } from '../../src/engine/trainer/events';
import { NonFiniteLossError } from '../../src/engine/trainer/non-finite-loss-error';
import { Trainer } from '../../src/engine/trainer/trainer';
import { PAIR_SPEC, pairDataset } from '../engine/datasets';
import { AFTER_STEPS, expectValuesClose } from '../engine/fixtures';
import { testGpu } from './gpu-device';
import { randomUint8Dataset } from './gpu-test-data';

const gpu = await testGpu();

const CONV_SPEC: NetworkSpec = {
  input: { channels: 1, height: 6, width: 6 },
  layers: [
    { type: 'conv2d', filters: 3, kernelSize: 3 },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 3 },
  ],
  loss: 'softmax-cross-entropy',
};

/** 37 samples, 7 of them split off: 30 to train on in batches of 8, 8, 8 and 6. */
const convData = () => randomUint8Dataset(37, CONV_SPEC.input, 3, 4);

const CONV_CONFIG: TrainConfig = {
  epochs: 3,
  batchSize: 8,
  optimizer: { type: 'adam', lr: 0.01 },
  validationSplit: 0.2,
  normalization: 'from-training-samples',
  schedule: { type: 'step', stepSize: 1, gamma: 0.5 },
};

function eventTypes(trainer: Trainer | GpuTrainer): TrainerEvent['type'][] {
  const types: TrainerEvent['type'][] = [];
  trainer.onEvent((event) => types.push(event.type));
  return types;
}

async function onGpu<T>(trainer: GpuTrainer, use: (trainer: GpuTrainer) => Promise<T>): Promise<T> {
  try {
    return await use(trainer);
  } finally {
    trainer.dispose();
  }
}

function optimizerBuffers(state: OptimizerState): number[][] {
  if (state.type === 'sgd') return Object.values(state.momentumBuffers);
  return [...Object.values(state.expAvg), ...Object.values(state.expAvgSq)];
}

/**
 * A GPU checkpoint against the CPU's at the same step: counts, order, confusion and Rng exactly, sums and optimizer
 * buffers within float32 tolerance (the best epoch's weights, when kept, are compared by the test).
 */
function expectSameCheckpoint(actual: TrainerCheckpoint, expected: TrainerCheckpoint): void {
  const counts = (c: TrainerCheckpoint) => ({
    completedSteps: c.completedSteps,
    completedEpochs: c.completedEpochs,
    batchInEpoch: c.batchInEpoch,
    baseLearningRate: c.baseLearningRate,
    order: [...c.order],
    correct: c.epochTotals.correct,
    samples: c.epochTotals.samples,
    confusion: c.epochTotals.confusion,
    epochs: c.history.map((epoch) => [epoch.epoch, epoch.lr, epoch.trainConfusion, epoch.validation?.confusion]),
    rng: c.rng,
    best: c.best && { epoch: c.best.epoch, by: c.best.by, keeps: c.best.state !== null },
    epochsWithoutImprovement: c.epochsWithoutImprovement,
    optimizer: [c.optimizer.type, c.optimizer.step, c.optimizer.lr],
  });
  expect(counts(actual)).toEqual(counts(expected));
  const sums = (c: TrainerCheckpoint) => [
    c.epochTotals.lossSum,
    ...c.history.flatMap((epoch) => [epoch.trainLoss, epoch.validation?.loss ?? Number.NaN]),
    c.best?.loss ?? Number.NaN,
  ];
  expectValuesClose(sums(actual), sums(expected), AFTER_STEPS, 'loss sums');
  const expectedBuffers = optimizerBuffers(expected.optimizer);
  optimizerBuffers(actual.optimizer).forEach((buffer, i) => {
    expectValuesClose(buffer, expectedBuffers[i], AFTER_STEPS, `optimizer buffer ${i}`);
  });
}

describe.skipIf(typeof gpu === 'string')('the GPU run keeps its books as the CPU run', () => {
  it('stops early at the same epoch with the same best epoch and its weights', async () => {
    if (typeof gpu === 'string') return;
    const data = { train: pairDataset([0, 1]), validation: pairDataset([1, 0]) };
    const config: TrainConfig = {
      epochs: 6,
      batchSize: 2,
      shuffle: false,
      optimizer: { type: 'sgd', lr: 0.5 },
      keepBest: true,
      patience: 2,
    };
    const cpu = new Trainer(buildNetwork(PAIR_SPEC, new Rng(3)), data, config);
    const cpuEvents = eventTypes(cpu);
    cpu.fit();
    const network = buildNetwork(PAIR_SPEC, new Rng(3));
    const trainer = await GpuTrainer.create(network, data, config, gpu.device);
    const gpuEvents = eventTypes(trainer);
    await onGpu(trainer, async () => {
      while (!trainer.done) await trainer.step();
      await expect(trainer.step()).rejects.toThrow(/^training is complete: all 6 epochs have run$/);
    });

    expect(gpuEvents).toEqual(['step', 'epoch', 'step', 'epoch', 'step', 'epoch', 'done']);
    expect(gpuEvents).toEqual(cpuEvents);
    expect(trainer.history.map((epoch) => epoch.epoch)).toEqual([1, 2, 3]);
    expect([trainer.stoppedEarly, trainer.completedEpochs, trainer.completedSteps]).toEqual([true, 3, 3]);
    expect(trainer.best).toMatchObject({ epoch: 1, by: 'validation' });
    expectSameCheckpoint(trainer.checkpoint(), cpu.checkpoint());
    for (const param of network.params) {
      const best = trainer.best?.state?.get(param.name)?.data as Float32Array;
      expectValuesClose(best, cpu.best?.state?.get(param.name)?.data as Float32Array, AFTER_STEPS, param.name);
      // the best weights are epoch 1's, not the last epoch's
      expect(best).not.toEqual(param.data);
    }
  });

  it('a mid-epoch GPU checkpoint is the CPU checkpoint of that step, and the CPU continues it exactly', async () => {
    if (typeof gpu === 'string') return;
    const cpuNetwork = buildNetwork(CONV_SPEC, new Rng(4));
    const cpu = new Trainer(cpuNetwork, { train: convData() }, CONV_CONFIG);
    // a new base rate mid-epoch, with the step schedule halving it from epoch 2 on
    const sixSteps = async (trainer: Trainer | GpuTrainer) => {
      for (let step = 1; step <= 6; step++) {
        if (step === 3) trainer.setBaseLearningRate(0.02);
        await trainer.step();
      }
    };
    await sixSteps(cpu);
    const cpuCheckpoint = cpu.checkpoint();
    cpu.fit();

    const gpuNetwork = buildNetwork(CONV_SPEC, new Rng(4));
    const trainer = await GpuTrainer.create(gpuNetwork, { train: convData() }, CONV_CONFIG, gpu.device, 4);
    const steps: StepReport[] = [];
    trainer.onEvent((event) => {
      if (event.type === 'step') steps.push(event.report);
    });
    const checkpoint = await onGpu(trainer, async () => {
      await sixSteps(trainer);
      await trainer.sync();
      return trainer.checkpoint();
    });
    expect(checkpoint).toMatchObject({ completedSteps: 6, completedEpochs: 1, batchInEpoch: 2 });
    expect(checkpoint.baseLearningRate).toBe(0.02);
    expect(checkpoint.optimizer.lr).toBe(0.01);
    // the epoch's sums are those of its step reports: epoch 1 in the history, epoch 2's first two steps in the totals
    expect(steps.map((step) => [step.epoch, step.batch, step.samples, step.lr])).toEqual([
      [1, 1, 8, 0.01],
      [1, 2, 8, 0.01],
      [1, 3, 8, 0.02],
      [1, 4, 6, 0.02],
      [2, 1, 8, 0.01],
      [2, 2, 8, 0.01],
    ]);
    const sums = (reports: StepReport[]) => ({
      loss: reports.reduce((sum, step) => sum + step.loss * step.samples, 0),
      correct: reports.reduce((sum, step) => sum + Math.round(step.accuracy * step.samples), 0),
    });
    const [epoch1, epoch2] = [sums(steps.slice(0, 4)), sums(steps.slice(4))];
    expect(checkpoint.epochTotals).toMatchObject({ samples: 16, correct: epoch2.correct });
    expect(checkpoint.epochTotals.confusion.flat().reduce((a, b) => a + b, 0)).toBe(16);
    expectValuesClose([checkpoint.epochTotals.lossSum], [epoch2.loss], AFTER_STEPS, 'epoch 2 loss sum');
    const [report] = checkpoint.history;
    const epoch1Means = [epoch1.loss / 30, epoch1.correct / 30];
    expectValuesClose([report.trainLoss, report.trainAccuracy], epoch1Means, AFTER_STEPS, 'epoch 1 means');
    expect(report.lr).toBe(0.02);
    expectSameCheckpoint(checkpoint, cpuCheckpoint);

    const continued = buildNetwork(CONV_SPEC, new Rng(4));
    continued.setState(gpuNetwork.getState());
    const onCpu = new Trainer(continued, { train: convData() }, CONV_CONFIG);
    onCpu.restore(checkpoint);
    onCpu.fit();
    expect(onCpu.history.map((epoch) => [epoch.epoch, epoch.lr])).toEqual(cpu.history.map((e) => [e.epoch, e.lr]));
    expect(onCpu.history.map((epoch) => epoch.lr)).toEqual([0.02, 0.01, 0.005]);
    expectSameCheckpoint(onCpu.checkpoint(), cpu.checkpoint());
    continued.params.forEach((param, i) => {
      expectValuesClose(param.data, cpuNetwork.params[i].data, AFTER_STEPS, `final ${param.name}`);
    });
  });

  it('a divergence ends the run for good, naming the step and keeping the last parameters copied back', async () => {
    if (typeof gpu === 'string') return;
    const network = buildNetwork(CONV_SPEC, new Rng(4));
    const initial = network.params.map((param) => param.data.slice());
    const config: TrainConfig = { epochs: 2, batchSize: 8, optimizer: { type: 'sgd', lr: 1e30 } };
    const trainer = await GpuTrainer.create(network, { train: convData() }, config, gpu.device);
    const error = await onGpu(trainer, async () => {
      let caught: unknown = null;
      try {
        while (!trainer.done) await trainer.step();
      } catch (failure) {
        caught = failure;
      }
      if (!(caught instanceof NonFiniteLossError)) throw new Error(`expected a NonFiniteLossError, got ${caught}`);
      await expect(trainer.step()).rejects.toBe(caught);
      // a run that has failed copies nothing back any more
      await trainer.sync();
      return caught;
    });
    expect(error.message).toMatch(
      new RegExp(`^training diverged at step ${error.step} \\(epoch 1, batch ${error.step}\\): `),
    );
    expect(error.message).toContain('The learning rate 1e+30 is probably too high');
    expect(error.message).toContain('the parameters are still the initial ones');
    expect(error.restoredStep).toBe(0);
    expect(trainer.completedSteps).toBe(error.step - 1);
    expect(trainer.history).toEqual([]);
    network.params.forEach((param, i) => {
      expect(param.data).toEqual(initial[i]);
    });
  });
});
