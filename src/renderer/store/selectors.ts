/** Module-level selectors: each returns a value that keeps its identity until the document changes. */
import type { EditorReport } from './editor-report';
import { editorReport } from './editor-report';
import type { StudioDocument } from './studio-document';
import type { StudioState } from './studio-store';

export const selectDocument = (state: StudioState): StudioDocument => state.history.present;
export const selectSpec = (state: StudioState) => state.history.present.spec;
export const selectLayers = (state: StudioState) => state.history.present.spec.layers;
export const selectInput = (state: StudioState) => state.history.present.spec.input;
export const selectLoss = (state: StudioState) => state.history.present.spec.loss;
export const selectReport = (state: StudioState): EditorReport => editorReport(state.history.present.spec);
export const selectSelection = (state: StudioState) => state.selection;
export const selectCanUndo = (state: StudioState) => state.history.past.length > 0;
export const selectCanRedo = (state: StudioState) => state.history.future.length > 0;
export const selectEdit = (state: StudioState) => state.edit;
export const selectUndo = (state: StudioState) => state.undo;
export const selectRedo = (state: StudioState) => state.redo;
export const selectSealHistory = (state: StudioState) => state.sealHistory;
export const selectSelect = (state: StudioState) => state.select;
export const selectThreads = (state: StudioState) => state.threads;
export const selectThreadsReport = (state: StudioState) => state.threadsReport;
export const selectSetThreads = (state: StudioState) => state.setThreads;
/** Where a layer added from the palette goes: after the selected layer, or at the end. */
export const selectInsertionPoint = (state: StudioState) =>
  state.selection === null ? state.history.present.spec.layers.length : state.selection + 1;
