/**
 * The trainer's checkpoint and restore (trainer/run-bookkeeping.ts, shared with the GPU trainer): a run stopped
 * mid-epoch and continued by a new trainer over a new network goes on bit for bit as if it had never stopped
 * (shuffle, dropout, augmentation, Adam, a changed base rate, the schedule, the best epoch), and a checkpoint of
 * another run is refused with what differs.
 */
import { describe, expect, it } from 'vitest';
import { buildNetwork, type Network } from '../../src/engine/network';
import { Rng } from '../../src/engine/rng';
import type { TrainConfig } from '../../src/engine/trainer/config';
import type { TrainerEvent } from '../../src/engine/trainer/events';
import { Trainer } from '../../src/engine/trainer/trainer';
import { barsDataset, barsSpec } from './datasets';

const SPEC = barsSpec(0.2);

/** 30 samples, 6 split off: 24 to train on in batches of 5, 5, 5, 5 and 4. */
const data = () => ({ train: barsDataset(30) });

const CONFIG: TrainConfig = {
  epochs: 3,
  batchSize: 5,
  optimizer: { type: 'adam', lr: 0.01 },
  validationSplit: 0.2,
  schedule: { type: 'step', stepSize: 1, gamma: 0.5 },
  augment: { hflip: true, cropPadding: 1 },
  keepBest: true,
};

function bits(network: Network): number[][] {
  return network.params.map((param) => Array.from(new Uint32Array(param.data.slice().buffer)));
}

/** Every event with its numbers, as JSON (NaN-free here), so two runs compare exactly. */
function record(trainer: Trainer): string[] {
  const events: string[] = [];
  trainer.onEvent((event: TrainerEvent) => events.push(JSON.stringify(event)));
  return events;
}

describe('trainer checkpoints', () => {
  it('a run continued mid-epoch from its checkpoint goes on bit for bit', () => {
    const whole = new Trainer(buildNetwork(SPEC, new Rng(7)), data(), CONFIG);
    const wholeEvents = record(whole);
    const first = new Trainer(buildNetwork(SPEC, new Rng(7)), data(), CONFIG);
    const firstEvents = record(first);
    for (const trainer of [whole, first]) {
      for (let step = 1; step <= 7; step++) {
        if (step === 4) trainer.setBaseLearningRate(0.02);
        trainer.step();
      }
    }
    const checkpoint = first.checkpoint();
    expect(checkpoint).toMatchObject({
      completedSteps: 7,
      completedEpochs: 1,
      batchInEpoch: 2,
      baseLearningRate: 0.02,
    });
    expect(checkpoint.epochTotals.samples).toBe(10);
    expect(checkpoint.best?.epoch).toBe(1);
    // a copy: training on does not change it
    const copy = structuredClone(checkpoint);
    first.step();
    expect(first.checkpoint().completedSteps).toBe(8);
    expect(checkpoint).toEqual(copy);

    // a new session: the run's seed and data, the parameters after step 7 as its weights file brings them back
    const atStep7 = new Trainer(buildNetwork(SPEC, new Rng(7)), data(), CONFIG);
    for (let step = 1; step <= 7; step++) {
      if (step === 4) atStep7.setBaseLearningRate(0.02);
      atStep7.step();
    }
    const network = buildNetwork(SPEC, new Rng(7));
    const second = new Trainer(network, data(), CONFIG);
    network.setState(atStep7.network.getState());
    const secondEvents = record(second);
    second.restore(checkpoint);
    expect([second.completedSteps, second.completedEpochs, second.history.length]).toEqual([7, 1, 1]);
    second.fit();
    whole.fit();

    // steps 1–5, epoch 1, steps 6 and 7
    expect(firstEvents.slice(0, 8)).toEqual(wholeEvents.slice(0, 8));
    expect(secondEvents).toEqual(wholeEvents.slice(wholeEvents.length - secondEvents.length));
    expect(secondEvents.length).toBe(8 + 2 + 1);
    expect(JSON.stringify(second.history)).toBe(JSON.stringify(whole.history));
    expect(second.history.map((epoch) => epoch.lr)).toEqual([0.02, 0.01, 0.005]);
    expect(bits(network)).toEqual(bits(whole.network));
    expect(second.best?.epoch).toBe(whole.best?.epoch);
    expect(JSON.stringify(second.checkpoint())).toBe(JSON.stringify(whole.checkpoint()));
  });

  it('refuses a checkpoint over other samples, naming the counts', () => {
    const saved = new Trainer(buildNetwork(SPEC, new Rng(7)), data(), CONFIG);
    saved.step();
    const checkpoint = saved.checkpoint();
    // another seed splits off other samples, as many
    const otherSplit = new Trainer(buildNetwork(SPEC, new Rng(8)), data(), CONFIG);
    expect(() => otherSplit.restore(checkpoint)).toThrow(
      /^the saved run trained on 24 samples, not the 24 selected now; load the same dataset with the same validation split and seed$/,
    );
    const fewer = new Trainer(buildNetwork(SPEC, new Rng(7)), { train: barsDataset(20) }, CONFIG);
    expect(() => fewer.restore(checkpoint)).toThrow(/^the saved run trained on 24 samples, not the 16 selected now/);
  });

  it('refuses a checkpoint beyond the run it is restored into', () => {
    const saved = new Trainer(buildNetwork(SPEC, new Rng(7)), data(), CONFIG);
    while (saved.completedEpochs < 2) saved.step();
    saved.step();
    const shorter = new Trainer(buildNetwork(SPEC, new Rng(7)), data(), { ...CONFIG, epochs: 1 });
    expect(() => shorter.restore(saved.checkpoint())).toThrow(
      /^the saved run is at epoch 3, batch 2, beyond this run's 1 epochs of 5 batches$/,
    );
  });
});
