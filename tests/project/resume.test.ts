/**
 * Exact resume through the session: training 2 epochs in one go gives the same parameters, bit for bit, as
 * training 1 (or stopping mid-epoch), saving a .cnnstudio bundle, opening it in a new session and continuing,
 * for SGD with momentum and for Adam, with shuffling, a validation split and dropout.
 */
import { describe, expect, it } from 'vitest';
import type { TrainingSettings } from '../../src/engine/training-settings';
import { memoryFiles } from '../data/writers';
import { SessionHarness, settings } from '../protocol/session-harness';
import { toyNpz } from '../protocol/toy-data';
import { openProject, parameters, readySession, saveProject, trainUntilDone } from './project-helpers';

const RUNS: [string, Partial<TrainingSettings>][] = [
  ['SGD with momentum', { optimizer: 'sgd', momentum: 0.9, learningRate: 0.05 }],
  ['Adam', { optimizer: 'adam', learningRate: 0.01, weightDecay: 1e-4 }],
];

function bits(values: Float32Array): number[] {
  return Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
}

function expectSameParameters(actual: Map<string, Float32Array>, expected: Map<string, Float32Array>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, values] of expected) expect(bits(actual.get(name)!), name).toEqual(bits(values));
}

describe.each(RUNS)('exact resume from a project bundle: %s', (_label, overrides) => {
  const twoEpochs = settings({ ...overrides, epochs: 2, shuffle: true, validationSplit: 0.25, seed: 11 });
  const oneEpoch = { ...twoEpochs, epochs: 1 };

  async function uninterrupted() {
    const h = await readySession();
    await trainUntilDone(h, twoEpochs);
    return { params: await parameters(h), history: h.of('epoch').map((e) => e.report) };
  }

  it('train 2 epochs ≡ train 1, save, open in a new session, train 1 more', async () => {
    const reference = await uninterrupted();
    const first = await readySession();
    await trainUntilDone(first, oneEpoch);
    const saved = await saveProject(first, oneEpoch);
    expect(saved.weights).toBe(true);
    expect(saved.resumable).toEqual({ completedEpochs: 1, completedSteps: 9, batchInEpoch: 0, epochs: 1 });

    const { h, opened } = await openProject(saved.data);
    expect(opened.history).toHaveLength(1);
    expect(opened.document.training).toEqual(oneEpoch);
    h.send({ type: 'load-dataset', source: opened.document.dataSource! });
    await h.waitFor('dataset');
    await trainUntilDone(h, twoEpochs, 'resume');
    expectSameParameters(await parameters(h), reference.params);
    expect(h.of('epoch').map((e) => e.report)).toEqual([reference.history[1]]);
  });

  it('stopping mid-epoch after 4 single steps, saving and continuing elsewhere gives the same parameters', async () => {
    const reference = await uninterrupted();
    const first = await readySession();
    for (let step = 0; step < 4; step++) {
      first.send({ type: 'step', settings: twoEpochs });
      await first.waitFor('progress', () => first.of('progress').at(-1)?.step === step + 1);
    }
    const saved = await saveProject(first, twoEpochs);
    expect(saved.resumable).toMatchObject({ completedEpochs: 0, completedSteps: 4, batchInEpoch: 4 });
    const { h } = await openProject(saved.data);
    h.send({ type: 'load-dataset', source: 'toy.npz' });
    await h.waitFor('dataset');
    await trainUntilDone(h, twoEpochs, 'resume');
    expectSameParameters(await parameters(h), reference.params);
    expect(h.of('epoch').map((e) => e.report)).toEqual(reference.history);
  });
});

describe('resuming is refused when it could not be exact', () => {
  it('names the setting that differs from the saved run, and asks for more epochs than were trained', async () => {
    const run = settings({ epochs: 1, seed: 4 });
    const first = await readySession();
    await trainUntilDone(first, run);
    const { data } = await saveProject(first, run);
    const { h } = await openProject(data);
    h.send({ type: 'load-dataset', source: 'toy.npz' });
    await h.waitFor('dataset');
    h.send({ type: 'train', settings: { ...run, epochs: 3, batchSize: 16 }, initialWeights: 'resume' });
    const changed = await h.waitFor('error');
    expect(changed.code).toBe('not-ready');
    expect(changed.hint).toMatch(/batchSize 8, not 16/);
    h.send({ type: 'train', settings: run, initialWeights: 'resume' });
    const finished = await h.waitFor('error', (e) => e !== changed);
    expect(finished.hint).toMatch(/already trained 1 epochs: set more epochs/);
  });

  it('refuses to continue on different data, naming the sample counts', async () => {
    const run = settings({ epochs: 1, validationSplit: 0.25 });
    const first = await readySession();
    await trainUntilDone(first, run);
    const { data } = await saveProject(first, run);
    const h = new SessionHarness(memoryFiles({ 'other.npz': toyNpz(64, 3) }));
    h.send({ type: 'open-project', fileName: 'toy.cnnstudio', data });
    await h.waitFor('project-opened');
    h.send({ type: 'load-dataset', source: 'other.npz' });
    await h.waitFor('dataset');
    h.send({ type: 'train', settings: { ...run, epochs: 2 }, initialWeights: 'resume' });
    const error = await h.waitFor('error');
    expect(error.code).toBe('not-ready');
    expect(error.hint).toMatch(/the saved run trained on 72 samples, not the 48 selected now; load the same dataset/);
  });

  it('without a saved run, asks to train first', async () => {
    const h = await readySession();
    h.send({ type: 'train', settings: settings(), initialWeights: 'resume' });
    const error = await h.waitFor('error');
    expect(error.hint).toMatch(/Train first, or open a project saved during or after training/);
  });
});
