/** What changes the run view: every engine event, plus the UI's own notes about commands it just sent. */
import type { DataPart, EngineEvent } from '../../engine/protocol';
import type { MissingFile } from '../data-panel/uploads';

export type UiAction =
  /** load-dataset was sent as `requestId`: the panel shows "loading" and owns the errors answering it. */
  | { type: 'ui:dataset-requested'; source: string; requestId: number }
  /** The document's data cannot be loaded from here (uploaded files a reopened project names): nothing sent. */
  | { type: 'ui:dataset-missing'; source: string; files: MissingFile[] }
  /** The failed or missing data's note was dismissed: the data still held is shown again. */
  | { type: 'ui:dataset-note-dismissed' }
  /** train (or step from no run) was sent as `requestId`: the run answering it becomes the one shown. */
  | { type: 'ui:run-requested'; requestId: number }
  /** find-samples was sent as `requestId` for one confusion-matrix cell, the page starting at `offset`. */
  | {
      type: 'ui:samples-requested';
      part: DataPart;
      actual: number;
      predicted: number;
      offset: number;
      requestId: number;
    }
  /** The user picked a run to show. */
  | { type: 'ui:run-selected'; runId: number | null }
  | { type: 'ui:problem-dismissed' }
  /** A run ticked or unticked for comparison. */
  | { type: 'ui:run-compare-toggled'; runId: number }
  /** Delete asked for: the run is hidden and can be brought back until the delete is sent. */
  | { type: 'ui:run-delete-pending'; runId: number }
  | { type: 'ui:run-delete-undone' }
  /** delete-run was sent for the run; it stays hidden until the engine confirms or refuses. */
  | { type: 'ui:run-delete-sent'; runId: number }
  | { type: 'ui:run-delete-failed'; runId: number }
  /** The engine (re)connected: it holds nothing yet; whatever it held before a crash is gone. */
  | { type: 'ui:engine-connected' };

export type RunAction = EngineEvent | UiAction;
