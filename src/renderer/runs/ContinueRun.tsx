/**
 * "Continue training" for the selected run: N more epochs from exactly where it stopped (its own network,
 * settings and optimizer state; the loaded data must be the data it trained on). Shown while no run trains
 * and the selected run kept its continue-state.
 */
import { useState } from 'react';
import type { RunController } from '../run/run-controller';
import { isRunActive, selectedRun } from '../run/run-state';
import { useRun } from '../run/run-store';
import { EditedSinceRun } from './EditedSinceRun';
import './runs.css';

/** `testId` tells the run bar's copy from the runs list's (both are in the page). */
export function ContinueRun({ controller, testId = 'continue-run' }: { controller: RunController; testId?: string }) {
  const run = useRun(selectedRun);
  const busy = useRun((view) => isRunActive(view.run.phase));
  const [epochs, setEpochs] = useState(1);
  if (run === null || !run.continuable || busy) return null;
  return (
    <span className="continue-run">
      <button
        type="button"
        className="button"
        data-testid={testId}
        onClick={() => controller.continueRun(run.runId, epochs)}
        title={`Train ${run.name} on exactly where it stopped, as if it had been started with more epochs`}
      >
        Continue {run.name}
      </button>
      <label className="continue-run__epochs">
        +
        <input
          type="number"
          min={1}
          max={1000}
          value={epochs}
          aria-label="More epochs"
          onChange={(event) => setEpochs(Math.max(1, Math.min(1000, Math.round(Number(event.target.value)) || 1)))}
        />
        epochs
      </label>
      <EditedSinceRun />
    </span>
  );
}
