/**
 * The run view's reducer: the previous view and one action in, the next view out. Engine errors carry no
 * request id, so each goes to whoever is waiting for an answer (a start, a dataset load, a sample search) and
 * otherwise to the general problem line; no error ever clears what is already shown (charts, the last good
 * dataset summary stay until something replaces them). The problem line goes when the state it described
 * changes (new network, data, weights or project, a run starting), so no stale error stays on screen.
 */
import type { EngineEvent } from '../../engine/protocol';
import { seriesWithEpoch, seriesWithProgress } from './reduce-series';
import type { RunAction } from './run-actions';
import {
  type EngineProblem,
  emptySeries,
  heldDataset,
  initialRunView,
  isRunActive,
  type RunView,
  type WarningEntry,
} from './run-state';

type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

/** Warnings are kept per code and layer (the engine reports each once per run; a restart may repeat them). */
const MAX_WARNINGS = 50;

export function reduceRun(view: RunView, action: RunAction): RunView {
  switch (action.type) {
    case 'ui:dataset-requested':
      return { ...view, dataset: { state: 'loading', source: action.source, previous: heldDataset(view.dataset) } };
    case 'ui:dataset-missing': {
      const { source, files } = action;
      return { ...view, dataset: { state: 'missing', source, files, previous: heldDataset(view.dataset) } };
    }
    case 'ui:dataset-note-dismissed': {
      const held = heldDataset(view.dataset);
      return held && view.dataset.state !== 'loading' ? { ...view, dataset: held } : view;
    }
    case 'ui:run-requested':
      return {
        ...view,
        run: { phase: 'starting', epoch: 0, step: 0, totalSteps: view.run.totalSteps },
        phaseBeforeStart: view.run.phase,
        progress: null,
        series: emptySeries(),
        smoothing: { loss: 0, accuracy: 0, weight: 0 },
        epochs: [],
        confusion: null,
        samples: { state: 'none' },
        warnings: [],
        problem: null,
      };
    case 'ui:samples-requested':
      return {
        ...view,
        samples: {
          state: 'loading',
          part: action.part,
          actual: action.actual,
          predicted: action.predicted,
          offset: action.offset,
        },
      };
    case 'ui:problem-dismissed':
      return { ...view, problem: null };
    case 'ui:engine-connected':
      return afterReconnect(view);
    case 'network':
      return { ...view, networkErrors: action.errors, problem: null };
    case 'dataset-loading':
      return { ...view, dataset: { state: 'loading', source: action.source, previous: heldDataset(view.dataset) } };
    case 'dataset': {
      const { type: _type, ...ready } = action;
      // A dataset event for the data already shown renames its classes; any other is freshly loaded data.
      const shown = view.dataset;
      const renamed = shown.state === 'ready' && shown.source === action.source;
      const ownClassNames = renamed ? shown.ownClassNames : action.summary.classNames;
      return { ...view, dataset: { state: 'ready', ...ready, ownClassNames }, problem: null };
    }
    case 'run-state':
      return {
        ...view,
        run: { phase: action.state, epoch: action.epoch, step: action.step, totalSteps: action.totalSteps },
        // A run (re)starting makes an older problem stale; a failure's own error arrives just before 'failed'.
        problem: action.state === 'running' ? null : view.problem,
      };
    case 'weights-imported':
    case 'project-opened':
    case 'project-cleared':
      return { ...view, problem: null };
    case 'progress':
      return withProgress(view, action);
    case 'epoch':
      return withEpoch(view, action);
    case 'warning':
      return { ...view, warnings: withWarning(view.warnings, action, view.progress?.step ?? 0) };
    case 'samples':
      return withSamples(view, action);
    case 'error':
      return withError(view, { code: action.code, message: action.message, hint: action.hint });
    default:
      return view;
  }
}

/**
 * A (re)started engine holds no network, data or run. What the user saw stays (charts, epochs, the matrix):
 * only the engine's side is reset, and a run it was in the middle of is marked failed.
 */
function afterReconnect(view: RunView): RunView {
  const fresh = initialRunView();
  if (!isRunActive(view.run.phase))
    return { ...view, dataset: fresh.dataset, networkErrors: [], samples: fresh.samples };
  return {
    ...view,
    dataset: fresh.dataset,
    networkErrors: [],
    samples: fresh.samples,
    // The crash notice (src/renderer/recovery) says what happened and offers to continue from the last epoch.
    run: { ...view.run, phase: 'failed' },
  };
}

function withProgress(view: RunView, event: EventOf<'progress'>): RunView {
  const { series, smoothing } = seriesWithProgress(view.series, view.smoothing, event);
  // A step from no run answers with progress only (the engine creates the run paused and stays so).
  const phase = view.run.phase === 'starting' ? 'paused' : view.run.phase;
  return {
    ...view,
    run: { phase, epoch: view.run.epoch, step: event.step, totalSteps: event.totalSteps },
    progress: {
      epoch: event.epoch,
      epochs: event.epochs,
      step: event.step,
      totalSteps: event.totalSteps,
      batch: event.batch,
      batchesPerEpoch: event.batchesPerEpoch,
      loss: event.loss,
      accuracy: event.accuracy,
      epochLoss: event.epochLoss,
      epochAccuracy: event.epochAccuracy,
      epochBatches: event.epochBatches,
      samplesPerSecond: event.samplesPerSecond,
      etaSeconds: event.etaSeconds,
      learningRate: event.learningRate,
    },
    series,
    smoothing,
  };
}

function withEpoch(view: RunView, event: EventOf<'epoch'>): RunView {
  const { report } = event;
  const validation = report.validation;
  return {
    ...view,
    run: { ...view.run, epoch: report.epoch },
    series: seriesWithEpoch(view.series, report, view.progress?.step ?? view.run.step),
    epochs: [
      ...view.epochs,
      {
        epoch: report.epoch,
        trainLoss: report.trainLoss,
        trainAccuracy: report.trainAccuracy,
        validation: validation && { loss: validation.loss, accuracy: validation.accuracy, count: validation.count },
      },
    ],
    confusion:
      validation && event.validationPart
        ? { epoch: report.epoch, part: event.validationPart, matrix: validation.confusion }
        : { epoch: report.epoch, part: 'train', matrix: report.trainConfusion },
    checkpoint: event.checkpoint,
  };
}

/** Only the answer to the cell asked for: other views (the inspector) search samples too. */
function withSamples(view: RunView, event: EventOf<'samples'>): RunView {
  const asked = view.samples;
  const answers =
    asked.state === 'loading' &&
    asked.part === event.part &&
    asked.actual === event.actual &&
    asked.predicted === event.predicted &&
    asked.offset === event.offset;
  if (!answers) return view;
  const { type: _type, ...found } = event;
  return { ...view, samples: { state: 'ready', ...found } };
}

function withWarning(warnings: readonly WarningEntry[], event: EventOf<'warning'>, step: number): WarningEntry[] {
  const entry = { code: event.code, layer: event.layer, message: event.message, step };
  const kept = warnings.filter((w) => w.code !== entry.code || w.layer !== entry.layer);
  return [...kept, entry].slice(-MAX_WARNINGS);
}

function withError(view: RunView, problem: EngineProblem): RunView {
  // The Try panel asked for that prediction and shows the problem itself; nothing here is affected.
  if (problem.code === 'bad-image') return view;
  if (view.run.phase === 'starting') {
    return { ...view, run: { ...view.run, phase: view.phaseBeforeStart }, problem };
  }
  const { dataset, samples } = view;
  if (dataset.state === 'loading' || problem.code === 'bad-data') {
    const source = dataset.state === 'none' ? '' : dataset.source;
    return { ...view, dataset: { state: 'failed', source, problem, previous: heldDataset(dataset) } };
  }
  if (samples.state === 'loading') {
    const { part, actual, predicted } = samples;
    return { ...view, samples: { state: 'failed', part, actual, predicted, problem } };
  }
  return { ...view, problem };
}
