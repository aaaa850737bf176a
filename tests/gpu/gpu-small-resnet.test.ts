/**
 * The "Small ResNet" template (stem, three stages of residual blocks with projection shortcuts, batch norm,
 * global average pooling) trains on the GPU: the same 2 samples each epoch, so the loss must fall, stay finite,
 * and the running statistics of every batch norm must have moved. SwiftShader runs its 32×32 convolutions at a
 * few MFLOP/s (about 20 s a step on a shared machine), so the test retargets the template's layers to 12×12 gray
 * images; every layer, block and shortcut stays as it is.
 */
import { describe, expect, it } from 'vitest';
import { GpuTrainer } from '../../src/engine/gpu/gpu-trainer';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import { retargetSpec, templateSpec } from '../../src/engine/spec/templates';
import type { StepReport } from '../../src/engine/trainer/events';
import { testGpu } from './gpu-device';
import { randomUint8Dataset } from './gpu-test-data';

const gpu = await testGpu();

describe.skipIf(typeof gpu === 'string')('Small ResNet on the GPU', () => {
  it('trains a few steps with a finite, falling loss', { timeout: 120_000 }, async () => {
    if (typeof gpu === 'string') return;
    const spec = retargetSpec(templateSpec('small-resnet'), { channels: 1, height: 12, width: 12 }, 10);
    expect(spec.layers).toEqual(templateSpec('small-resnet').layers);
    const data = randomUint8Dataset(2, spec.input, 10, 4);
    const network = buildNetwork(spec, new Rng(1));
    const config = {
      epochs: 3,
      batchSize: 2,
      optimizer: { type: 'adamw', lr: 0.003 },
      augment: { hflip: true, cropPadding: 0 },
    } as const;
    const trainer = await GpuTrainer.create(network, { train: data }, config, gpu.device);
    const steps: StepReport[] = [];
    trainer.onEvent((event) => {
      if (event.type === 'step') steps.push(event.report);
    });
    try {
      while (!trainer.done) await trainer.step();
    } finally {
      trainer.dispose();
    }
    const losses = steps.map((step) => step.loss);
    expect(losses).toHaveLength(3);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[2]).toBeLessThan(losses[0]);
    for (const buffer of network.buffers.filter((b) => b.name.endsWith('.running_mean'))) {
      expect(
        buffer.data.some((v) => v !== 0),
        buffer.name,
      ).toBe(true);
    }
    expect(network.getState()['1.num_batches_tracked'].data[0]).toBe(3);
  });
});
