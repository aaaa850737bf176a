/** Every run of the session or project, oldest first, minus those being deleted. */
import type { RunController } from '../run/run-controller';
import { isRunActive, listedRuns } from '../run/run-state';
import { useRun } from '../run/run-store';
import { RunRow } from './RunRow';

export function RunsList({ controller }: { controller: RunController }) {
  const runs = useRun((view) => view.runs);
  const list = useRun((view) => view.list);
  const selectedRunId = useRun((view) => view.selectedRunId);
  const lostRuns = useRun((view) => view.lostRuns);
  const trainingRunId = useRun((view) => (isRunActive(view.run.phase) ? view.activeRunId : null));
  const shown = listedRuns({ runs, list });
  if (shown.length === 0) {
    return (
      <p className="runs__empty" data-testid="runs-empty">
        No runs yet. Every Train starts a run; each keeps its network, settings, charts and weights, so you can edit the
        network, train again and compare.
      </p>
    );
  }
  return (
    <ul className="runs__list" aria-label="Runs" data-testid="runs-list">
      {shown.map((run) => (
        <RunRow
          key={run.runId}
          run={run}
          selected={run.runId === selectedRunId}
          compared={list.compared.includes(run.runId)}
          training={run.runId === trainingRunId}
          lost={lostRuns[run.runId] ?? null}
          controller={controller}
        />
      ))}
    </ul>
  );
}
