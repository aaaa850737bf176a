/**
 * "Showing Run 2 ▾" above the charts: which run the Charts, Inspector and Try tabs show, switchable without
 * going to the Runs tab. Hidden until there are two runs to choose from.
 */
import type { RunController } from '../run/run-controller';
import { listedRuns } from '../run/run-state';
import { useRun } from '../run/run-store';

export function RunPicker({ controller }: { controller: RunController }) {
  const runs = useRun((view) => view.runs);
  const list = useRun((view) => view.list);
  const selectedRunId = useRun((view) => view.selectedRunId);
  const shown = listedRuns({ runs, list });
  if (shown.length < 2 || selectedRunId === null) return null;
  return (
    <label className="run-picker">
      Showing
      <select
        value={selectedRunId}
        onChange={(event) => controller.selectRun(Number(event.target.value))}
        data-testid="run-picker"
      >
        {shown.map((run) => (
          <option key={run.runId} value={run.runId}>
            {run.name}
          </option>
        ))}
      </select>
    </label>
  );
}
