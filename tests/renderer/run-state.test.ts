/**
 * The run view's reducer fed with real events: an engine session trains the toy set in-process and every
 * event it posts goes through reduceRun, as the app's engine sync does. The chart series, epochs and
 * confusion matrix must hold exactly what the events carried; errors must land where the user looks.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/protocol';
import { reduceRun } from '../../src/renderer/run/reduce-run';
import { seriesWithProgress } from '../../src/renderer/run/reduce-series';
import type { RunAction } from '../../src/renderer/run/run-actions';
import { emptySeries, initialRunView, isRunActive, type RunView } from '../../src/renderer/run/run-state';
import { SessionHarness, settings } from '../protocol/session-harness';
import { TOY_NETWORK } from '../protocol/toy-data';

type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

const reduceAll = (view: RunView, actions: readonly RunAction[]) => actions.reduce(reduceRun, view);

/** The view after the UI loaded the toy set and trained it, with the events that built it. */
async function trainedView(epochs = 2, h = new SessionHarness()) {
  h.send({ type: 'set-network', spec: TOY_NETWORK });
  const loading = h.send({ type: 'load-dataset', source: 'toy.npz' });
  let view = reduceRun(initialRunView(), { type: 'ui:dataset-requested', source: 'toy.npz', requestId: loading });
  await h.waitFor('dataset');
  view = reduceAll(view, h.events);
  const before = h.events.length;
  const requestId = h.send({ type: 'train', settings: settings({ epochs }) });
  view = reduceRun(view, { type: 'ui:run-requested', requestId });
  expect(view.run.phase).toBe('starting');
  await h.waitFor('run-state', (e) => e.state === 'done');
  const runEvents = h.events.slice(before);
  return { view: reduceAll(view, runEvents), runEvents, h };
}

/** Trains a second run in the same session, reducing its events onto `view`. */
async function trainAgain(view: RunView, h: SessionHarness, epochs = 1) {
  const before = h.events.length;
  const requestId = h.send({ type: 'train', settings: settings({ epochs, learningRate: 0.05 }) });
  const next = reduceRun(view, { type: 'ui:run-requested', requestId });
  await h.waitFor('run-state', (e) => e.runId === 2 && e.state === 'done');
  return reduceAll(next, h.events.slice(before));
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
    expect(view.series.layers.map((l) => [l.layer, l.path, l.type])).toEqual([
      [0, '0', 'conv2d'],
      [4, '4', 'dense'],
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

  it('starts a new run with empty charts, keeps the first run selectable with its own charts', async () => {
    const { view, h } = await trainedView();
    expect(view.runs.map((run) => [run.runId, run.name, run.state])).toEqual([[1, 'Run 1', 'done']]);
    const requestId = h.send({ type: 'train', settings: settings({ epochs: 1 }) });
    const starting = reduceRun(view, { type: 'ui:run-requested', requestId });
    const answer = await h.waitFor('run', (e) => e.requestId === requestId);
    const again = reduceRun(starting, answer);
    expect(again.selectedRunId).toBe(2);
    expect(again.activeRunId).toBe(2);
    expect(again.series.loss).toEqual([]);
    expect(again.series.layers).toEqual([]);
    expect(again.epochs).toEqual([]);
    expect(again.confusion).toBeNull();
    expect(again.dataset).toBe(view.dataset);
    const first = reduceRun(again, { type: 'ui:run-selected', runId: 1 });
    expect(first.series).toBe(view.series);
    expect(first.epochs).toBe(view.epochs);
    expect(first.confusion).toBe(view.confusion);
  });

  it('updates only the selected run’s charts while another run trains', async () => {
    const { view, h } = await trainedView(1);
    const second = await trainAgain(reduceRun(view, { type: 'ui:run-selected', runId: 1 }), h);
    expect(second.runs.map((run) => run.runId)).toEqual([1, 2]);
    expect(second.slices[2].epochs).toHaveLength(1);
    const shown = reduceRun(second, { type: 'ui:run-selected', runId: 1 });
    expect(shown.series).toBe(view.series);
    const later = reduceRun(shown, { ...progressEvent(10, 0.1), runId: 2 });
    expect(later.series).toBe(shown.series);
    expect(later.slices[2].series.loss.at(-1)).toEqual({ x: 10, y: 0.1 });
    expect(later.run.step).toBe(10);
  });

  it('lists the samples of a confusion cell with their probabilities', async () => {
    const { view, h } = await trainedView();
    const requestId = h.send({ type: 'find-samples', runId: 1, part: 'validation', actual: 0, predicted: 0, limit: 4 });
    let next = reduceRun(view, {
      type: 'ui:samples-requested',
      part: 'validation',
      actual: 0,
      predicted: 0,
      offset: 0,
      requestId,
    });
    expect(next.samples).toEqual({ state: 'loading', part: 'validation', actual: 0, predicted: 0, offset: 0 });
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
    h.send({ type: 'find-samples', runId: 1, part: 'validation', actual: 1, predicted: 1, limit: 2 });
    const otherSearch = await h.waitFor('samples');
    expect(reduceRun(view, otherSearch).samples).toEqual({ state: 'none' });
    const asking = reduceRun(view, {
      type: 'ui:samples-requested',
      part: 'validation',
      actual: 1,
      predicted: 1,
      offset: 0,
      requestId: otherSearch.requestId + 1,
    });
    expect(reduceRun(asking, otherSearch).samples).toBe(asking.samples);
  });

  it('take only the page asked for', async () => {
    const { view, h } = await trainedView(1);
    const cell = { runId: 1, part: 'validation', actual: 0, predicted: 0, limit: 2 } as const;
    const firstPage = h.send({ type: 'find-samples', ...cell });
    const firstAnswer = await h.waitFor('samples', (e) => e.requestId === firstPage);
    const secondPage = h.send({ type: 'find-samples', ...cell, offset: 2 });
    const secondAnswer = await h.waitFor('samples', (e) => e.requestId === secondPage);
    const { limit: _limit, runId: _runId, ...asked } = cell;
    const asking = reduceRun(view, { type: 'ui:samples-requested', ...asked, offset: 2, requestId: firstPage });
    // The answer to the request noted, but for another page than the one now shown, is not taken.
    expect(reduceRun(asking, { ...firstAnswer, offset: 0 }).samples).toBe(asking.samples);
    const current = reduceRun(view, { type: 'ui:samples-requested', ...asked, offset: 2, requestId: secondPage });
    expect(reduceRun(current, secondAnswer).samples).toMatchObject({ state: 'ready', offset: 2 });
  });
});

describe('a single step from no run', () => {
  it('creates a paused run and shows its one step', async () => {
    const h = new SessionHarness();
    await h.ready();
    let view = reduceAll(initialRunView(), h.events);
    const before = h.events.length;
    const requestId = h.send({ type: 'step', settings: settings() });
    view = reduceRun(view, { type: 'ui:run-requested', requestId });
    await h.waitFor('ack', (e) => e.requestId === requestId);
    view = reduceAll(view, h.events.slice(before));
    expect(view.run.phase).toBe('paused');
    expect(view.series.loss).toHaveLength(1);
    expect(view.progress?.step).toBe(1);
  });
});

describe('engine errors go where the user looks', () => {
  it('a dataset that cannot be read fails the data section with the file named', async () => {
    const h = new SessionHarness();
    const requestId = h.send({ type: 'load-dataset', source: 'nowhere/train.npz' });
    let view = reduceRun(initialRunView(), { type: 'ui:dataset-requested', source: 'nowhere/train.npz', requestId });
    expect((await h.waitFor('error')).requestId).toBe(requestId);
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
    const requestId = h.send({ type: 'train', settings: settings() });
    let view = reduceRun(initialRunView(), { type: 'ui:run-requested', requestId });
    view = reduceRun(view, await h.waitFor('error'));
    expect(view.run.phase).toBe('idle');
    expect(view.problem).toEqual({ code: 'not-ready', message: 'cannot continue yet', hint: 'Load a dataset first.' });
  });

  it('a sample search of a run that does not exist fails the list, not the data section', async () => {
    const h = new SessionHarness();
    await h.ready();
    let view = reduceAll(initialRunView(), h.events);
    const requestId = h.send({ type: 'find-samples', runId: 1, part: 'train', actual: 0, predicted: 1, limit: 4 });
    view = reduceRun(view, {
      type: 'ui:samples-requested',
      part: 'train',
      actual: 0,
      predicted: 1,
      offset: 0,
      requestId,
    });
    view = reduceRun(view, await h.waitFor('error'));
    expect(view.samples.state).toBe('failed');
    expect(view.dataset.state).toBe('ready');
    expect(view.problem).toBeNull();
  });

  it('an error answering no pending request goes to the problem line, even a bad-data one while data loads', () => {
    const view = reduceRun(initialRunView(), { type: 'ui:dataset-requested', source: 'a.npz', requestId: 4 });
    const error = { type: 'error', requestId: 9, runId: null, code: 'bad-data', message: 'x', hint: 'y' } as const;
    const next = reduceRun(view, error);
    expect(next.dataset).toEqual({ state: 'loading', source: 'a.npz', previous: undefined });
    expect(next.problem).toEqual({ code: 'bad-data', message: 'x', hint: 'y' });
  });

  it('a diverging run ends diverged, keeps its charts, and shows the problem until dismissed', async () => {
    const { view: trained, h } = await trainedView(1);
    const requestId = h.send({ type: 'train', settings: settings({ epochs: 1 }) });
    const answer = await h.waitFor('run', (e) => e.requestId === requestId);
    let view = reduceAll(trained, [{ type: 'ui:run-requested', requestId }, answer]);
    view = reduceRun(view, { type: 'run-state', runId: 2, state: 'running', epoch: 0, step: 0, totalSteps: 9 });
    const withPoint = reduceRun(view, { ...progressEvent(1, 2.3), runId: 2 });
    const nan = 'the loss became NaN at step 2';
    view = reduceAll(withPoint, [
      { type: 'error', requestId: null, runId: 2, code: 'diverged', message: nan, hint: 'Lower the learning rate.' },
      { type: 'run-state', runId: 2, state: 'diverged', epoch: 0, step: 1, totalSteps: 9 },
    ]);
    expect(view.run.phase).toBe('diverged');
    expect(view.slices[2].run.phase).toBe('diverged');
    expect(view.problem?.code).toBe('diverged');
    expect(view.series).toBe(withPoint.series);
    expect(reduceRun(view, { type: 'ui:problem-dismissed' }).problem).toBeNull();
  });
});

describe('warnings', () => {
  it('keep one entry per code and layer, the latest message and step', () => {
    const warning = (message: string): RunAction => ({
      type: 'warning',
      runId: 1,
      code: 'dead-relu',
      layer: 1,
      message,
    });
    let view: RunView = { ...initialRunView(), selectedRunId: 1 };
    view = reduceRun(view, progressEvent(3, 1));
    view = reduceAll(view, [warning('first'), warning('again')]);
    view = reduceRun(view, { type: 'warning', runId: 1, code: 'loss-not-decreasing', layer: null, message: 'stalled' });
    expect(view.warnings).toEqual([
      { code: 'dead-relu', layer: 1, message: 'again', step: 3 },
      { code: 'loss-not-decreasing', layer: null, message: 'stalled', step: 3 },
    ]);
  });
});

describe('an engine restart', () => {
  it('keeps what the user saw, forgets what the engine held, and fails the interrupted run', async () => {
    const { view } = await trainedView(1);
    const running = reduceRun(view, {
      type: 'run-state',
      runId: 1,
      state: 'running',
      epoch: 1,
      step: 9,
      totalSteps: 18,
    });
    const after = reduceRun(running, { type: 'ui:engine-connected' });
    expect(after.series).toBe(view.series);
    expect(after.epochs).toBe(view.epochs);
    expect(after.confusion).toBe(view.confusion);
    expect(after.dataset).toEqual({ state: 'none' });
    expect(after.run.phase).toBe('failed');
    expect(after.slices[1].run.phase).toBe('failed');
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

describe('per-layer series', () => {
  it('gives each layer inside a residual block its own series, keyed by path, in network order', () => {
    const nested = (step: number): EventOf<'progress'> => ({
      ...progressEvent(step, 1),
      layers: [
        { layer: 0, path: '0', type: 'conv2d', gradNorm: 0.1, weightNorm: 1, updateRatio: 0.001 },
        { layer: 3, path: '3.body.0', type: 'conv2d', gradNorm: 0.2, weightNorm: 1, updateRatio: 0.002 },
        { layer: 3, path: '3.body.1', type: 'batchnorm', gradNorm: 0.3, weightNorm: 1, updateRatio: 0.003 },
        { layer: 5, path: '5', type: 'dense', gradNorm: 0.4, weightNorm: 1, updateRatio: 0.004 },
      ],
    });
    const smoothing = { loss: 0, accuracy: 0, weight: 0 };
    const once = seriesWithProgress(emptySeries(), smoothing, nested(1));
    const twice = seriesWithProgress(once.series, once.smoothing, nested(2));
    expect(twice.series.layers.map((l) => [l.layer, l.path, l.type])).toEqual([
      [0, '0', 'conv2d'],
      [3, '3.body.0', 'conv2d'],
      [3, '3.body.1', 'batchnorm'],
      [5, '5', 'dense'],
    ]);
    expect(twice.series.layers[1].gradNorm).toEqual([
      { x: 1, y: 0.2 },
      { x: 2, y: 0.2 },
    ]);
    expect(twice.series.layers[2].updateRatio).toEqual([
      { x: 1, y: 0.003 },
      { x: 2, y: 0.003 },
    ]);
  });
});

/** A progress event of one step, shaped as ProgressTracker.take() builds it. */
function progressEvent(step: number, loss: number): EventOf<'progress'> {
  return {
    type: 'progress',
    runId: 1,
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
