/** The compare charts' data: each ticked run's curves on an x axis in epochs, redrawn only when something changed. */
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/engine/protocol';
import { comparedRuns, memoizedComparedRuns } from '../../src/renderer/charts/compare-series';
import { runColor } from '../../src/renderer/run/run-color';
import { emptySlice, initialRunView, type RunSlice, type RunView } from '../../src/renderer/run/run-state';

const summary = (runId: number, completedEpochs: number, completedSteps: number) =>
  ({ runId, name: `Run ${runId}`, completedEpochs, completedSteps }) as RunSummary;

function slice(steps: number, epochs: number[]): RunSlice {
  const base = emptySlice();
  const points = Array.from({ length: steps }, (_, i) => ({ x: i + 1, y: 1 / (i + 1) }));
  return {
    ...base,
    series: { ...base.series, lossSmoothed: points, accuracySmoothed: points.map((p) => ({ x: p.x, y: 1 - p.y })) },
    epochs: epochs.map((epoch) => ({
      epoch,
      trainLoss: 1,
      trainAccuracy: 0.5,
      validation: { loss: 0.5 / epoch, accuracy: 0.8, count: 10 },
    })),
  };
}

function view(compared: number[]): RunView {
  return {
    ...initialRunView(),
    // Run 1: batch size giving 4 steps per epoch; run 2: 2 steps per epoch, reporting progress live.
    runs: [summary(1, 2, 8), summary(2, 1, 2), summary(3, 0, 0)],
    slices: {
      1: slice(8, [1, 2]),
      2: { ...slice(3, [1]), progress: { batchesPerEpoch: 2 } as RunSlice['progress'] },
    },
    list: { compared, pendingDelete: null, deleting: [] },
  };
}

describe('compare series', () => {
  it('puts every run on an axis in epochs, with validation at each epoch’s end, in its colour and tick order', () => {
    const [second, first] = comparedRuns(view([2, 1]));
    expect(first.runId).toBe(1);
    expect(first.color).toBe(runColor(1));
    expect(first.loss.map((p) => p.x)).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
    expect(first.validationLoss).toEqual([
      { x: 1, y: 0.5 },
      { x: 2, y: 0.25 },
    ]);
    // A live run's steps per epoch come from its progress, not from its (unfinished) counters.
    expect(second.loss.map((p) => p.x)).toEqual([0.5, 1, 1.5]);
    expect(second.accuracy.at(-1)).toEqual({ x: 1.5, y: 1 - 1 / 3 });
  });

  it('leaves out runs being deleted, and shows a run with no slice yet as empty lines', () => {
    const deleting = { ...view([1, 2, 3]), list: { compared: [1, 2, 3], pendingDelete: null, deleting: [2] } };
    const runs = comparedRuns(deleting);
    expect(runs.map((run) => run.runId)).toEqual([1, 3]);
    expect(runs[1].loss).toEqual([]);
    const pending = {
      ...deleting,
      list: { ...deleting.list, deleting: [], pendingDelete: { runId: 1, name: 'Run 1', wasSelected: false } },
    };
    expect(comparedRuns(pending).map((run) => run.runId)).toEqual([2, 3]);
  });

  it('hands the charts the same array until the runs, their slices or the ticks change', () => {
    const select = memoizedComparedRuns();
    const shown = view([1, 2]);
    const first = select(shown);
    expect(select({ ...shown, problem: null })).toBe(first);
    expect(select({ ...shown, slices: { ...shown.slices } })).not.toBe(first);
  });
});
