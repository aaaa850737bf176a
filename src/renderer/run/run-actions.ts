/** What changes the run view: every engine event, plus the UI's own notes about commands it just sent. */
import type { DataPart, EngineEvent } from '../../engine/protocol';
import type { MissingFile } from '../data-panel/uploads';

export type UiAction =
  /** load-dataset was sent: the panel shows "loading" and owns the errors that follow. */
  | { type: 'ui:dataset-requested'; source: string }
  /** The document's data cannot be loaded from here (uploaded files a reopened project names): nothing sent. */
  | { type: 'ui:dataset-missing'; source: string; files: MissingFile[] }
  /** The failed or missing data's note was dismissed: the data still held is shown again. */
  | { type: 'ui:dataset-note-dismissed' }
  /** train, or step from no run, was sent: a fresh run, so the previous one's charts are cleared. */
  | { type: 'ui:run-requested' }
  /** find-samples was sent for one confusion-matrix cell. */
  | { type: 'ui:samples-requested'; part: DataPart; actual: number; predicted: number; offset: number }
  | { type: 'ui:problem-dismissed' }
  /** The engine (re)connected: it holds nothing yet; whatever it held before a crash is gone. */
  | { type: 'ui:engine-connected' };

export type RunAction = EngineEvent | UiAction;
