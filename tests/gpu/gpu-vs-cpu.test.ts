/**
 * The GpuTrainer against the CPU Trainer on the same seed and data: layers the PyTorch fixtures do not train
 * (tanh, sigmoid, avgpool), sizes that fill no workgroup, stride and padding, overlapping pools, a last partial
 * batch, uint8 pixels with normalization, a validation split, and every optimizer setting. Without dropout both
 * see the same batches, so step losses, epoch reports and the final parameters must agree within float32
 * tolerance, and the confusion matrices exactly.
 */
import { describe, expect, it } from 'vitest';
import { GpuTrainer } from '../../src/engine/gpu/gpu-trainer';
import { buildNetwork } from '../../src/engine/network';
import type { OptimizerConfig } from '../../src/engine/optim/optimizer';
import { Rng } from '../../src/engine/rng';
import type { LossName, NetworkSpec } from '../../src/engine/spec/types';
import type { TrainConfig } from '../../src/engine/trainer/config';
import type { EpochReport, StepReport } from '../../src/engine/trainer/events';
import { Trainer } from '../../src/engine/trainer/trainer';
import { AFTER_STEPS, expectValuesClose } from '../engine/fixtures';
import { testGpu } from './gpu-device';
import { randomUint8Dataset } from './gpu-test-data';

const gpu = await testGpu();

function oddSpec(loss: LossName): NetworkSpec {
  return {
    input: { channels: 3, height: 11, width: 13 },
    layers: [
      { type: 'conv2d', filters: 5, kernelSize: 3, stride: 2, padding: 1 },
      { type: 'tanh' },
      { type: 'avgpool2d', poolSize: 2, stride: 1 },
      { type: 'conv2d', filters: 7, kernelSize: 2 },
      { type: 'sigmoid' },
      { type: 'maxpool2d', poolSize: 3, stride: 1 },
      { type: 'flatten' },
      { type: 'dense', units: 9 },
      { type: 'relu' },
      { type: 'dense', units: 4 },
    ],
    loss,
  };
}

const OPTIMIZERS: OptimizerConfig[] = [
  { type: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 },
  { type: 'sgd', lr: 0.05, momentum: 0.8, dampening: 0.5 },
  { type: 'adam', lr: 0.01, weightDecay: 1e-2 },
];

interface RunLog {
  steps: StepReport[];
  epochs: EpochReport[];
}

function logEvents(trainer: Trainer | GpuTrainer): RunLog {
  const log: RunLog = { steps: [], epochs: [] };
  trainer.onEvent((event) => {
    if (event.type === 'step') log.steps.push(event.report);
    if (event.type === 'epoch') log.epochs.push(event.report);
  });
  return log;
}

describe.skipIf(typeof gpu === 'string')('GPU training matches CPU training', () => {
  for (const [loss, optimizer] of [
    ['softmax-cross-entropy', OPTIMIZERS[0]],
    ['mse', OPTIMIZERS[1]],
    ['softmax-cross-entropy', OPTIMIZERS[2]],
  ] as const) {
    it(`${loss}, ${JSON.stringify(optimizer)}: 37 uint8 samples, batch 16, split 0.2, normalized, 2 epochs`, async () => {
      if (typeof gpu === 'string') return;
      const data = randomUint8Dataset(37, { channels: 3, height: 11, width: 13 }, 4, 5);
      const config: TrainConfig = {
        epochs: 2,
        batchSize: 16,
        optimizer,
        validationSplit: 0.2,
        normalization: 'from-training-samples',
      };
      const cpuNetwork = buildNetwork(oddSpec(loss), new Rng(11));
      const cpu = new Trainer(cpuNetwork, { train: data }, config);
      const cpuLog = logEvents(cpu);
      cpu.fit();

      const gpuNetwork = buildNetwork(oddSpec(loss), new Rng(11));
      const trainer = await GpuTrainer.create(gpuNetwork, { train: data }, config, gpu.device, 3);
      const gpuLog = logEvents(trainer);
      try {
        while (!trainer.done) await trainer.step();
      } finally {
        trainer.dispose();
      }

      expect(gpuLog.steps.map((s) => [s.step, s.epoch, s.batch, s.samples])).toEqual(
        cpuLog.steps.map((s) => [s.step, s.epoch, s.batch, s.samples]),
      );
      gpuLog.steps.forEach((step, i) => {
        const reference = cpuLog.steps[i];
        expectValuesClose([step.loss], [reference.loss], AFTER_STEPS, `step ${step.step} loss`);
        expect(step.accuracy, `step ${step.step} accuracy`).toBe(reference.accuracy);
        expectValuesClose(
          step.layers.flatMap((l) => [l.gradNorm, l.weightNorm, l.updateRatio]),
          reference.layers.flatMap((l) => [l.gradNorm, l.weightNorm, l.updateRatio]),
          { rtol: 1e-3, atol: 1e-6 },
          `step ${step.step} layer norms`,
        );
      });
      gpuLog.epochs.forEach((epoch, i) => {
        const reference = cpuLog.epochs[i];
        expectValuesClose([epoch.trainLoss], [reference.trainLoss], AFTER_STEPS, `epoch ${epoch.epoch} loss`);
        expect(epoch.trainConfusion).toEqual(reference.trainConfusion);
        expect(epoch.validation?.count).toBe(reference.validation?.count);
        expectValuesClose(
          [epoch.validation?.loss ?? NaN],
          [reference.validation?.loss ?? NaN],
          AFTER_STEPS,
          'val loss',
        );
        expect(epoch.validation?.confusion).toEqual(reference.validation?.confusion);
      });
      gpuNetwork.params.forEach((param, i) => {
        expectValuesClose(param.data, cpuNetwork.params[i].data, AFTER_STEPS, `final ${param.name}`);
      });
    });
  }

  it('gives bit-identical results run to run, dropout included', async () => {
    if (typeof gpu === 'string') return;
    const spec: NetworkSpec = {
      ...oddSpec('softmax-cross-entropy'),
      layers: [
        ...oddSpec('softmax-cross-entropy').layers.slice(0, 8),
        { type: 'dropout', rate: 0.3 },
        { type: 'dense', units: 4 },
      ],
    };
    const data = randomUint8Dataset(21, { channels: 3, height: 11, width: 13 }, 4, 6);
    const config: TrainConfig = { epochs: 2, batchSize: 8, optimizer: OPTIMIZERS[2] };
    const runs: { losses: number[]; params: Float32Array[] }[] = [];
    for (let run = 0; run < 2; run++) {
      const network = buildNetwork(spec, new Rng(5));
      const trainer = await GpuTrainer.create(network, { train: data }, config, gpu.device);
      const log = logEvents(trainer);
      try {
        while (!trainer.done) await trainer.step();
      } finally {
        trainer.dispose();
      }
      runs.push({ losses: log.steps.map((s) => s.loss), params: network.params.map((p) => p.data.slice()) });
    }
    expect(runs[1].losses).toEqual(runs[0].losses);
    runs[0].params.forEach((values, i) => {
      expect(Buffer.from(runs[1].params[i].buffer).equals(Buffer.from(values.buffer)), `parameter ${i}`).toBe(true);
    });
  });
});
