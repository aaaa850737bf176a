/** Which run the panels show: its slice is mirrored at the top level of the view. */
import { emptySlice, type RunView } from './run-state';

/** Shows run `runId` in the panels (its charts, confusion matrix, epochs). */
export function selectRun(view: RunView, runId: number | null): RunView {
  const slice = runId === null ? emptySlice() : (view.slices[runId] ?? emptySlice());
  const { run: _position, ...shown } = slice;
  return { ...view, ...shown, selectedRunId: runId, samples: { state: 'none' } };
}
