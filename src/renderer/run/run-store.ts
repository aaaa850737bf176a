/**
 * The live run store: engine events go in through `dispatch`, panels and charts read the view. Charts
 * subscribe to it directly (store.subscribe) and redraw imperatively, so progress never re-renders React
 * components that do not select what changed — and never the editor, which reads only the studio store.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { reduceRun } from './reduce-run';
import type { RunAction } from './run-actions';
import { initialRunView, type RunView } from './run-state';

export interface RunStoreState {
  view: RunView;
  dispatch(action: RunAction): void;
}

export function createRunStore(view: RunView = initialRunView()) {
  return createStore<RunStoreState>()((set) => ({
    view,
    dispatch: (action) => set((state) => ({ view: reduceRun(state.view, action) })),
  }));
}

export type RunStore = ReturnType<typeof createRunStore>;

export const runStore = createRunStore();

export function useRun<T>(selector: (view: RunView) => T): T {
  return useStore(runStore, (state) => selector(state.view));
}
