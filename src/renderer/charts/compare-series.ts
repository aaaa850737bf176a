/**
 * The compared runs' curves, on one x axis in epochs, so runs with different batch sizes line up: the
 * smoothed training loss and accuracy per step (step / steps per epoch) and the validation values at the end
 * of each epoch. Each run keeps its colour (run-color.ts).
 */
import type { RunSummary } from '../../engine/protocol';
import { runColor } from '../run/run-color';
import { emptySlice, type Point, type RunSlice, type RunView } from '../run/run-state';

export interface ComparedRun {
  runId: number;
  name: string;
  color: string;
  loss: Point[];
  accuracy: Point[];
  validationLoss: Point[];
  validationAccuracy: Point[];
}

/** Steps per epoch: known exactly while the run reports progress, else from its counters. */
function stepsPerEpoch(run: RunSummary, slice: RunSlice): number {
  const live = slice.progress?.batchesPerEpoch;
  if (live) return live;
  return run.completedEpochs > 0 ? Math.max(1, Math.floor(run.completedSteps / run.completedEpochs)) : 1;
}

function comparedRun(run: RunSummary, slice: RunSlice): ComparedRun {
  const perEpoch = stepsPerEpoch(run, slice);
  const inEpochs = (points: readonly Point[]) => points.map((point) => ({ x: point.x / perEpoch, y: point.y }));
  const validated = slice.epochs.filter((row) => row.validation !== null);
  return {
    runId: run.runId,
    name: run.name,
    color: runColor(run.runId),
    loss: inEpochs(slice.series.lossSmoothed),
    accuracy: inEpochs(slice.series.accuracySmoothed),
    validationLoss: validated.map((row) => ({ x: row.epoch, y: row.validation?.loss ?? 0 })),
    validationAccuracy: validated.map((row) => ({ x: row.epoch, y: row.validation?.accuracy ?? 0 })),
  };
}

/** The runs ticked for comparison that still exist and are not being deleted, in tick order. */
export function tickedRuns(view: Pick<RunView, 'runs' | 'list'>): RunSummary[] {
  const hidden = new Set([...view.list.deleting, view.list.pendingDelete?.runId]);
  return view.list.compared.flatMap((runId) => {
    const run = view.runs.find((candidate) => candidate.runId === runId);
    return run && !hidden.has(runId) ? [run] : [];
  });
}

export function comparedRuns(view: Pick<RunView, 'runs' | 'slices' | 'list'>): ComparedRun[] {
  return tickedRuns(view).map((run) => comparedRun(run, view.slices[run.runId] ?? emptySlice()));
}

/**
 * The same array for as long as the runs, their slices and the ticks are the same objects: the charts
 * redraw only when one of them changed.
 */
export function memoizedComparedRuns(): (view: RunView) => ComparedRun[] {
  let inputs: unknown[] = [];
  let result: ComparedRun[] = [];
  return (view) => {
    const next = [view.runs, view.slices, view.list];
    if (next.some((input, i) => input !== inputs[i])) {
      inputs = next;
      result = comparedRuns(view);
    }
    return result;
  };
}
