/** The trainer: batching order, splits, events, metrics, schedules, determinism and divergence. */
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/data/dataset';
import { buildNetwork, type Network } from '../../src/engine/network';
import { createOptimizer } from '../../src/engine/optim/create-optimizer';
import type { NamedTensors } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';
import { allIndices, BatchLoader } from '../../src/engine/trainer/batches';
import type { TrainConfig } from '../../src/engine/trainer/config';
import { evaluate, predict } from '../../src/engine/trainer/evaluate';
import type { EpochReport, StepReport } from '../../src/engine/trainer/events';
import { NonFiniteLossError } from '../../src/engine/trainer/non-finite-loss-error';
import { Trainer } from '../../src/engine/trainer/trainer';
import { barsDataset, barsSpec } from './datasets';

const BARS_SPEC = barsSpec(0.1);

const sgd: TrainConfig = { epochs: 1, batchSize: 4, optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 } };

function collect(trainer: Trainer) {
  const steps: StepReport[] = [];
  const epochs: EpochReport[] = [];
  let done = 0;
  trainer.onEvent((event) => {
    if (event.type === 'step') steps.push(event.report);
    if (event.type === 'epoch') epochs.push(event.report);
    if (event.type === 'done') done++;
  });
  return { steps, epochs, doneCount: () => done };
}

function trainOnce(seed: number, data: Dataset, config: TrainConfig): NamedTensors {
  const network = buildNetwork(BARS_SPEC, new Rng(seed));
  new Trainer(network, { train: data }, config).fit();
  return network.getParameters();
}

describe('batches', () => {
  it('without shuffling follow dataset order and keep the last partial batch', () => {
    const data = barsDataset(10);
    const spec = { ...BARS_SPEC, layers: BARS_SPEC.layers.filter((layer) => layer.type !== 'dropout') };
    const network = buildNetwork(spec, new Rng(3));
    const initial = network.getParameters();
    const trainer = new Trainer(network, { train: data }, { ...sgd, shuffle: false });
    const { steps } = collect(trainer);
    trainer.fit();
    expect(steps.map((s) => s.samples)).toEqual([4, 4, 2]);

    // the same three batches, by hand, in dataset order
    const manual = buildNetwork(spec, new Rng(99));
    manual.setParameters(initial);
    const optimizer = createOptimizer(manual.params, sgd.optimizer);
    const loader = new BatchLoader(data, 4);
    for (const [start, end] of [
      [0, 4],
      [4, 8],
      [8, 10],
    ]) {
      const y = manual.forward(loader.load(allIndices(10), start, end), 'train');
      manual.loss.forward(y, loader.labels);
      manual.zeroGrad();
      manual.backward(manual.loss.backward());
      optimizer.step();
    }
    expect(network.getParameters()).toEqual(manual.getParameters());
  });

  it('scale uint8 pixels by 1/255', () => {
    const data = barsDataset(2);
    const loader = new BatchLoader(data, 2);
    const x = loader.load(allIndices(2), 0, 2);
    expect(x.data[5]).toBeCloseTo(data.pixels[5] / 255, 7);
  });
});

describe('validation', () => {
  it('a split is stratified by class, seeded and disjoint from training', () => {
    const data = barsDataset(30);
    const trainer = new Trainer(buildNetwork(BARS_SPEC, new Rng(5)), { train: data }, { ...sgd, validationSplit: 0.2 });
    const validation = trainer.validationIndices ?? new Int32Array(0);
    expect(validation.length).toBe(6);
    expect([0, 1, 2].map((k) => validation.filter((i) => data.labels[i] === k).length)).toEqual([2, 2, 2]);
    expect([...trainer.trainIndices, ...validation].sort((a, b) => a - b)).toEqual([...allIndices(30)]);
    const again = new Trainer(buildNetwork(BARS_SPEC, new Rng(5)), { train: data }, { ...sgd, validationSplit: 0.2 });
    expect(again.validationIndices).toEqual(validation);
  });

  it('a split gives exactly round(N·fraction) samples when class shares are fractional', () => {
    const data = barsDataset(31);
    const trainer = new Trainer(buildNetwork(BARS_SPEC, new Rng(5)), { train: data }, { ...sgd, validationSplit: 0.3 });
    expect(trainer.validationIndices?.length).toBe(9);
    expect(trainer.trainIndices.length).toBe(22);
  });

  it('a separate validation set is evaluated whole after every epoch', () => {
    const trainer = new Trainer(
      buildNetwork(BARS_SPEC, new Rng(5)),
      { train: barsDataset(12), validation: barsDataset(7, 3, 8, 2) },
      { ...sgd, epochs: 2 },
    );
    const { epochs } = collect(trainer);
    trainer.fit();
    expect(epochs.map((e) => e.validation?.count)).toEqual([7, 7]);
  });

  it('refuses a separate validation set together with a split', () => {
    expect(
      () =>
        new Trainer(
          buildNetwork(BARS_SPEC, new Rng(5)),
          { train: barsDataset(12), validation: barsDataset(6) },
          { ...sgd, validationSplit: 0.1 },
        ),
    ).toThrow('give either a separate validation set or a validationSplit, not both');
  });
});

describe('a training run', () => {
  it('reports every step, every epoch and the end, and learns', () => {
    const trainer = new Trainer(
      buildNetwork(BARS_SPEC, new Rng(8)),
      { train: barsDataset(60) },
      { ...sgd, epochs: 4, batchSize: 8, validationSplit: 0.25 },
    );
    const { steps, epochs, doneCount } = collect(trainer);
    const history = trainer.fit();
    expect(trainer.done).toBe(true);
    expect(steps).toHaveLength(trainer.totalSteps);
    expect(steps.map((s) => s.step)).toEqual(steps.map((_, i) => i + 1));
    expect(steps.at(-1)).toMatchObject({ epoch: 4, batch: trainer.batchesPerEpoch });
    expect(epochs).toEqual(history);
    expect(doneCount()).toBe(1);

    const last = epochs[3];
    const validation = last.validation;
    if (validation === null) throw new Error('no validation');
    expect(validation.count).toBe(15);
    const diagonal = validation.confusion.reduce((sum, row, k) => sum + row[k], 0);
    expect(validation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(15);
    expect(validation.accuracy).toBe(diagonal / 15);
    expect(validation.accuracy).toBeGreaterThan(0.9);
    expect(last.trainLoss).toBeLessThan(epochs[0].trainLoss);
    expect(last.trainConfusion.flat().reduce((a, b) => a + b, 0)).toBe(45);
  });

  it('reports per-layer gradient norms, weight norms and update ratios', () => {
    const trainer = new Trainer(
      buildNetwork(BARS_SPEC, new Rng(8)),
      { train: barsDataset(12) },
      {
        ...sgd,
        optimizer: { type: 'sgd', lr: 0.1 },
      },
    );
    const network = trainer.network;
    const before = network.getParameters();
    const report = trainer.step();
    expect(report.layers.map((s) => [s.layer, s.type])).toEqual([
      [0, 'conv2d'],
      [5, 'dense'],
    ]);
    // plain SGD moves θ by lr·∇θ, so ‖Δθ‖ = lr·‖∇θ‖
    const dense = report.layers[1];
    const oldNorm = Math.hypot(...before['5.weight'].data, ...before['5.bias'].data);
    expect(dense.updateRatio * oldNorm).toBeCloseTo(0.1 * dense.gradNorm, 5);
    expect(dense.weightNorm).toBeCloseTo(
      Math.hypot(...network.getParameters()['5.weight'].data, ...network.getParameters()['5.bias'].data),
      4,
    );
  });

  it('sets the learning rate from the schedule at each epoch', () => {
    const trainer = new Trainer(
      buildNetwork(BARS_SPEC, new Rng(8)),
      { train: barsDataset(8) },
      {
        ...sgd,
        epochs: 3,
        schedule: { type: 'step', stepSize: 1, gamma: 0.5 },
      },
    );
    const { steps } = collect(trainer);
    trainer.fit();
    expect(steps.map((s) => s.lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
  });

  it('takes a new base learning rate between steps, the schedule still applying', () => {
    const trainer = new Trainer(
      buildNetwork(BARS_SPEC, new Rng(8)),
      { train: barsDataset(8) },
      {
        ...sgd,
        epochs: 2,
        schedule: { type: 'step', stepSize: 1, gamma: 0.5 },
      },
    );
    const { steps } = collect(trainer);
    trainer.step();
    trainer.setBaseLearningRate(0.4);
    trainer.fit();
    expect(steps.map((s) => s.lr)).toEqual([0.1, 0.4, 0.2, 0.2]);
    expect(() => trainer.setBaseLearningRate(-1)).toThrow('the learning rate must be a number > 0, got -1');
  });

  it('refuses to step past the last epoch', () => {
    const trainer = new Trainer(buildNetwork(BARS_SPEC, new Rng(8)), { train: barsDataset(4) }, sgd);
    trainer.fit();
    expect(() => trainer.step()).toThrow('training is complete: all 1 epochs have run');
  });

  it('refuses data that does not fit the network', () => {
    const network = buildNetwork(BARS_SPEC, new Rng(8));
    expect(() => new Trainer(network, { train: barsDataset(8, 4) }, sgd)).toThrow(
      /training data: the last layer has 3 outputs but the dataset has 4 classes/,
    );
    expect(() => new Trainer(network, { train: barsDataset(8, 3, 10) }, sgd)).toThrow(
      /training data: the network expects input 1×8×8 but the dataset has 1×10×10 images/,
    );
  });
});

describe('reproducibility', () => {
  const config: TrainConfig = { ...sgd, epochs: 1, batchSize: 5, validationSplit: 0.2 };

  it('the same seed gives bit-identical parameters after an epoch (init, split, shuffle, dropout)', () => {
    const data = barsDataset(40);
    expect(trainOnce(17, data, config)).toEqual(trainOnce(17, data, config));
  });

  it('a different seed gives different parameters', () => {
    const data = barsDataset(40);
    const a = trainOnce(17, data, config);
    const b = trainOnce(18, data, config);
    expect(a['5.weight'].data).not.toEqual(b['5.weight'].data);
  });
});

describe('divergence', () => {
  function divergeWith(lr: number) {
    const network: Network = buildNetwork(BARS_SPEC, new Rng(4));
    const trainer = new Trainer(network, { train: barsDataset(40) }, { ...sgd, optimizer: { type: 'sgd', lr } });
    const snapshots = [network.getParameters()];
    trainer.onEvent((event) => {
      if (event.type === 'step') snapshots.push(network.getParameters());
    });
    let error: unknown = null;
    try {
      trainer.fit();
    } catch (caught) {
      error = caught;
    }
    if (!(error instanceof NonFiniteLossError)) throw new Error(`expected a NonFiniteLossError, got ${error}`);
    return { network, trainer, snapshots, error };
  }

  it('a huge learning rate stops with an error naming the step and keeps the last good parameters', () => {
    const { network, trainer, snapshots, error } = divergeWith(1e30);
    expect(error.message).toMatch(
      new RegExp(
        `^training diverged at step ${error.step} \\(epoch 1, batch ${error.step}\\): the loss is (NaN|Infinity)`,
      ),
    );
    expect(error.message).toContain('The learning rate 1e+30 is probably too high; lower it');
    expect(error.step).toBe(snapshots.length);
    expect(error.restoredStep).toBe(error.step - 1);
    // the parameters the last finite-loss step started from
    expect(network.getParameters()).toEqual(snapshots[error.restoredStep - 1]);
    expect(network.params.every((p) => p.data.every(Number.isFinite))).toBe(true);
    expect(() => trainer.step()).toThrow(error);
  });

  it('an update that overflows the parameters is undone at once', () => {
    const { network, snapshots, error } = divergeWith(1e300);
    expect(error.message).toMatch(
      /^training diverged at step 1 \(epoch 1, batch 1\): the update made some parameters infinite or NaN/,
    );
    expect(error.restoredStep).toBe(1);
    expect(network.getParameters()).toEqual(snapshots[0]);
  });
});

describe('evaluate and predict', () => {
  it('predict gives class probabilities that sum to 1', () => {
    const network = buildNetwork(BARS_SPEC, new Rng(1));
    const loader = new BatchLoader(barsDataset(5), 5);
    const scores = predict(network, loader.load(allIndices(5), 0, 5), 2);
    expect(scores.shape).toEqual([5, 3]);
    for (let n = 0; n < 5; n++) {
      expect(scores.data[n * 3] + scores.data[n * 3 + 1] + scores.data[n * 3 + 2]).toBeCloseTo(1, 6);
    }
  });

  it('evaluate matches the loss of one full batch and counts every sample once', () => {
    const network = buildNetwork(BARS_SPEC, new Rng(1));
    const data = barsDataset(9);
    const result = evaluate(network, data, { batchSize: 4 });
    const loader = new BatchLoader(data, 9);
    const full = network.loss.forward(network.forward(loader.load(allIndices(9), 0, 9), 'eval'), loader.labels);
    expect(result.loss).toBeCloseTo(full, 6);
    expect(result.count).toBe(9);
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(9);
  });
});
