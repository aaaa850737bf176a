/**
 * Exact resume with the blocks: batch norm's running statistics and the augmentation's draws continue from a
 * saved project exactly, so 2 epochs ≡ 1 epoch, save, open in a new session, continue 1 more (AdamW with warmup).
 */
import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { settings } from '../protocol/session-harness';
import { TOY_SIDE } from '../protocol/toy-data';
import {
  continueUntilDone,
  openProject,
  parameters,
  readySession,
  saveProject,
  trainUntilDone,
} from './project-helpers';

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

  it('train 2 epochs ≡ train 1, save, open, continue 1 more: parameters and running statistics bit for bit', async () => {
    const reference = await readySession(BLOCKS);
    const referenceRun = await trainUntilDone(reference, twoEpochs);
    const expected = await parameters(reference, referenceRun);
    expect(expected.get('1.num_batches_tracked')?.[0]).toBeGreaterThan(0);

    const first = await readySession(BLOCKS);
    const runId = await trainUntilDone(first, oneEpoch);
    const saved = await saveProject(first, oneEpoch, BLOCKS);
    const { h, opened } = await openProject(saved.data);
    expect(opened.document.training.augment).toEqual({ hflip: true, cropPadding: 1 });
    // A continued run trains with its own settings, whatever the document says now: its augmentation too.
    expect(opened.runs[0].summary.settings.augment).toEqual({ hflip: true, cropPadding: 1 });
    await h.request({ type: 'load-dataset', source: opened.document.dataSource! }, 'dataset');
    await continueUntilDone(h, runId, 1);
    const resumed = await parameters(h, runId);
    expect([...resumed.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, values] of expected) expect(bits(resumed.get(name)!), name).toEqual(bits(values));
  });
});
