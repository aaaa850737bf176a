/**
 * Keeping the best weights and stopping early, on a hand-built case whose validation loss rises from the
 * first epoch on: the validation samples are the training samples with their labels swapped, so every epoch
 * that fits the training set better fits the validation set worse.
 */
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/data/dataset';
import { Network } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { TrainConfig } from '../../src/engine/trainer/config';
import { Trainer } from '../../src/engine/trainer/trainer';
import { PAIR_SPEC, pairDataset } from './datasets';

const TRAIN = pairDataset([0, 1]);
const SWAPPED = pairDataset([1, 0]);

/** `validation` null: no validation data. */
function trainer(config: Partial<TrainConfig>, validation: Dataset | null = SWAPPED): Trainer {
  const network = new Network(PAIR_SPEC, new Rng(3));
  return new Trainer(
    network,
    { train: TRAIN, validation: validation ?? undefined },
    { epochs: 6, batchSize: 2, shuffle: false, optimizer: { type: 'sgd', lr: 0.5 }, ...config },
  );
}

function bits(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

describe('best weights and early stopping (validation loss rises after epoch 1)', () => {
  it('the case is what it claims: training loss falls and validation loss rises every epoch', () => {
    const history = trainer({}).fit();
    const validation = history.map((report) => report.validation?.loss ?? Number.NaN);
    const train = history.map((report) => report.trainLoss);
    for (let i = 1; i < history.length; i++) {
      expect(validation[i]).toBeGreaterThan(validation[i - 1]);
      expect(train[i]).toBeLessThan(train[i - 1]);
    }
  });

  it('keeps the weights after epoch 1, bit for bit, while training on to epoch 6', () => {
    const run = trainer({ keepBest: true });
    run.fit();
    expect(run.completedEpochs).toBe(6);
    expect(run.stoppedEarly).toBe(false);
    expect(run.best).toMatchObject({ epoch: 1, by: 'validation', loss: run.history[0].validation?.loss });
    const oneEpoch = trainer({ epochs: 1 });
    oneEpoch.fit();
    for (const param of oneEpoch.network.params) {
      expect(bits(run.best?.state?.get(param.name)?.data as Float32Array), param.name).toEqual(bits(param.data));
    }
    expect(bits(run.network.params[0].data)).not.toEqual(bits(oneEpoch.network.params[0].data));
  });

  it('stops after `patience` epochs without improvement: patience 2 ends after epoch 3', () => {
    const run = trainer({ keepBest: true, patience: 2 });
    run.fit();
    expect(run.history.map((report) => report.epoch)).toEqual([1, 2, 3]);
    expect(run.stoppedEarly).toBe(true);
    expect(run.done).toBe(true);
    expect(run.best?.epoch).toBe(1);
    expect(() => run.step()).toThrow(/training is complete/);
  });

  it('patience 1 ends after epoch 2; without keepBest the best epoch is known but no weights are kept', () => {
    const run = trainer({ patience: 1 });
    run.fit();
    expect(run.completedEpochs).toBe(2);
    expect(run.best).toMatchObject({ epoch: 1, state: null });
  });

  it('without validation the best epoch is the one with the lowest training loss (here the last)', () => {
    const run = trainer({ keepBest: true, patience: 2 }, null);
    run.fit();
    expect(run.completedEpochs).toBe(6);
    expect(run.best).toMatchObject({ epoch: 6, by: 'train', loss: run.history[5].trainLoss });
  });

  it('continuing a run that stopped early trains the epochs it is given, patience counted on', () => {
    const run = trainer({ keepBest: true, patience: 2 });
    run.fit();
    const checkpoint = run.checkpoint();
    expect(checkpoint).toMatchObject({ epochsWithoutImprovement: 2, best: { epoch: 1 } });
    const more = new Trainer(
      run.network,
      { train: TRAIN, validation: SWAPPED },
      { epochs: 6, batchSize: 2, shuffle: false, optimizer: { type: 'sgd', lr: 0.5 }, keepBest: true, patience: 2 },
    );
    more.restore(checkpoint);
    expect(more.done).toBe(false);
    more.fit();
    expect(more.completedEpochs).toBe(4);
    expect(more.stoppedEarly).toBe(true);
    expect(more.best?.epoch).toBe(1);
  });

  it('refuses a patience that is not a whole number ≥ 1', () => {
    expect(() => trainer({ patience: 0 })).toThrow(/training patience must be a whole number ≥ 1, got 0/);
  });
});
