/**
 * The run view's reducer: the previous view and one action in, the next view out. Every engine reply and
 * error carries the request id of the command it answers, and the UI notes the ids it waits on (a start, a
 * dataset load, a sample search), so an error goes exactly to whoever sent the command, and otherwise to the
 * general problem line. Events about a run carry its id and update that run's slice; the selected run's slice
 * is mirrored at the top level for the panels, and `run` (the position the controls act on) follows the run
 * trained last. No error ever clears what is already shown (charts, the last good dataset summary stay until
 * something replaces them); the problem line goes when the state it described changes (new network, data,
 * weights or project, a run starting), so no stale error stays on screen.
 */
import type { EngineEvent, RunSummary } from '../../engine/protocol';
import { listWithout, reduceRunList } from './reduce-run-list';
import { seriesWithEpoch, seriesWithProgress } from './reduce-series';
import type { RunAction } from './run-actions';
import {
  type EngineProblem,
  emptySlice,
  heldDataset,
  initialRunView,
  isRunActive,
  listedRuns,
  type RunSlice,
  type RunView,
  type WarningEntry,
} from './run-state';
import { selectRun } from './select-run';
import { sliceFromDetails } from './slice-from-details';

type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

/** Warnings are kept per code and layer (the engine reports each once per run; a restart may repeat them). */
const MAX_WARNINGS = 50;

export function reduceRun(view: RunView, action: RunAction): RunView {
  switch (action.type) {
    case 'ui:dataset-requested':
      return {
        ...view,
        dataset: { state: 'loading', source: action.source, previous: heldDataset(view.dataset) },
        pending: { ...view.pending, dataset: action.requestId },
      };
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
        run: { ...view.run, phase: 'starting' },
        phaseBeforeStart: view.run.phase,
        samples: { state: 'none' },
        problem: null,
        pending: { ...view.pending, run: action.requestId },
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
        pending: { ...view.pending, samples: action.requestId },
      };
    case 'ui:run-selected':
      return selectRun(view, action.runId);
    case 'ui:problem-dismissed':
      return { ...view, problem: null };
    case 'ui:run-compare-toggled':
    case 'ui:run-delete-pending':
    case 'ui:run-delete-undone':
    case 'ui:run-delete-sent':
    case 'ui:run-delete-failed':
      return reduceRunList(view, action);
    case 'ui:engine-connected':
      return afterReconnect(view);
    case 'network':
      return { ...view, networkErrors: action.errors, problem: null };
    case 'dataset-loading':
      return { ...view, dataset: { state: 'loading', source: action.source, previous: heldDataset(view.dataset) } };
    case 'dataset': {
      const { type: _type, requestId: _id, ...ready } = action;
      // A dataset event for the data already shown renames its classes; any other is freshly loaded data.
      const shown = view.dataset;
      const renamed = shown.state === 'ready' && shown.source === action.source;
      const ownClassNames = renamed ? shown.ownClassNames : action.summary.classNames;
      return { ...view, dataset: { state: 'ready', ...ready, ownClassNames }, problem: null };
    }
    case 'run':
      return withSummary(view, action.run, action.requestId);
    case 'run-deleted':
      return withoutRun(view, action.runId);
    case 'run-state': {
      const next = withSlice(view, action.runId, (slice) => ({
        ...slice,
        run: { phase: action.state, epoch: action.epoch, step: action.step, totalSteps: action.totalSteps },
      }));
      // A run (re)starting makes an older problem stale; a failure's own error arrives just before 'failed'.
      return action.state === 'running' ? { ...next, problem: null } : next;
    }
    case 'weights-imported':
      // Imported weights are a run of their own; the one who imported them selects it.
      return { ...withSummary(view, action.run, null), problem: null };
    case 'progress':
      return withSlice(view, action.runId, (slice) => withProgress(slice, action));
    case 'epoch':
      return withSlice(view, action.runId, (slice) => withEpoch(slice, action));
    case 'warning':
      return withSlice(view, action.runId, (slice) => ({
        ...slice,
        warnings: withWarning(slice.warnings, action, slice.progress?.step ?? 0),
      }));
    case 'samples':
      return withSamples(view, action);
    case 'project-opened':
      return withProject(view, action);
    case 'runs-restored':
      return withRestoredRuns(view, action);
    case 'project-cleared':
      return { ...initialRunView(), dataset: view.dataset, networkErrors: view.networkErrors, problem: null };
    case 'error':
      return withError(view, action);
    default:
      return view;
  }
}

/** Applies `update` to one run's slice, and to the top level where that run is selected or controlled. */
function withSlice(view: RunView, runId: number, update: (slice: RunSlice) => RunSlice): RunView {
  const slice = update(view.slices[runId] ?? emptySlice());
  let next: RunView = { ...view, slices: { ...view.slices, [runId]: slice } };
  if (runId === view.selectedRunId) {
    const { run: _position, ...shown } = slice;
    next = { ...next, ...shown };
  }
  if (runId === view.activeRunId) next = { ...next, run: slice.run };
  return next;
}

/**
 * A run's summary is kept in the list; the one that answers the UI's train or step is the run the controls
 * act on from now on, and it is shown (a new run starts with empty charts; a continued one keeps its own).
 */
function withSummary(view: RunView, summary: RunSummary, requestId: number | null): RunView {
  const at = view.runs.findIndex((run) => run.runId === summary.runId);
  const runs = at >= 0 ? view.runs.map((run, i) => (i === at ? summary : run)) : [...view.runs, summary];
  let next: RunView = { ...view, runs };
  if (requestId !== null && requestId === view.pending.run) {
    next = { ...next, activeRunId: summary.runId, pending: { ...next.pending, run: null } };
    next = selectRun(next, summary.runId);
    next = withSlice(next, summary.runId, (slice) => ({
      ...slice,
      run: { ...slice.run, phase: summary.state, epoch: summary.completedEpochs, step: summary.completedSteps },
    }));
  }
  return next;
}

function withoutRun(view: RunView, runId: number): RunView {
  const { [runId]: _removed, ...slices } = view.slices;
  const { [runId]: _lost, ...lostRuns } = view.lostRuns;
  const runs = view.runs.filter((run) => run.runId !== runId);
  const next: RunView = {
    ...view,
    runs,
    slices,
    lostRuns,
    activeRunId: view.activeRunId === runId ? null : view.activeRunId,
    list: listWithout(view.list, runId),
  };
  if (view.selectedRunId !== runId) return next;
  return selectRun(next, listedRuns(next).at(-1)?.runId ?? null);
}

function withProject(view: RunView, event: EventOf<'project-opened'>): RunView {
  const fresh = initialRunView();
  const slices = Object.fromEntries(event.runs.map((details) => [details.summary.runId, sliceFromDetails(details)]));
  const last = event.runs.at(-1)?.summary.runId ?? null;
  const opened: RunView = {
    ...fresh,
    dataset: view.dataset,
    networkErrors: view.networkErrors,
    runs: event.runs.map((details) => details.summary),
    slices,
    activeRunId: last,
    run: last === null ? fresh.run : slices[last].run,
  };
  return selectRun(opened, last);
}

/**
 * After an engine restart: the runs the engine took back show what it now holds (a run that trained on after the
 * last save is back as saved, its charts with it; its warnings stay); the others are marked lost, and one that
 * was training ends 'failed'.
 */
function withRestoredRuns(view: RunView, event: EventOf<'runs-restored'>): RunView {
  let next = view;
  for (const details of event.runs) {
    const { runId, completedSteps } = details.summary;
    const shown = next.runs.find((run) => run.runId === runId);
    next = withSummary(next, details.summary, null);
    // A run back as it was keeps its charts as shown (per-layer series included); one back as an earlier save
    // shows that save's history, the steps after it being gone.
    if (shown && shown.completedSteps <= completedSteps && next.slices[runId]) continue;
    const { warnings, checkpoint } = next.slices[runId] ?? emptySlice();
    next = withSlice(next, runId, () => ({ ...sliceFromDetails(details), warnings, checkpoint }));
  }
  const lostRuns = { ...next.lostRuns };
  for (const { runId, name } of event.lost) {
    lostRuns[runId] =
      `${name} was lost when the engine restarted: it trained after the last save the engine could bring it back from. Its charts are kept, but it cannot be exported, inspected, tried or continued.`;
    // Nothing can continue it any more (so "Continue" is not offered); a run training at the crash ended there.
    const summary = next.runs.find((run) => run.runId === runId);
    if (summary) {
      const state = summary.state === 'running' || summary.state === 'paused' ? 'failed' : summary.state;
      next = withSummary(next, { ...summary, state, continuable: false }, null);
    }
  }
  return { ...next, lostRuns };
}

/**
 * A (re)started engine holds no network, data or runs. What the user saw stays (charts, epochs, the matrix):
 * only the engine's side is reset, and a run it was in the middle of is marked failed.
 */
function afterReconnect(view: RunView): RunView {
  const fresh = initialRunView();
  const reset = { ...view, dataset: fresh.dataset, networkErrors: [], samples: fresh.samples, pending: fresh.pending };
  if (!isRunActive(view.run.phase)) return reset;
  // The crash notice (src/renderer/recovery) says what happened and offers to continue from the last epoch.
  const failed = { ...reset, run: { ...view.run, phase: 'failed' as const } };
  if (view.activeRunId === null) return failed;
  return withSlice(failed, view.activeRunId, (slice) => ({ ...slice, run: { ...slice.run, phase: 'failed' } }));
}

function withProgress(slice: RunSlice, event: EventOf<'progress'>): RunSlice {
  const { series, smoothing } = seriesWithProgress(slice.series, slice.smoothing, event);
  return {
    ...slice,
    run: { ...slice.run, step: event.step, totalSteps: event.totalSteps },
    progress: {
      runId: event.runId,
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

function withEpoch(slice: RunSlice, event: EventOf<'epoch'>): RunSlice {
  const { report } = event;
  const validation = report.validation;
  return {
    ...slice,
    run: { ...slice.run, epoch: report.epoch },
    series: seriesWithEpoch(slice.series, report, slice.progress?.step ?? slice.run.step),
    epochs: [
      ...slice.epochs,
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

/** Only the answer to the cell asked for last: other views (the inspector) search samples too. */
function withSamples(view: RunView, event: EventOf<'samples'>): RunView {
  const asked = view.samples;
  if (asked.state !== 'loading' || event.requestId !== view.pending.samples || asked.offset !== event.offset)
    return view;
  const { type: _type, requestId: _id, runId: _run, ...found } = event;
  return { ...view, samples: { state: 'ready', ...found }, pending: { ...view.pending, samples: null } };
}

function withWarning(warnings: readonly WarningEntry[], event: EventOf<'warning'>, step: number): WarningEntry[] {
  const entry = { code: event.code, layer: event.layer, message: event.message, step };
  const kept = warnings.filter((w) => w.code !== entry.code || w.layer !== entry.layer);
  return [...kept, entry].slice(-MAX_WARNINGS);
}

function withError(view: RunView, event: EventOf<'error'>): RunView {
  const problem: EngineProblem = { code: event.code, message: event.message, hint: event.hint };
  // The Try panel asked for that prediction and shows the problem itself; nothing here is affected.
  if (problem.code === 'bad-image') return view;
  const { pending } = view;
  const id = event.requestId;
  if (id !== null && id === pending.run) {
    const phase = view.phaseBeforeStart;
    return { ...view, run: { ...view.run, phase }, problem, pending: { ...pending, run: null } };
  }
  if (id !== null && id === pending.dataset) {
    const { dataset } = view;
    const source = dataset.state === 'none' ? '' : dataset.source;
    return {
      ...view,
      dataset: { state: 'failed', source, problem, previous: heldDataset(dataset) },
      pending: { ...pending, dataset: null },
    };
  }
  if (id !== null && id === pending.samples && view.samples.state === 'loading') {
    const { part, actual, predicted } = view.samples;
    return {
      ...view,
      samples: { state: 'failed', part, actual, predicted, problem },
      pending: { ...pending, samples: null },
    };
  }
  return { ...view, problem };
}
