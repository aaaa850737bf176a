/**
 * Bad input for the GPU blocks: batch norm cannot train on one value per channel (PyTorch refuses it too). The
 * GPU trainer records every batch size of the run when it starts, so a run whose last batch would hold one
 * sample is refused before its first step, naming the layer by its path inside the block, with the CPU's message.
 */
import { describe, expect, it } from 'vitest';
import { GpuTrainer } from '../../src/engine/gpu/gpu-trainer';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { Trainer } from '../../src/engine/trainer/trainer';
import { testGpu } from './gpu-device';
import { randomUint8Dataset } from './gpu-test-data';

const gpu = await testGpu();

const SPEC: NetworkSpec = {
  input: { channels: 1, height: 1, width: 1 },
  layers: [
    { type: 'flatten' },
    {
      type: 'residual',
      body: [{ type: 'dense', units: 3 }, { type: 'batchnorm' }],
      shortcut: [{ type: 'dense', units: 3 }],
    },
    { type: 'dense', units: 2 },
  ],
  loss: 'softmax-cross-entropy',
};

describe.skipIf(typeof gpu === 'string')('GPU batch norm bad input', () => {
  it('refuses a run with a last batch of one sample, naming the nested layer as the CPU does', async () => {
    if (typeof gpu === 'string') return;
    const data = randomUint8Dataset(9, SPEC.input, 2, 1);
    const config = { epochs: 1, batchSize: 8, optimizer: { type: 'sgd', lr: 0.1 } } as const;
    const message = /layer 1\.body\.1 \(batchnorm\): training needs more than one value per channel, but a batch of 1/;
    await expect(
      GpuTrainer.create(buildNetwork(SPEC, new Rng(0)), { train: data }, config, gpu.device),
    ).rejects.toThrow(message);
    const cpu = new Trainer(buildNetwork(SPEC, new Rng(0)), { train: data }, config);
    expect(() => cpu.fit()).toThrow(message);
    // a batch size that leaves no single sample trains
    const trainer = await GpuTrainer.create(
      buildNetwork(SPEC, new Rng(0)),
      { train: data },
      { ...config, batchSize: 3 },
      gpu.device,
    );
    try {
      while (!trainer.done) await trainer.step();
    } finally {
      trainer.dispose();
    }
    expect(trainer.completedSteps).toBe(3);
  });
});
