/**
 * The one store: the document's history (undo/redo) and what the editor has selected. Components read
 * it through the selectors in selectors.ts and change the document only through `edit`, handing it a
 * command from commands.ts.
 */
import { createStore } from 'zustand/vanilla';
import type { KernelThreadsReport } from '../../engine/kernels/threads-report';
import { type History, record, redo, seal, startHistory, undo } from './history';
import { initialDocument, type StudioDocument } from './studio-document';

export interface EditOptions {
  /** Edits with the same key in quick succession are one undo step (see history.ts). */
  coalesceKey?: string;
  /** The layer to select afterwards; null clears the selection; left out keeps it. */
  select?: number | null;
}

export interface StudioState {
  history: History<StudioDocument>;
  /** Index of the selected layer. */
  selection: number | null;
  edit(command: (doc: StudioDocument) => StudioDocument, options?: EditOptions): void;
  undo(): void;
  redo(): void;
  /** Ends the current coalescing run, so the next edit is a step of its own. */
  sealHistory(): void;
  select(index: number | null): void;
  /** CPU threads for the engine (null = Auto): a machine preference, outside the document and its undo. */
  threads: number | null;
  /** The engine's last answer to `set-threads`; null until it first answers. */
  threadsReport: KernelThreadsReport | null;
  setThreads(threads: number | null): void;
  setThreadsReport(report: KernelThreadsReport): void;
}

export function createStudioStore(
  document: StudioDocument = initialDocument(),
  clock: () => number = Date.now,
  threads: number | null = null,
) {
  return createStore<StudioState>()((set) => ({
    history: startHistory(document),
    selection: null,
    threads,
    threadsReport: null,
    edit: (command, options = {}) =>
      set((state) => {
        const history = record(state.history, command(state.history.present), clock(), options.coalesceKey);
        const selection = options.select === undefined ? state.selection : options.select;
        return { history, selection: keptSelection(selection, history) };
      }),
    undo: () => set((state) => travel(state, undo(state.history))),
    redo: () => set((state) => travel(state, redo(state.history))),
    sealHistory: () => set((state) => ({ history: seal(state.history) })),
    select: (index) => set((state) => ({ selection: keptSelection(index, state.history) })),
    setThreads: (next) => set({ threads: next }),
    setThreadsReport: (report) => set({ threadsReport: report }),
  }));
}

export type StudioStore = ReturnType<typeof createStudioStore>;

function travel(state: StudioState, history: History<StudioDocument>): Partial<StudioState> {
  return { history, selection: keptSelection(state.selection, history) };
}

/** A selection past the end of a shorter stack moves to its last layer. */
function keptSelection(selection: number | null, history: History<StudioDocument>): number | null {
  const count = history.present.spec.layers.length;
  if (selection === null || count === 0) return null;
  return Math.min(Math.max(selection, 0), count - 1);
}
