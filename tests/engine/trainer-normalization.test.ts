/** Normalization computed by the trainer comes from the samples it trains on, never from validation samples. */
import { describe, expect, it } from 'vitest';
import { computeNormalization } from '../../src/engine/data/normalize';
import { buildNetwork } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { evaluate } from '../../src/engine/trainer/evaluate';
import { Trainer } from '../../src/engine/trainer/trainer';
import { barsDataset } from './datasets';

const spec: NetworkSpec = {
  input: { channels: 1, height: 8, width: 8 },
  layers: [{ type: 'flatten' }, { type: 'dense', units: 3 }],
  loss: 'softmax-cross-entropy',
};

describe('trainer normalization', () => {
  it("uses the training samples' statistics after the validation split, and applies them to validation", () => {
    const data = barsDataset(60);
    const trainer = new Trainer(
      buildNetwork(spec, new Rng(3)),
      { train: data },
      {
        epochs: 1,
        batchSize: 8,
        optimizer: { type: 'sgd', lr: 0.05 },
        validationSplit: 0.25,
        normalization: 'from-training-samples',
      },
    );
    const expected = computeNormalization(data, trainer.trainIndices);
    expect(trainer.normalization).toEqual(expected);
    expect(trainer.normalization).not.toEqual(computeNormalization(data));

    const [epoch] = trainer.fit();
    const validation = evaluate(trainer.network, data, {
      indices: trainer.validationIndices!,
      normalization: expected,
    });
    expect(epoch.validation?.loss).toBeCloseTo(validation.loss, 6);
  });

  it('has no normalization unless asked', () => {
    const trainer = new Trainer(
      buildNetwork(spec, new Rng(3)),
      { train: barsDataset(12) },
      {
        epochs: 1,
        batchSize: 4,
        optimizer: { type: 'sgd', lr: 0.05 },
      },
    );
    expect(trainer.normalization).toBeUndefined();
  });
});
