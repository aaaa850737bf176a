/**
 * Exact resume with the blocks: batch norm's running statistics and the augmentation's draws continue from a
 * saved project exactly, so 2 epochs ≡ 1 epoch, save, open in a new session, 1 more (AdamW with warmup).
 */
import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { settings } from '../protocol/session-harness';
import { TOY_SIDE } from '../protocol/toy-data';
import { openProject, parameters, readySession, saveProject, trainUntilDone } from './project-helpers';

const BLOCKS: NetworkSpec = {
  input: { channels: 1, height: TOY_SIDE, width: TOY_SIDE },
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1, bias: false },
    { type: 'batchnorm' },
    { type: 'relu' },
    {
      type: 'residual',
      body: [{ type: 'conv2d', filters: 4, kernelSize: 3, padding: 1, bias: false }, { type: 'batchnorm' }],
    },
    { type: 'leakyrelu' },
    { type: 'globalavgpool' },
    { type: 'dense', units: 2 },
  ],
  loss: 'softmax-cross-entropy',
};

function bits(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

describe('exact resume with batch norm, a residual block, AdamW, warmup and augmentation', () => {
  const twoEpochs = settings({
    optimizer: 'adamw',
    learningRate: 0.01,
    weightDecay: 0.01,
    warmupEpochs: 1,
    augment: { hflip: true, cropPadding: 1 },
    epochs: 2,
    shuffle: true,
    validationSplit: 0.25,
    seed: 5,
  });
  const oneEpoch = { ...twoEpochs, epochs: 1 };

  it('train 2 epochs ≡ train 1, save, open, train 1 more: parameters and running statistics bit for bit', async () => {
    const reference = await readySession(BLOCKS);
    await trainUntilDone(reference, twoEpochs);
    const expected = await parameters(reference);
    expect(expected.get('1.num_batches_tracked')?.[0]).toBeGreaterThan(0);

    const first = await readySession(BLOCKS);
    await trainUntilDone(first, oneEpoch);
    const saved = await saveProject(first, oneEpoch, BLOCKS);
    const { h, opened } = await openProject(saved.data);
    expect(opened.document.training.augment).toEqual({ hflip: true, cropPadding: 1 });
    h.send({ type: 'load-dataset', source: opened.document.dataSource! });
    await h.waitFor('dataset');
    await trainUntilDone(h, twoEpochs, 'resume');
    const resumed = await parameters(h);
    expect([...resumed.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, values] of expected) expect(bits(resumed.get(name)!), name).toEqual(bits(values));
  });

  it('refuses to continue with another augmentation, naming it', async () => {
    const first = await readySession(BLOCKS);
    await trainUntilDone(first, oneEpoch);
    const saved = await saveProject(first, oneEpoch, BLOCKS);
    const { h } = await openProject(saved.data);
    h.send({ type: 'load-dataset', source: 'toy.npz' });
    await h.waitFor('dataset');
    h.send({
      type: 'train',
      settings: { ...twoEpochs, augment: { hflip: false, cropPadding: 1 } },
      initialWeights: 'resume',
    });
    const refused = await h.waitFor('error');
    expect(refused.code).toBe('not-ready');
    expect(refused.hint).toContain('augment {"hflip":true,"cropPadding":1}, not {"hflip":false,"cropPadding":1}');
  });
});
