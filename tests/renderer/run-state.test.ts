/**
 * The run view's reducer fed with real events: an engine session trains the toy set in-process and every
 * event it posts goes through reduceRun, as the app's engine sync does. The chart series, epochs and
 * confusion matrix must hold exactly what the events carried; errors must land where the user looks.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/protocol';
import { reduceRun } from '../../src/renderer/run/reduce-run';
import type { RunAction } from '../../src/renderer/run/run-actions';
import { initialRunView, isRunActive, type RunView } from '../../src/renderer/run/run-state';
import { SessionHarness, settings } from '../protocol/session-harness';
import { TOY_NETWORK } from '../protocol/toy-data';

type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

const reduceAll = (view: RunView, actions: readonly RunAction[]) => actions.reduce(reduceRun, view);

/** The view after the UI loaded the toy set and trained it, with the events that built it. */
async function trainedView(epochs = 2) {
  const h = new SessionHarness();
  let view = reduceRun(initialRunView(), { type: 'ui:dataset-requested', source: 'toy.npz' });
  await h.ready();
  view = reduceAll(view, h.events);
  const before = h.events.length;
  view = reduceRun(view, { type: 'ui:run-requested' });
  expect(view.run.phase).toBe('starting');
  h.send({ type: 'train', settings: settings({ epochs }) });
  await h.waitFor('run-state', (e) => e.state === 'done');
  const runEvents = h.events.slice(before);
  return { view: reduceAll(view, runEvents), runEvents, h };
}

const ofType = <T extends EngineEvent['type']>(events: EngineEvent[], type: T) =>
  events.filter((e): e is EventOf<T> => e.type === type);

describe('run view from a real training run', () => {
  it('holds the dataset summary the engine sent', async () => {
    const { view } = await trainedView();
    expect(view.dataset.state).toBe('ready');
    if (view.dataset.state !== 'ready') return;
    expect(view.dataset.source).toBe('toy.npz');
    expect(view.dataset.format).toBe('npz');
    expect(view.dataset.summary.count).toBe(96);
    expect(view.dataset.summary.shape).toEqual({ channels: 1, height: 8, width: 8 });
    expect(view.networkErrors).toEqual([]);
  });

  it('plots every step: raw loss from each event’s recent steps, smoothed as the engine smooths', async () => {
    const { view, runEvents } = await trainedView();
    const progress = ofType(runEvents, 'progress');
    // 96 samples, a quarter held out: 72 train in batches of 8 = 9 steps per epoch, 2 epochs.
    expect(view.series.loss.map((p) => p.x)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect(view.series.loss.map((p) => p.y)).toEqual(progress.flatMap((e) => e.recent.loss));
    expect(view.series.lossSmoothed).toHaveLength(18);
    expect(view.series.accuracySmoothed).toHaveLength(18);
    // The per-step smoothing ends exactly where the engine's own smoothed value does, event by event.
    for (const event of progress) {
      const mine = view.series.lossSmoothed.find((p) => p.x === event.step);
      expect(mine?.y).toBeCloseTo(event.lossSmoothed, 10);
      expect(view.series.accuracySmoothed.find((p) => p.x === event.step)?.y).toBeCloseTo(event.accuracySmoothed, 10);
    }
    expect(view.series.learningRate).toEqual(progress.map((e) => ({ x: e.step, y: e.learningRate })));
    expect(Object.isFrozen(view.series.loss)).toBe(true);
  });

  it('keeps one gradient and update-ratio line per layer with parameters', async () => {
    const { view, runEvents } = await trainedView();
    const progress = ofType(runEvents, 'progress');
    expect(view.series.layers.map((l) => [l.layer, l.type])).toEqual([
      [0, 'conv2d'],
      [4, 'dense'],
    ]);
    const dense = view.series.layers[1];
    expect(dense.gradNorm).toEqual(
      progress.map((e) => ({ x: e.step, y: e.layers.find((s) => s.layer === 4)?.gradNorm })),
    );
    expect(dense.updateRatio.every((p) => p.y > 0)).toBe(true);
  });

  it('puts validation points at the step that ended each epoch and shows the last epoch’s matrix', async () => {
    const { view, runEvents } = await trainedView();
    const epochs = ofType(runEvents, 'epoch');
    expect(epochs).toHaveLength(2);
    expect(view.series.validationLoss).toEqual([
      { x: 9, y: epochs[0].report.validation?.loss },
      { x: 18, y: epochs[1].report.validation?.loss },
    ]);
    expect(view.series.validationAccuracy.map((p) => p.y)).toEqual(epochs.map((e) => e.report.validation?.accuracy));
    expect(view.epochs.map((row) => row.epoch)).toEqual([1, 2]);
    expect(view.epochs[1].trainLoss).toBe(epochs[1].report.trainLoss);
    expect(view.epochs[1].validation?.count).toBe(24);
    expect(view.confusion).toEqual({ epoch: 2, part: 'validation', matrix: epochs[1].report.validation?.confusion });
    expect(view.checkpoint).toBe(epochs[1].checkpoint);
  });

  it('ends done at the last step, with the progress of the last event', async () => {
    const { view, runEvents } = await trainedView();
    const last = ofType(runEvents, 'progress').at(-1);
    expect(view.run).toEqual({ phase: 'done', epoch: 2, step: 18, totalSteps: 18 });
    expect(view.progress?.loss).toBe(last?.loss);
    expect(view.progress?.epochs).toBe(2);
    expect(isRunActive(view.run.phase)).toBe(false);
  });

  it('starts a fresh run with empty charts, keeping the dataset', async () => {
    const { view } = await trainedView();
    const again = reduceRun(view, { type: 'ui:run-requested' });
    expect(again.series.loss).toEqual([]);
    expect(again.series.layers).toEqual([]);
    expect(again.epochs).toEqual([]);
    expect(again.confusion).toBeNull();
    expect(again.dataset).toBe(view.dataset);
  });

  it('lists the samples of a confusion cell with their probabilities', async () => {
    const { view, h } = await trainedView();
    let next = reduceRun(view, {
      type: 'ui:samples-requested',
      part: 'validation',
      actual: 0,
      predicted: 0,
      offset: 0,
    });
    expect(next.samples).toEqual({ state: 'loading', part: 'validation', actual: 0, predicted: 0, offset: 0 });
    h.send({ type: 'find-samples', part: 'validation', actual: 0, predicted: 0, limit: 4 });
    next = reduceRun(next, await h.waitFor('samples'));
    expect(next.samples.state).toBe('ready');
    if (next.samples.state !== 'ready') return;
    expect(next.samples.total).toBe(view.confusion?.matrix[0][0]);
    expect(next.samples.samples.length).toBe(Math.min(4, next.samples.total));
    for (const sample of next.samples.samples) {
      expect(sample.probabilities.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
    }
  });
});

describe('sample searches', () => {
  it('take only the answer to the cell asked for, not another view’s search', async () => {
    const { view, h } = await trainedView(1);
    h.send({ type: 'find-samples', part: 'validation', actual: 1, predicted: 1, limit: 2 });
    const otherSearch = await h.waitFor('samples');
    expect(reduceRun(view, otherSearch).samples).toEqual({ state: 'none' });
    const asking = reduceRun(view, {
      type: 'ui:samples-requested',
      part: 'validation',
      actual: 0,
      predicted: 0,
      offset: 0,
    });
    expect(reduceRun(asking, otherSearch).samples).toBe(asking.samples);
  });

  it('take only the page asked for', async () => {
    const { view, h } = await trainedView(1);
    const asking = reduceRun(view, {
      type: 'ui:samples-requested',
      part: 'validation',
      actual: 0,
      predicted: 0,
      offset: 2,
    });
    h.send({ type: 'find-samples', part: 'validation', actual: 0, predicted: 0, limit: 2 });
    expect(reduceRun(asking, await h.waitFor('samples')).samples).toBe(asking.samples);
    h.events.length = 0;
    h.send({ type: 'find-samples', part: 'validation', actual: 0, predicted: 0, limit: 2, offset: 2 });
    expect(reduceRun(asking, await h.waitFor('samples')).samples).toMatchObject({ state: 'ready', offset: 2 });
  });
});

describe('a single step from no run', () => {
  it('answers with progress only, so the view turns the start into paused', async () => {
    const h = new SessionHarness();
    await h.ready();
    let view = reduceAll(initialRunView(), h.events);
    const before = h.events.length;
    view = reduceRun(view, { type: 'ui:run-requested' });
    h.send({ type: 'step', settings: settings() });
    await h.waitFor('progress');
    view = reduceAll(view, h.events.slice(before));
    expect(view.run.phase).toBe('paused');
    expect(view.series.loss).toHaveLength(1);
    expect(view.progress?.step).toBe(1);
  });
});

describe('engine errors go where the user looks', () => {
  it('a dataset that cannot be read fails the data section with the file named', async () => {
    const h = new SessionHarness();
    let view = reduceRun(initialRunView(), { type: 'ui:dataset-requested', source: 'nowhere/train.npz' });
    h.send({ type: 'load-dataset', source: 'nowhere/train.npz' });
    await h.waitFor('error');
    view = reduceAll(view, h.events);
    expect(view.dataset.state).toBe('failed');
    if (view.dataset.state !== 'failed') return;
    expect(view.dataset.source).toBe('nowhere/train.npz');
    expect(view.dataset.problem.code).toBe('bad-data');
    expect(view.dataset.problem.message).toContain('nowhere/train.npz');
    expect(view.problem).toBeNull();
  });

  it('a refused start returns to the phase before it and says what to do', async () => {
    const h = new SessionHarness();
    h.send({ type: 'set-network', spec: TOY_NETWORK });
    await h.waitFor('network');
    let view = reduceRun(initialRunView(), { type: 'ui:run-requested' });
    h.send({ type: 'train', settings: settings() });
    view = reduceRun(view, await h.waitFor('error'));
    expect(view.run.phase).toBe('idle');
    expect(view.problem).toEqual({ code: 'not-ready', message: 'cannot continue yet', hint: 'Load a dataset first.' });
  });

  it('a sample search before any training fails the list, not the data section', async () => {
    const h = new SessionHarness();
    await h.ready();
    let view = reduceAll(initialRunView(), h.events);
    view = reduceRun(view, { type: 'ui:samples-requested', part: 'train', actual: 0, predicted: 1, offset: 0 });
    h.send({ type: 'find-samples', part: 'train', actual: 0, predicted: 1, limit: 4 });
    view = reduceRun(view, await h.waitFor('error'));
    expect(view.samples.state).toBe('failed');
    expect(view.dataset.state).toBe('ready');
    expect(view.problem).toBeNull();
  });

  it('a diverging run fails, keeps its charts, and shows the problem until dismissed', () => {
    let view = reduceRun(initialRunView(), { type: 'run-state', state: 'running', epoch: 0, step: 0, totalSteps: 9 });
    const withPoint = reduceRun(view, progressEvent(1, 2.3));
    view = reduceAll(withPoint, [
      { type: 'error', code: 'diverged', message: 'the loss became NaN at step 2', hint: 'Lower the learning rate.' },
      { type: 'run-state', state: 'failed', epoch: 0, step: 1, totalSteps: 9 },
    ]);
    expect(view.run.phase).toBe('failed');
    expect(view.problem?.code).toBe('diverged');
    expect(view.series).toBe(withPoint.series);
    expect(reduceRun(view, { type: 'ui:problem-dismissed' }).problem).toBeNull();
  });
});

describe('warnings', () => {
  it('keep one entry per code and layer, the latest message and step', () => {
    const warning = (message: string): RunAction => ({ type: 'warning', code: 'dead-relu', layer: 1, message });
    let view = reduceRun(initialRunView(), progressEvent(3, 1));
    view = reduceAll(view, [warning('first'), warning('again')]);
    view = reduceRun(view, { type: 'warning', code: 'loss-not-decreasing', layer: null, message: 'stalled' });
    expect(view.warnings).toEqual([
      { code: 'dead-relu', layer: 1, message: 'again', step: 3 },
      { code: 'loss-not-decreasing', layer: null, message: 'stalled', step: 3 },
    ]);
  });
});

describe('an engine restart', () => {
  it('keeps what the user saw, forgets what the engine held, and fails the interrupted run', async () => {
    const { view } = await trainedView(1);
    const running = reduceRun(view, { type: 'run-state', state: 'running', epoch: 1, step: 9, totalSteps: 18 });
    const after = reduceRun(running, { type: 'ui:engine-connected' });
    expect(after.series).toBe(view.series);
    expect(after.epochs).toBe(view.epochs);
    expect(after.confusion).toBe(view.confusion);
    expect(after.dataset).toEqual({ state: 'none' });
    expect(after.run.phase).toBe('failed');
    // The crash notice owns the message (tests/renderer/crash-recovery.test.ts), not the run bar.
    expect(after.problem).toBeNull();
  });

  it('after a finished run marks nothing failed', async () => {
    const { view } = await trainedView(1);
    const after = reduceRun(view, { type: 'ui:engine-connected' });
    expect(after.run.phase).toBe('done');
    expect(after.problem).toBeNull();
    expect(reduceRun(initialRunView(), { type: 'ui:engine-connected' })).toEqual(initialRunView());
  });
});

/** A progress event of one step, shaped as ProgressTracker.take() builds it. */
function progressEvent(step: number, loss: number): EventOf<'progress'> {
  return {
    type: 'progress',
    epoch: 1,
    epochs: 1,
    step,
    totalSteps: 9,
    batch: step,
    batchesPerEpoch: 9,
    recent: { steps: [step], loss: [loss], accuracy: [0.5] },
    loss,
    accuracy: 0.5,
    epochLoss: loss,
    epochAccuracy: 0.5,
    epochBatches: step,
    lossSmoothed: loss,
    accuracySmoothed: 0.5,
    samplesPerSecond: 100,
    etaSeconds: 1,
    learningRate: 0.1,
    layers: [{ layer: 0, path: '0', type: 'dense', gradNorm: 0.5, weightNorm: 2, updateRatio: 0.01 }],
  };
}
