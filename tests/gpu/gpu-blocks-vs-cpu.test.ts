/**
 * The GpuTrainer against the CPU Trainer on a network of blocks with odd sizes that fill no workgroup: a
 * bias-free stem with batch norm and leaky ReLU, an identity residual block, a projection block holding a nested
 * block, global average pooling and a BatchNorm1d, trained from uint8 pixels with augmentation (random crop and
 * flip, drawn from the same Rng stream on both devices), a last partial batch, a validation split, warmup and a
 * schedule, with AdamW and with SGD. Step losses and learning rates, per-layer norms (nested layers by path),
 * epoch reports, the final parameters and the running statistics must agree within float32 tolerance.
 */
import { describe, expect, it } from 'vitest';
import { GpuTrainer } from '../../src/engine/gpu/gpu-trainer';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { TrainConfig } from '../../src/engine/trainer/config';
import type { EpochReport, StepReport } from '../../src/engine/trainer/events';
import { Trainer } from '../../src/engine/trainer/trainer';
import { AFTER_STEPS, expectValuesClose } from '../engine/fixtures';
import { testGpu } from './gpu-device';
import { BLOCKS_SPEC, blocksData } from './gpu-test-data';

const gpu = await testGpu();

const CONFIGS: TrainConfig[] = [
  {
    epochs: 2,
    batchSize: 7,
    optimizer: { type: 'adamw', lr: 0.01, weightDecay: 0.05 },
    warmupEpochs: 1,
    schedule: { type: 'cosine', minLr: 0.001 },
    augment: { hflip: true, cropPadding: 2 },
    validationSplit: 0.2,
    normalization: 'from-training-samples',
  },
  {
    epochs: 3,
    batchSize: 7,
    optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-3 },
    warmupEpochs: 2,
    schedule: { type: 'step', stepSize: 1, gamma: 0.5 },
    augment: { hflip: false, cropPadding: 1 },
    validationSplit: 0.2,
  },
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

describe.skipIf(typeof gpu === 'string')('GPU training of blocks matches CPU training', () => {
  for (const config of CONFIGS) {
    it(`${config.optimizer.type}, warmup ${config.warmupEpochs}, augment ${JSON.stringify(config.augment)}`, async () => {
      if (typeof gpu === 'string') return;
      const data = blocksData();
      const cpuNetwork = buildNetwork(BLOCKS_SPEC, new Rng(3));
      const cpu = new Trainer(cpuNetwork, { train: data }, config);
      const cpuLog = logEvents(cpu);
      cpu.fit();

      const gpuNetwork = buildNetwork(BLOCKS_SPEC, new Rng(3));
      const trainer = await GpuTrainer.create(gpuNetwork, { train: data }, config, gpu.device, 3);
      const gpuLog = logEvents(trainer);
      try {
        while (!trainer.done) await trainer.step();
      } finally {
        trainer.dispose();
      }

      expect(gpuLog.steps.map((s) => [s.step, s.epoch, s.batch, s.samples, s.lr])).toEqual(
        cpuLog.steps.map((s) => [s.step, s.epoch, s.batch, s.samples, s.lr]),
      );
      // warmup: the first epoch runs at lr·1/(W + 1)
      expect(gpuLog.steps[0].lr).toBeCloseTo(config.optimizer.lr / ((config.warmupEpochs ?? 0) + 1), 12);
      gpuLog.steps.forEach((step, i) => {
        const reference = cpuLog.steps[i];
        expectValuesClose([step.loss], [reference.loss], AFTER_STEPS, `step ${step.step} loss`);
        expect(step.layers.map((l) => l.path)).toEqual(reference.layers.map((l) => l.path));
        expectValuesClose(
          step.layers.flatMap((l) => [l.gradNorm, l.weightNorm, l.updateRatio]),
          reference.layers.flatMap((l) => [l.gradNorm, l.weightNorm, l.updateRatio]),
          { rtol: 1e-3, atol: 1e-6 },
          `step ${step.step} layer norms`,
        );
      });
      expect(gpuLog.steps[0].layers.map((l) => l.path)).toContain('5.body.3.body.0');
      gpuLog.epochs.forEach((epoch, i) => {
        const reference = cpuLog.epochs[i];
        expectValuesClose([epoch.trainLoss], [reference.trainLoss], AFTER_STEPS, `epoch ${epoch.epoch} loss`);
        expectValuesClose(
          [epoch.validation?.loss ?? NaN],
          [reference.validation?.loss ?? NaN],
          AFTER_STEPS,
          `epoch ${epoch.epoch} validation loss`,
        );
      });
      const gpuState = gpuNetwork.getState();
      const cpuState = cpuNetwork.getState();
      expect(Object.keys(gpuState)).toEqual(Object.keys(cpuState));
      for (const [name, value] of Object.entries(cpuState)) {
        expectValuesClose(gpuState[name].data, value.data, AFTER_STEPS, `final ${name}`);
      }
      const batches = gpuLog.steps.length;
      expect(gpuState['5.shortcut.1.num_batches_tracked'].data[0]).toBe(batches);
    });
  }

  it('gives bit-identical results run to run, with dropout inside a nested block', async () => {
    if (typeof gpu === 'string') return;
    const spec = structuredClone(BLOCKS_SPEC);
    const projection = spec.layers[5];
    if (projection.type !== 'residual') throw new Error('layer 5 is the projection block');
    projection.body.push({ type: 'dropout', rate: 0.3 });
    const runs: { losses: number[]; state: Float32Array[] }[] = [];
    for (let run = 0; run < 2; run++) {
      const network = buildNetwork(spec, new Rng(5));
      const trainer = await GpuTrainer.create(network, { train: blocksData() }, CONFIGS[0], gpu.device);
      const log = logEvents(trainer);
      try {
        while (!trainer.done) await trainer.step();
      } finally {
        trainer.dispose();
      }
      runs.push({ losses: log.steps.map((s) => s.loss), state: Object.values(network.getState()).map((t) => t.data) });
    }
    expect(runs[1].losses).toEqual(runs[0].losses);
    runs[0].state.forEach((values, i) => {
      expect(Buffer.from(runs[1].state[i].buffer).equals(Buffer.from(values.buffer)), `tensor ${i}`).toBe(true);
    });
  });
});
