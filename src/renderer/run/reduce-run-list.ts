/**
 * The runs list's part of the run view: ticks for comparison and deleting with undo. A delete first hides the
 * run (`pendingDelete`) and only reaches the engine when the undo time runs out, another run is deleted or
 * the project is saved (run-deletion.ts); until the engine confirms, the run stays hidden (`deleting`), and
 * if the engine refuses it comes back. Only one delete waits for undo at a time, as in a mail client.
 */
import type { RunAction } from './run-actions';
import { listedRuns, type RunListState, type RunView } from './run-state';
import { selectRun } from './select-run';

type ListAction = Extract<
  RunAction,
  {
    type:
      | 'ui:run-compare-toggled'
      | 'ui:run-delete-pending'
      | 'ui:run-delete-undone'
      | 'ui:run-delete-sent'
      | 'ui:run-delete-failed';
  }
>;

export function reduceRunList(view: RunView, action: ListAction): RunView {
  const { list } = view;
  switch (action.type) {
    case 'ui:run-compare-toggled': {
      const { runId } = action;
      if (!view.runs.some((run) => run.runId === runId)) return view;
      const compared = list.compared.includes(runId)
        ? list.compared.filter((id) => id !== runId)
        : [...list.compared, runId];
      return { ...view, list: { ...list, compared } };
    }
    case 'ui:run-delete-pending': {
      const run = view.runs.find((candidate) => candidate.runId === action.runId);
      if (!run || list.deleting.includes(run.runId)) return view;
      const wasSelected = view.selectedRunId === run.runId;
      const next: RunView = {
        ...view,
        list: { ...list, pendingDelete: { runId: run.runId, name: run.name, wasSelected } },
      };
      return wasSelected ? selectRun(next, listedRuns(next).at(-1)?.runId ?? null) : next;
    }
    case 'ui:run-delete-undone': {
      const pending = list.pendingDelete;
      if (pending === null) return view;
      const next: RunView = { ...view, list: { ...list, pendingDelete: null } };
      return pending.wasSelected ? selectRun(next, pending.runId) : next;
    }
    case 'ui:run-delete-sent': {
      const pending = list.pendingDelete?.runId === action.runId ? null : list.pendingDelete;
      return { ...view, list: { ...list, pendingDelete: pending, deleting: [...list.deleting, action.runId] } };
    }
    case 'ui:run-delete-failed':
      return { ...view, list: { ...list, deleting: list.deleting.filter((id) => id !== action.runId) } };
  }
}

/** A run the engine deleted leaves every part of the list's state. */
export function listWithout(list: RunListState, runId: number): RunListState {
  return {
    compared: list.compared.filter((id) => id !== runId),
    pendingDelete: list.pendingDelete?.runId === runId ? null : list.pendingDelete,
    deleting: list.deleting.filter((id) => id !== runId),
  };
}
