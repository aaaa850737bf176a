/** The run bar's line on where the shown run trains: "GPU · adapter" or "CPU · N threads", and why not the GPU. */
import { useRun } from '../run/run-store';
import { selectThreadsReport } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { computeLine } from './compute-choices';
import { useCompute } from './use-compute';

export function RunComputeLine() {
  const runId = useRun((view) => view.selectedRunId ?? view.activeRunId);
  const compute = useCompute((state) => (runId === null ? undefined : state.runs[runId]));
  const threads = useStudio(selectThreadsReport);
  // Runs opened from a project, or trained before the engine restarted, have no report from this engine. The line
  // is there even when empty, so the run bar keeps its height when a run starts.
  return (
    <p className="run-bar__compute" data-testid="run-compute" title={compute?.adapter ?? undefined}>
      {compute ? computeLine(compute, threads) : ''}
    </p>
  );
}
