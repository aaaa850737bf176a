/**
 * One run in the runs list: a tick for comparing, its colour, its name (renamed in place), its state and its
 * numbers. Clicking the row shows the run in Charts, Inspector and Try; the selected row offers what can be
 * done with it: open its network in the editor, continue it, delete it.
 */
import type { RunSummary } from '../../engine/protocol';
import { Icon } from '../frame/Icon';
import { runColor } from '../run/run-color';
import type { RunController } from '../run/run-controller';
import { ContinueRun } from './ContinueRun';
import { RunName } from './RunName';
import { runNumbers, STATE_TEXT } from './run-row-text';

export function RunRow({
  run,
  selected,
  compared,
  training,
  lost,
  controller,
}: {
  run: RunSummary;
  selected: boolean;
  compared: boolean;
  /** The run is training or paused: it cannot be deleted until stopped. */
  training: boolean;
  /** Why the run has no weights any more (lost in an engine restart), or null. */
  lost: string | null;
  controller: RunController;
}) {
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the name and the controls inside are reachable by keyboard; the row click is a shortcut.
    <li
      className={`run-row${selected ? ' run-row--selected' : ''}`}
      data-testid="run-row"
      data-run-id={run.runId}
      data-state={run.state}
      aria-current={selected}
      onClick={() => controller.selectRun(run.runId)}
    >
      <div className="run-row__head">
        <input
          type="checkbox"
          checked={compared}
          aria-label={`Compare ${run.name}`}
          title="Tick two or more runs to compare them"
          onClick={(event) => event.stopPropagation()}
          onChange={() => controller.toggleCompare(run.runId)}
          data-testid="run-compare"
        />
        <span className="run-row__swatch" style={{ background: runColor(run.runId) }} aria-hidden="true" />
        <RunName name={run.name} onRename={(name) => controller.renameRun(run.runId, name)} />
        <button
          type="button"
          className="run-row__show"
          aria-label={`Show ${run.name}`}
          aria-pressed={selected}
          onClick={(event) => {
            event.stopPropagation();
            controller.selectRun(run.runId);
          }}
        >
          <span className={`run-row__state run-row__state--${run.state}`}>{STATE_TEXT[run.state]}</span>
        </button>
      </div>
      <p className="run-row__numbers">{runNumbers(run)}</p>
      {lost ? (
        <p className="run-row__lost" data-testid="run-lost">
          {lost}
        </p>
      ) : null}
      {selected ? (
        // biome-ignore lint/a11y/noStaticElementInteractions: only stops the row's own click from re-selecting.
        <div className="run-row__actions" onClick={(event) => event.stopPropagation()} onKeyDown={() => undefined}>
          <button
            type="button"
            className="button"
            onClick={() => controller.openInEditor(run.runId)}
            title="Put this run's network and training settings into the editor (one step to undo)"
            data-testid="run-open-in-editor"
          >
            Open network in editor
          </button>
          <ContinueRun controller={controller} testId="run-continue" />
          <button
            type="button"
            className="icon-button run-row__delete"
            aria-label={`Delete ${run.name}`}
            title={
              training ? 'Stop the run before deleting it' : `Delete ${run.name} (can be undone for a few seconds)`
            }
            disabled={training}
            onClick={() => controller.deleteRun(run.runId)}
            data-testid="run-delete"
          >
            <Icon name="trash" />
          </button>
        </div>
      ) : null}
    </li>
  );
}
