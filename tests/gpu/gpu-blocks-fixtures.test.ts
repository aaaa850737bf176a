/**
 * The block layers on the GPU against tests/fixtures/pytorch/blocks.json (PyTorch float64): every layer case
 * (batch norm 1d/2d in training and evaluation with its running statistics, leaky ReLU, global average pooling,
 * conv2d without bias, residual blocks with identity and projection shortcuts, nested blocks) forward and
 * backward, and three training steps of a net with batch norm and a residual block (SGD with momentum, AdamW)
 * by the GpuTrainer: losses, first-step gradients, and the final state with the running statistics.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/data/dataset';
import { GpuNetwork } from '../../src/engine/gpu/gpu-network';
import { GpuTrainer } from '../../src/engine/gpu/gpu-trainer';
import { createLayer } from '../../src/engine/layers/create-layer';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { StepReport } from '../../src/engine/trainer/events';
import { type BlockTrainingCase, loadBlocksFixture } from '../engine/blocks-fixture';
import { AFTER_STEPS, ErrorTally, expectValuesClose, SINGLE_OP, toTensor } from '../engine/fixtures';
import { testGpu } from './gpu-device';
import { runGpuLayer } from './gpu-layer-harness';

const fixture = loadBlocksFixture();
const gpu = await testGpu();
const tally = new ErrorTally();
const stepsTally = new ErrorTally();

/** The module's own state_dict keys ("body.0.weight") are the layer's keys without the "0." of its path. */
const own = (name: string) => name.slice(2);

function stepsAsDataset(c: BlockTrainingCase, classes: number): Dataset {
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

describe.skipIf(typeof gpu === 'string')('GPU block layers match PyTorch and the CPU engine', () => {
  for (const c of fixture.layers) {
    it(c.name, async () => {
      if (typeof gpu === 'string') return;
      const x = toTensor(c.x);
      const make = () => {
        const layer = createLayer(c.layer, 0, x.shape.slice(1), new Rng(0));
        for (const param of layer.params) param.data.set(c.params[own(param.name)].data);
        for (const buffer of layer.buffers) buffer.data.set(c.buffers[own(buffer.name)].data);
        return layer;
      };
      const layer = make();
      const result = await runGpuLayer(gpu.device, c.layer, layer, x, toTensor(c.dy), 0, c.mode);
      expectValuesClose(result.y, c.y.data, SINGLE_OP, 'y', tally);
      expectValuesClose(result.dx, c.dx.data, SINGLE_OP, 'dx', tally);
      layer.params.forEach((param, i) => {
        expectValuesClose(result.grads[i], c.grads[own(param.name)].data, SINGLE_OP, `d${param.name}`, tally);
      });
      layer.buffers.forEach((buffer, i) => {
        expectValuesClose(result.buffers[i], c.buffersAfter[own(buffer.name)].data, SINGLE_OP, buffer.name, tally);
      });
      expect(result.buffers.length).toBe(Object.keys(c.buffersAfter).length);

      // the CPU engine on the same values
      const cpu = make();
      const y = cpu.forward(x, c.mode);
      const dx = cpu.backward(toTensor(c.dy), true);
      expectValuesClose(result.y, y.data, SINGLE_OP, 'y vs CPU');
      expectValuesClose(result.dx, dx?.data ?? [], SINGLE_OP, 'dx vs CPU');
      cpu.params.forEach((param, i) => {
        expectValuesClose(result.grads[i], param.grad, SINGLE_OP, `d${param.name} vs CPU`);
      });
      cpu.buffers.forEach((buffer, i) => {
        expectValuesClose(result.buffers[i], buffer.data, SINGLE_OP, `${buffer.name} vs CPU`);
      });
    });
  }
  afterAll(() => console.log(tally.summary('blocks.json layers on the GPU')));
});

describe.skipIf(typeof gpu === 'string')('GPU training with batch norm and a residual block matches PyTorch', () => {
  for (const c of fixture.training) {
    it(c.name, async () => {
      if (typeof gpu === 'string') return;
      const network = buildNetwork(c.spec, new Rng(0));
      network.setState(Object.fromEntries(Object.entries(c.init).map(([name, value]) => [name, toTensor(value)])));
      const batchSize = c.steps[0].x.shape[0];

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
        expectValuesClose([sum / batchSize], [c.steps[0].loss], SINGLE_OP, 'step 1 loss', stepsTally);
        const grads = await probe.read(probe.grads, probe.parameterCount);
        network.params.forEach((param, i) => {
          const grad = grads.subarray(probe.offsets[i], probe.offsets[i] + param.data.length);
          expectValuesClose(grad, c.steps[0].grads[param.name].data, SINGLE_OP, `step 1 d${param.name}`, stepsTally);
        });
      } finally {
        probe.dispose();
      }

      const config = { epochs: 1, batchSize, optimizer: c.optimizer, shuffle: false };
      const trainer = await GpuTrainer.create(
        network,
        { train: stepsAsDataset(c, network.classes) },
        config,
        gpu.device,
      );
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
        expectValuesClose([report.loss], [c.steps[i].loss], AFTER_STEPS, `step ${i + 1} loss`, stepsTally);
      });
      // the state read back from the GPU: parameters and running statistics in the CPU network's layout
      const final = network.getState();
      expect(Object.keys(final).sort()).toEqual(Object.keys(c.final).sort());
      for (const [name, expected] of Object.entries(c.final)) {
        expectValuesClose(final[name].data, expected.data, AFTER_STEPS, `final ${name}`, stepsTally);
      }
      expect(final['1.num_batches_tracked'].data[0]).toBe(3);
      expect(final['3.shortcut.1.num_batches_tracked'].data[0]).toBe(3);
    });
  }
  afterAll(() => console.log(stepsTally.summary('blocks.json training on the GPU')));
});
