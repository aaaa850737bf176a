/** The app's store instance and the hook components read it with. */
import { useStore } from 'zustand';
import { createStudioStore, type StudioState } from './studio-store';

export const studioStore = createStudioStore();

export function useStudio<T>(selector: (state: StudioState) => T): T {
  return useStore(studioStore, selector);
}
