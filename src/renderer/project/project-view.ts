/** What the project UI shows: the document's name and state, a pending question, the last problem. */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { WeightsChoice } from '../../engine/protocol';
import type { RecoveredWork } from './project-host';

export const UNTITLED = 'Untitled';

export type UnsavedChoice = 'save' | 'discard' | 'cancel';

export interface ProjectView {
  name: string;
  /** The file on disk (desktop), or null: never saved, or the web build. */
  path: string | null;
  dirty: boolean;
  busy: 'opening' | 'saving' | 'exporting' | null;
  /** The last failure, in words, until dismissed or the next action. */
  problem: string | null;
  /** What the last export wrote ("model.onnx: Run 2, best weights (epoch 4)"), until dismissed or the next action. */
  notice: string | null;
  /** Which weights of the selected run File ▸ Export writes: its best epoch's (the default) or its latest. */
  exportWeights: WeightsChoice;
  /** Set while the user is asked whether to save before `action` replaces the document. */
  unsavedPrompt: { action: string } | null;
  recovery: RecoveredWork | null;
}

export function initialProjectView(): ProjectView {
  return {
    name: UNTITLED,
    path: null,
    dirty: false,
    busy: null,
    problem: null,
    notice: null,
    exportWeights: 'best',
    unsavedPrompt: null,
    recovery: null,
  };
}

export const projectViewStore = createStore<ProjectView>()(() => initialProjectView());
export type ProjectViewStore = typeof projectViewStore;

export function useProjectView<T>(selector: (view: ProjectView) => T): T {
  return useStore(projectViewStore, selector);
}

/** The window title: the document name with a dot while it has unsaved changes. */
export function windowTitle(view: Pick<ProjectView, 'name' | 'dirty'>): string {
  return `${view.dirty ? '● ' : ''}${view.name} — CNN Studio`;
}
