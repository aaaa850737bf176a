/**
 * Exact continuation of a run: training 2 epochs in one go gives the same parameters, bit for bit, as
 * training 1 and continuing the run for 1 more (in the same session, or after saving a .cnnstudio bundle and
 * opening it in a new session), also when stopped in the middle of an epoch; for SGD with momentum and for
 * Adam, with shuffling, a validation split and dropout.
 */
import { describe, expect, it } from 'vitest';
import type { TrainingSettings } from '../../src/engine/training-settings';
import { memoryFiles } from '../data/writers';
import { SessionHarness, settings } from '../protocol/session-harness';
import { toyNpz } from '../protocol/toy-data';
import {
  continueUntilDone,
  openProject,
  parameters,
  readySession,
  saveProject,
  trainUntilDone,
} from './project-helpers';

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

describe.each(RUNS)('exact continuation of a run: %s', (_label, overrides) => {
  const twoEpochs = settings({ ...overrides, epochs: 2, shuffle: true, validationSplit: 0.25, seed: 11 });
  const oneEpoch = { ...twoEpochs, epochs: 1 };

  async function uninterrupted() {
    const h = await readySession();
    const runId = await trainUntilDone(h, twoEpochs);
    return { params: await parameters(h, runId), history: h.of('epoch').map((e) => e.report) };
  }

  it('train 2 epochs ≡ train 1, then continue the run for 1 more in the same session', async () => {
    const reference = await uninterrupted();
    const h = await readySession();
    const runId = await trainUntilDone(h, oneEpoch);
    await continueUntilDone(h, runId, 1);
    expectSameParameters(await parameters(h, runId), reference.params);
    expect(h.of('epoch').map((e) => e.report)).toEqual(reference.history);
    const summary = h.of('run').at(-1)?.run;
    expect(summary).toMatchObject({ runId, state: 'done', completedEpochs: 2, plannedEpochs: 2, continuable: true });
  });

  it('train 2 epochs ≡ train 1, save, open in a new session, continue 1 more', async () => {
    const reference = await uninterrupted();
    const first = await readySession();
    const runId = await trainUntilDone(first, oneEpoch);
    const saved = await saveProject(first, oneEpoch);
    expect(saved.runs).toBe(1);

    const { h, opened } = await openProject(saved.data);
    expect(opened.runs).toHaveLength(1);
    expect(opened.runs[0].history).toHaveLength(1);
    expect(opened.runs[0].summary).toMatchObject({ runId, completedEpochs: 1, completedSteps: 9, continuable: true });
    expect(opened.runs[0].series.loss).toHaveLength(9);
    expect(opened.document.training).toEqual(oneEpoch);
    await h.request({ type: 'load-dataset', source: opened.document.dataSource! }, 'dataset');
    await continueUntilDone(h, runId, 1);
    expectSameParameters(await parameters(h, runId), reference.params);
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
    const { h, opened } = await openProject(saved.data);
    expect(opened.runs[0].summary).toMatchObject({ completedEpochs: 0, completedSteps: 4, state: 'stopped' });
    await h.request({ type: 'load-dataset', source: 'toy.npz' }, 'dataset');
    await continueUntilDone(h, 1, 2);
    expectSameParameters(await parameters(h, 1), reference.params);
    expect(h.of('epoch').map((e) => e.report)).toEqual(reference.history);
  });
});

describe('continuing is refused when it could not be exact', () => {
  it('refuses to continue on different data, naming the data the run trained on', async () => {
    const run = settings({ epochs: 1, validationSplit: 0.25 });
    const first = await readySession();
    await trainUntilDone(first, run);
    const { data } = await saveProject(first, run);
    const h = new SessionHarness(memoryFiles({ 'other.npz': toyNpz(64, 3) }));
    await openProject(data, 'toy.cnnstudio', h);
    await h.request({ type: 'load-dataset', source: 'other.npz' }, 'dataset');
    const error = await h.request({ type: 'train', runId: 1, continue: { epochs: 1 } }, 'error');
    expect(error.code).toBe('not-ready');
    expect(error.requestId).toBe(h.of('error').at(-1)?.requestId);
    expect(error.runId).toBe(1);
    expect(error.hint).toMatch(/It trained on toy\.npz \(96 samples\); load that data again to continue it/);
  });

  it('refuses an unknown run, naming the runs there are', async () => {
    const h = await readySession();
    const unknown = await h.request({ type: 'train', runId: 7, continue: { epochs: 1 } }, 'error');
    expect(unknown.hint).toMatch(/There is no run 7\. Train a run first/);
    await trainUntilDone(h, settings({ epochs: 1 }));
    const again = await h.request({ type: 'train', runId: 7, continue: { epochs: 1 } }, 'error');
    expect(again.hint).toMatch(/There is no run 7\. The session has runs 1\./);
  });
});
